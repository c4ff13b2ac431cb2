import { expect } from 'chai';
import { DeviceTokens } from '../../../core/device-tokens.ts';
import { NotAuthorizedError } from '../../../core/errors.ts';

const NOW = Date.parse('2026-12-01T10:00:00Z');

describe('DeviceTokens', () => {
  const tokens = new DeviceTokens('k'.repeat(43));

  it('gives back the subject of a token for its use until it expires', () => {
    const token = tokens.mint('portal', 'demo-jan', NOW + 600_000);
    expect(tokens.subjectOf(token, 'portal', NOW)).to.equal('demo-jan');
    expect(tokens.subjectOf(token, 'portal', NOW + 599_999)).to.equal('demo-jan');
    expect(() => tokens.subjectOf(token, 'portal', NOW + 600_000)).to.throw(NotAuthorizedError, 'expired');
    const unicode = tokens.mint('prompt', 'acct:ü.1', NOW + 1000);
    expect(tokens.subjectOf(unicode, 'prompt', NOW)).to.equal('acct:ü.1');
  });

  it('refuses a token for another use, under another key, or changed in any part', () => {
    const token = tokens.mint('prompt', 'p-1', NOW + 600_000);
    expect(() => tokens.subjectOf(token, 'portal', NOW)).to.throw(NotAuthorizedError);
    expect(() => new DeviceTokens('x'.repeat(43)).subjectOf(token, 'prompt', NOW)).to.throw(NotAuthorizedError);
    const parts = token.split('.');
    for (let i = 0; i < parts.length; i++) {
      const changed = [...parts];
      changed[i] = i === 3 ? (NOW + 10_000_000).toString(36) : `${changed[i]}x`;
      expect(() => tokens.subjectOf(changed.join('.'), 'prompt', NOW), `part ${i}`).to.throw(NotAuthorizedError);
    }
    for (const junk of ['', '.', 'v1....', `${token}.`, 'x'.repeat(5000), `v1.prompt.${'a'.repeat(2000)}.1.2`])
      expect(() => tokens.subjectOf(junk, 'prompt', NOW)).to.throw(NotAuthorizedError);
  });
});
