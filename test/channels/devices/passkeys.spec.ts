import { expect } from 'chai';
import { simpleParser } from 'mailparser';
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
import { ChatClient, verificationInChat, WEBCHAT_AGENT } from '../../support/webchat.ts';

describe('passkeys over HTTP (DEVICE_PROMPTS=passkey)', () => {
  const clock = { offset: 0, now: () => Date.now() + clock.offset };
  let t: PasskeyApp;
  beforeEach(async () => {
    clock.offset = 0;
    t = await startPasskeyApp({}, { clock });
  });
  afterEach(async () => t.close());

  describe('the device portal', () => {
    it('mints a token only for a portal key, for an account that exists', async () => {
      const minted = await portalToken(t.url);
      expect(minted.url).to.match(new RegExp(`^${t.origin}/devices\\?locale=en#t=`, 'u'));
      const noKey = await request(`${t.url}/v1/accounts/demo-alex/device-portal-tokens`, { method: 'POST' });
      expect(noKey.status).to.equal(401);
      const nobody = await request(`${t.url}/v1/accounts/nobody/device-portal-tokens`, {
        method: 'POST',
        headers: { authorization: 'Bearer test-portal-key-0123456789abcdef' },
      });
      expect(nobody.status).to.equal(404);
    });

    it('lists, registers and removes the account’s passkeys with its token, and no other account’s', async () => {
      const { token } = await portalToken(t.url);
      expect((await withToken(`${t.url}/v1/devices`, token)).json).to.deep.equal({ devices: [] });
      const added = await registerDevice(t.url, token, t.authenticator());
      expect(added).to.deep.include({ name: 'Alex’s phone', synced: true, notifications: false });
      const listed = await withToken(`${t.url}/v1/devices`, token);
      expect(listed.json.devices).to.deep.equal([added]);
      expect(listed.headers.get('cache-control')).to.equal('no-store');

      const jan = await portalToken(t.url, 'demo-jan');
      expect((await withToken(`${t.url}/v1/devices`, jan.token)).json).to.deep.equal({ devices: [] });
      const theirs = await withToken(`${t.url}/v1/devices/${String(added.id)}`, jan.token, 'DELETE');
      expect(theirs.status, 'not Jan’s to remove').to.equal(404);

      expect((await withToken(`${t.url}/v1/devices/${String(added.id)}`, token, 'DELETE')).status).to.equal(204);
      expect((await withToken(`${t.url}/v1/devices`, token)).json).to.deep.equal({ devices: [] });
    });

    it('mails the account’s owner each device added and removed, also when the server stops right after', async () => {
      const { token } = await portalToken(t.url);
      const added = await registerDevice(t.url, token, t.authenticator());
      expect((await withToken(`${t.url}/v1/devices/${String(added.id)}`, token, 'DELETE')).status).to.equal(204);
      await t.app.close();
      const subjects = await Promise.all(
        (await t.outbox.messages()).map(async (raw) => (await simpleParser(raw)).subject),
      );
      expect(subjects.sort()).to.deep.equal([
        'A trusted device was added to your Example Co account',
        'A trusted device was removed from your Example Co account',
      ]);
    });

    it('refuses a missing, forged or expired token, and a prompt’s token', async () => {
      const { token } = await portalToken(t.url);
      expect((await request(`${t.url}/v1/devices`)).status).to.equal(401);
      expect((await withToken(`${t.url}/v1/devices`, `${token}x`)).status).to.equal(401);
      expect(
        (
          await withToken(
            `${t.url}/v1/devices`,
            t.app.passkeys?.tokens.mint('portal', 'demo-alex', Date.now() - 1) ?? '',
          )
        ).status,
      ).to.equal(401);
      const promptToken = t.app.passkeys?.tokens.mint('prompt', 'demo-alex', Date.now() + 60_000) ?? '';
      expect((await withToken(`${t.url}/v1/devices`, promptToken)).status).to.equal(401);
    });

    it('answers a bad registration with a clear error and keeps nothing', async () => {
      const { token } = await portalToken(t.url);
      const options = await withToken(`${t.url}/v1/devices/registration-options`, token, 'POST');
      const answer = t.authenticator().register(options.json, { origin: 'https://evil.example' });
      const refused = await withToken(`${t.url}/v1/devices`, token, 'POST', { name: 'Phone', credential: answer });
      expect(refused.status).to.equal(400);
      expect(refused.json.error?.code).to.equal('passkey_refused');
      const malformed = await withToken(`${t.url}/v1/devices`, token, 'POST', { name: 'Phone', credential: { id: 1 } });
      expect(malformed.status).to.equal(400);
      expect(malformed.json.error?.code).to.equal('invalid_request');
      const huge = await withToken(`${t.url}/v1/devices`, token, 'POST', { name: 'x'.repeat(40_000), credential: {} });
      expect(huge.status).to.equal(413);
      expect((await withToken(`${t.url}/v1/devices`, token)).json).to.deep.equal({ devices: [] });
    });
  });

  describe('a device prompt', () => {
    it('tells the agent there is no trusted device until the customer registers one', async () => {
      const error = await promptDevice(t).catch((e: unknown) => e);
      expect((error as { code?: string }).code).to.equal('sv_no_trusted_device');
    });

    it('is mailed as a link to the one page, where only the account’s passkey confirms it', async () => {
      const { token } = await portalToken(t.url);
      const phone = t.authenticator();
      await registerDevice(t.url, token, phone);
      const session = await promptDevice(t);
      expect(session.state).to.equal('awaiting_device');
      const link = await mailedLink(t);
      expect(link.link.startsWith(`${t.origin}/confirm#p=`)).to.equal(true);
      expect(link.promptId).to.equal(session.prompt?.id);

      const view = await withToken(`${t.url}/v1/prompts/${link.promptId}`, link.token);
      expect(view.status).to.equal(200);
      expect(view.json).to.deep.include({ agentName: 'Robin', company: 'Example Co', channel: 'slack', locale: 'en' });
      const choices = view.json.numberChoices as number[];
      expect(choices).to.have.length(3);
      expect(choices).to.include(session.prompt?.matchNumber);

      const options = await withToken(`${t.url}/v1/prompts/${link.promptId}/assertion-options`, link.token, 'POST');
      expect(options.json.userVerification).to.equal('required');
      const credential = phone.authenticate(options.json);
      const confirmed = await withToken(`${t.url}/v1/prompts/${link.promptId}/confirm`, link.token, 'POST', {
        credential,
        matchedNumber: session.prompt?.matchNumber,
      });
      expect(confirmed.status).to.equal(200);
      expect(confirmed.json).to.deep.include({ state: 'verified' });
      expect((await t.app.verification.get(session.id)).state).to.equal('verified');

      const replayed = await withToken(`${t.url}/v1/prompts/${link.promptId}/confirm`, link.token, 'POST', {
        credential,
        matchedNumber: session.prompt?.matchNumber,
      });
      expect(replayed.status, 'a replayed assertion').to.equal(400);
    });

    it('refuses an assertion from another origin, an unregistered authenticator, and a removed passkey', async () => {
      const { token } = await portalToken(t.url);
      const phone = t.authenticator();
      const device = await registerDevice(t.url, token, phone);
      const session = await promptDevice(t);
      const link = await mailedLink(t);
      const options = () => withToken(`${t.url}/v1/prompts/${link.promptId}/assertion-options`, link.token, 'POST');
      const confirm = (credential: unknown) =>
        withToken(`${t.url}/v1/prompts/${link.promptId}/confirm`, link.token, 'POST', {
          credential,
          matchedNumber: session.prompt?.matchNumber,
        });

      expect(
        (await confirm(phone.authenticate((await options()).json, { origin: 'https://evil.example' }))).status,
      ).to.equal(400);
      const stranger = t.authenticator();
      stranger.register({ user: { id: 'AAAA' }, challenge: 'x' });
      const [strangerId] = stranger.ids();
      const other = stranger.authenticate(
        { allowCredentials: [{ id: strangerId }], ...(await options()).json },
        { id: strangerId },
      );
      expect((await confirm(other)).status, 'an authenticator the account never registered').to.equal(400);

      const fresh = (await options()).json;
      expect((await withToken(`${t.url}/v1/devices/${String(device.id)}`, token, 'DELETE')).status).to.equal(204);
      expect((await confirm(phone.authenticate(fresh))).status, 'removed in the portal').to.equal(400);
      expect((await t.app.verification.get(session.id)).state).to.equal('awaiting_device');
    });

    it('refuses an assertion whose challenge ran out with the prompt', async () => {
      const { token } = await portalToken(t.url);
      const phone = t.authenticator();
      await registerDevice(t.url, token, phone);
      const session = await promptDevice(t);
      const link = await mailedLink(t);
      const options = await withToken(`${t.url}/v1/prompts/${link.promptId}/assertion-options`, link.token, 'POST');
      const credential = phone.authenticate(options.json);
      clock.offset = 121_000;
      const late = await withToken(`${t.url}/v1/prompts/${link.promptId}/confirm`, link.token, 'POST', {
        credential,
        matchedNumber: session.prompt?.matchNumber,
      });
      expect(late.status).to.equal(401);
      expect((await t.app.verification.get(session.id)).state).to.not.equal('verified');
    });

    it('is denied by Don’t confirm and reported by I didn’t ask for this, with the link alone', async () => {
      const { token } = await portalToken(t.url);
      await registerDevice(t.url, token, t.authenticator());
      const first = await promptDevice(t);
      const link = await mailedLink(t);
      const denied = await withToken(`${t.url}/v1/prompts/${link.promptId}/deny`, link.token, 'POST', {
        decision: 'denied',
      });
      expect(denied.json).to.deep.include({ state: 'denied', reason: 'device_denied' });
      expect((await t.app.verification.get(first.id)).state).to.equal('denied');
      const again = await withToken(`${t.url}/v1/prompts/${link.promptId}/deny`, link.token, 'POST', {
        decision: 'fraud',
      });
      expect(again.status, 'the prompt is over').to.equal(409);
    });

    it('refuses a link token for another prompt, a forged one, and an expired prompt', async () => {
      const { token } = await portalToken(t.url);
      await registerDevice(t.url, token, t.authenticator());
      await promptDevice(t);
      const link = await mailedLink(t);
      const last = link.promptId.at(-1) === '0' ? '1' : '0';
      const otherPrompt = `${link.promptId.slice(0, -1)}${last}`;
      const other = t.app.passkeys?.tokens.mint('prompt', otherPrompt, Date.now() + 60_000) ?? '';
      expect((await withToken(`${t.url}/v1/prompts/${link.promptId}`, other)).status).to.equal(400);
      expect((await withToken(`${t.url}/v1/prompts/${link.promptId}`, `${link.token}x`)).status).to.equal(401);
      expect((await withToken(`${t.url}/v1/prompts/not-a-prompt`, link.token)).status).to.equal(404);
      const portal = t.app.passkeys?.tokens.mint('portal', link.promptId, Date.now() + 60_000) ?? '';
      expect((await withToken(`${t.url}/v1/prompts/${link.promptId}`, portal)).status).to.equal(401);
    });
  });

  describe('in the customer’s support chat', () => {
    it('offers the web chat customer the very link the mail carries, while the prompt waits', async () => {
      const { token } = await portalToken(t.url);
      await registerDevice(t.url, token, t.authenticator());
      const customer = new ChatClient(t.url);
      await customer.open();
      const started = await verificationInChat(t.app, customer.conversationId);
      await t.app.verification.chooseDevice(started.id, { kind: 'agent', who: WEBCHAT_AGENT });
      const link = await mailedLink(t);
      const read = await customer.read();
      const view = read.json.verification as { confirmUrl?: string; number?: number };
      expect(view.confirmUrl).to.equal(link.link);
      expect(view.number).to.be.a('number');
    });
  });

  describe('the pages', () => {
    it('serves the device portal to be framed and the confirmation page never framed, both with a strict CSP', async () => {
      const devices = await request(`${t.url}/devices?locale=nl`);
      expect(devices.status).to.equal(200);
      expect(devices.text).to.contain('Je vertrouwde apparaten');
      expect(devices.headers.get('content-security-policy')).to.contain("script-src 'self'");
      expect(devices.headers.get('x-frame-options')).to.equal(null);
      const confirm = await request(`${t.url}/confirm`);
      expect(confirm.headers.get('content-security-policy')).to.contain("frame-ancestors 'none'");
      expect(confirm.headers.get('x-frame-options')).to.equal('DENY');
      const embed = await request(`${t.url}/trusted-devices.js`);
      expect(embed.headers.get('access-control-allow-origin')).to.equal('*');
      expect(embed.text).to.contain('publickey-credentials-create');
    });
  });
});
