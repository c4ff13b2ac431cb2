import { randomBytes, randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { DeviceTokens } from '../../../core/device-tokens.ts';
import { LOCALES, renderMessage } from '../../../core/messages/catalog.ts';
import { confirmationUrl } from '../../../core/passkey-prompts.ts';

describe('the confirmation link', () => {
  it('carries the prompt and its token in the fragment only', () => {
    const url = new URL(confirmationUrl('https://verify.example.com', 'p.1', 'v1.prompt.cA.x.y'));
    expect(url.pathname).to.equal('/confirm');
    expect(url.search).to.equal('');
    expect(Object.fromEntries(new URLSearchParams(url.hash.slice(1)))).to.deep.equal({
      p: 'p.1',
      t: 'v1.prompt.cA.x.y',
    });
  });

  // The mail that carries it passes the outbound guard; a random token must never make it read as an ask.
  it('never makes the prompt’s mail read as asking for a secret, whatever its random parts', () => {
    const tokens = new DeviceTokens(randomBytes(32).toString('hex'));
    for (let i = 0; i < 300; i++) {
      const promptId = `${randomUUID()}-k3x9.${randomBytes(6).toString('hex')}`;
      const url = confirmationUrl('https://verify.example.com', promptId, tokens.mint('prompt', promptId, Date.now()));
      for (const locale of LOCALES)
        expect(() =>
          renderMessage('mail.confirm.body', locale, {
            name: 'Alex',
            agent: 'Robin',
            company: 'Example Co',
            until: '10:02',
            url,
          }),
        ).to.not.throw();
    }
  });
});
