import { expect } from 'chai';
import { startTestApp, type TestApp } from '../../support/app.ts';
import { AGENT } from '../../support/fakes.ts';
import { request } from '../../support/http.ts';
import {
  mailedLink,
  type PasskeyApp,
  portalToken,
  promptDevice,
  registerDevice,
  startPasskeyApp,
  withToken,
} from '../../support/passkeys.ts';
import { until } from '../../support/webchat.ts';

const agent = { kind: 'agent', who: AGENT } as const;

describe('Playground: device, mailbox and settings', () => {
  let t: TestApp;
  beforeEach(async () => {
    // As `npm start` runs with nothing set: the built-in demo portal key.
    t = await startTestApp({
      mutate: (config) => {
        config.portalApiKeys = ['demo-portal-key'];
      },
    });
  });
  afterEach(async () => t.close());

  const json = (path: string, body?: unknown) =>
    request(`${t.url}${path}`, {
      ...(body === undefined
        ? {}
        : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });

  it('tells the page what it may use: the demo portal key only, the device and the mailbox', async () => {
    expect((await json('/playground/settings')).json).to.deep.equal({
      portalKey: 'demo-portal-key',
      device: true,
      passkeys: false,
      mailbox: true,
    });
    const real = await startTestApp();
    try {
      expect((await request(`${real.url}/playground/settings`)).json.portalKey).to.equal(null);
    } finally {
      await real.close();
    }
  });

  it('shows the device’s prompt with who asks and the numbers, and answers it through the real signed route', async () => {
    const session = await t.app.verification.start({ agent: AGENT, query: 'alex@example.com' });
    const waiting = await t.app.verification.chooseDevice(session.id, agent);
    const listed = await json('/playground/device/prompts?accountId=demo-alex');
    const [prompt] = listed.json.prompts as Array<{
      promptId: string;
      requester: { agentName: string };
      numberChoices: number[];
    }>;
    expect(prompt?.promptId).to.equal(waiting.prompt?.id);
    expect(prompt?.requester.agentName).to.equal(AGENT.displayName);
    expect(prompt?.numberChoices).to.include(waiting.prompt?.matchNumber);

    expect(
      (await json(`/playground/device/prompts/${prompt?.promptId}/answer`, { decision: 'maybe' })).status,
    ).to.equal(400);
    const answered = await json(`/playground/device/prompts/${prompt?.promptId}/answer`, {
      decision: 'confirmed',
      matchedNumber: waiting.prompt?.matchNumber,
    });
    expect(answered.json).to.deep.equal({ status: 200 });
    expect((await t.app.verification.get(session.id)).state).to.equal('verified');
    expect((await json('/playground/device/prompts')).json.prompts).to.deep.equal([]);
    const again = await json(`/playground/device/prompts/${prompt?.promptId}/answer`, { decision: 'denied' });
    expect(again.status).to.equal(409);
  });

  it('lists the account emails in the outbox, newest first', async () => {
    const session = await t.app.verification.start({ agent: AGENT, query: 'jan@example.nl' });
    await t.app.verification.cancel(session.id, agent);
    await t.app.verification.idle();
    await until(async () => ((await json('/playground/mailbox')).json.mails as unknown[]).length > 0, 'the email');
    const [mail] = (await json('/playground/mailbox')).json.mails as Array<{
      to: string;
      subject: string;
      text: string;
    }>;
    expect(mail?.to).to.contain('jan@example.nl');
    expect(mail?.subject).to.be.a('string').and.not.equal('');
    expect(mail?.text).to.contain('Robin');
  });

  it('refuses malformed ids and bodies', async () => {
    expect((await json('/playground/device/prompts?accountId=%00bad')).status).to.equal(400);
    expect((await json('/playground/device/prompts/nope/answer', { decision: 'confirmed' })).status).to.equal(404);
  });

  describe('with the built-in passkeys (DEVICE_PROMPTS=passkey)', () => {
    let p: PasskeyApp;
    beforeEach(async () => {
      p = await startPasskeyApp();
    });
    afterEach(async () => p.close());

    it('gives the phone the device portal of the account signed in, then the open prompt’s page, both with the virtual passkey', async () => {
      expect((await request(`${p.url}/playground/settings`)).json).to.deep.include({ device: false, passkeys: true });
      const idle = await request(`${p.url}/playground/device/passkey?accountId=demo-alex`);
      expect(idle.json.prompt).to.equal(null);
      const devices = new URL(String(idle.json.devicesUrl));
      expect(devices.pathname).to.equal('/devices');
      expect(devices.searchParams.get('virtual')).to.equal('1');
      const token = new URLSearchParams(devices.hash.slice(1)).get('t') ?? '';
      expect((await withToken(`${p.url}/v1/devices`, token)).status, 'a working portal token').to.equal(200);

      await registerDevice(p.url, (await portalToken(p.url)).token, p.authenticator());
      await promptDevice(p);
      const mailed = await mailedLink(p);
      const open = await request(`${p.url}/playground/device/passkey?accountId=demo-alex`);
      const prompt = open.json.prompt as { promptId: string; url: string };
      expect(prompt.promptId).to.equal(mailed.promptId);
      expect(prompt.url).to.equal(mailed.link.replace('/confirm#', '/confirm?virtual=1#'));
      expect((await request(`${p.url}/playground/device/passkey?accountId=demo-jan`)).json.prompt).to.equal(null);
      expect((await request(`${p.url}/playground/device/passkey?accountId=bad%20id`)).status).to.equal(400);
    });

    it('loads the virtual passkey into the pages only for the playground, which may then frame the confirmation page', async () => {
      const virtual = await request(`${p.url}/confirm?virtual=1`);
      expect(virtual.text).to.contain('/playground/virtual-passkey.js');
      expect(virtual.headers.get('content-security-policy')).to.contain("frame-ancestors 'self'");
      const plain = await request(`${p.url}/confirm`);
      expect(plain.text).to.not.contain('virtual-passkey');
      expect(plain.headers.get('content-security-policy')).to.contain("frame-ancestors 'none'");

      const off = await startPasskeyApp({ PLAYGROUND: 'off' });
      try {
        const asked = await request(`${off.url}/confirm?virtual=1`);
        expect(asked.text, 'no playground, no virtual passkey').to.not.contain('virtual-passkey');
        expect(asked.headers.get('content-security-policy')).to.contain("frame-ancestors 'none'");
        expect((await request(`${off.url}/devices?virtual=1`)).text).to.not.contain('virtual-passkey');
        expect((await request(`${off.url}/playground/virtual-passkey.js`)).status).to.equal(404);
      } finally {
        await off.close();
      }
    });

    it('says the passkeys are off where they are', async () => {
      expect((await json('/playground/device/passkey?accountId=demo-alex')).status).to.equal(404);
    });
  });
});
