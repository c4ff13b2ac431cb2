import { expect } from 'chai';
import { scanInbound } from '../../core/guard/index.ts';
import { SECRETS } from '../fixtures/guard-corpus.ts';
import { startTestApp, TEST_DEVICE_SECRET, TEST_PORTAL_KEY, type TestApp } from '../support/app.ts';
import { signedDeviceAnswer } from '../support/device-signing.ts';
import { AGENT } from '../support/fakes.ts';
import { request } from '../support/http.ts';
import { useRedisServer } from '../support/redis-fixture.ts';
import { occurs } from '../support/secrets.ts';

const agent = { kind: 'agent', who: AGENT } as const;
const PEPPER = 'test-pin-pepper-0123456789abcdef0123456789';

describe('no secret at rest or in logs', function () {
  this.timeout(30_000);
  const redis = useRedisServer();
  let t: TestApp;

  before(async () => {
    await redis().flush();
    t = await startTestApp({ redisUrl: redis().url });
  });
  after(async () => t.close());

  it('keeps every secret pushed through the guard, the API and the flow out of logs, Redis and the audit trail', async () => {
    const issuedPins: string[] = [];

    // As a channel does: scan what the customer typed, keep and log only the redacted text, audit the kinds.
    const session = await t.app.verification.start({ agent: AGENT, query: 'alex@example.com' });
    for (const { text } of SECRETS) {
      const scan = scanInbound(text);
      t.app.logger.info({ customerMessage: scan.redacted, findings: scan.findings }, 'customer message relayed');
      await t.app.verification.secretRedacted({ channel: 'webchat', findings: scan.findings, sessionId: session.id });
    }

    // Secrets pushed at the API in every field it reads: all refused, none logged.
    for (const { text } of SECRETS) {
      await request(`${t.url}/v1/accounts/demo-alex/support-pins`, {
        method: 'POST',
        headers: { authorization: `Bearer ${text.replace(/\s/gu, '')}`, 'content-type': 'application/json' },
        body: JSON.stringify({ locale: text }),
      });
      await request(`${t.url}/v1/accounts/demo-alex/support-pins`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TEST_PORTAL_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ note: text }),
      });
      const signed = signedDeviceAnswer(TEST_DEVICE_SECRET, { promptId: 'x', decision: 'confirmed', note: text });
      await request(`${t.url}/v1/device-prompts/${encodeURIComponent(text)}/response`, { method: 'POST', ...signed });
    }

    // Real PINs through the portal API and the flow: right ones, wrong ones, a lock-out.
    for (let i = 0; i < 3; i++) {
      const answer = await request(`${t.url}/v1/accounts/demo-alex/support-pins`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TEST_PORTAL_KEY}` },
      });
      const pin = String(answer.json.pin);
      issuedPins.push(pin);
      const s = await t.app.verification.start({ agent: AGENT, query: 'demo-alex' });
      await t.app.verification.choosePin(s.id, agent);
      if (i === 1) {
        for (const wrong of ['1357', '2468', '9753'])
          if (wrong !== pin) await t.app.verification.submitPin(s.id, wrong, agent);
      } else {
        await t.app.verification.submitPin(s.id, pin, agent);
      }
    }
    // And a device flow, confirmed.
    const device = await t.app.verification.start({ agent: AGENT, query: 'jan@example.nl' });
    const waiting = await t.app.verification.chooseDevice(device.id, agent);
    await t.app.device?.answer(waiting.prompt?.id ?? '', {
      decision: 'confirmed',
      matchedNumber: waiting.prompt?.matchNumber,
    });
    await t.app.verification.idle();

    const logs = t.logs.join('');
    const dump = await redis().dump();
    const audit = JSON.stringify(await t.app.auditRecord.read());
    const places = { logs, redis: dump, audit };

    for (const { secret } of SECRETS) {
      for (const [place, content] of Object.entries(places))
        expect(occurs(content, secret), `"${secret}" in ${place}`).to.equal(false);
    }
    for (const pin of issuedPins) {
      expect(occurs(logs, pin), `PIN ${pin} in logs`).to.equal(false);
      expect(occurs(audit, pin), `PIN ${pin} in audit`).to.equal(false);
      expect(new RegExp(`(?<![0-9a-f])${pin}(?![0-9a-f])`, 'u').test(dump), `PIN ${pin} in Redis`).to.equal(false);
    }
    for (const [name, value] of Object.entries({ TEST_PORTAL_KEY, TEST_DEVICE_SECRET, PEPPER })) {
      for (const [place, content] of Object.entries(places))
        expect(content, `${name} in ${place}`).to.not.contain(value);
    }
    // Customers may type their own email; the app's own lines and the audit never carry one.
    const ownLines = t.logs.filter((line) => !line.includes('"msg":"customer message relayed"')).join('');
    for (const identifier of ['alex@example.com', 'jan@example.nl']) {
      expect(audit, 'audit carries keyed hashes, never emails').to.not.contain(identifier);
      expect(ownLines).to.not.contain(identifier);
    }
    expect(audit).to.not.match(/demo-alex|demo-jan/u);

    // The record of what happened is all there, by kind.
    await t.app.refusals.flush();
    const types = (await t.app.auditRecord.read()).map((e) => e.type);
    expect(types).to.include.members([
      'secret_redacted',
      'pin_issued',
      'pin_accepted',
      'pin_wrong',
      'portal_key_rejected',
      'device_prompt_confirmed',
    ]);
  });
});
