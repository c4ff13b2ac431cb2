import { expect } from 'chai';
import type { Session } from '../../../core/session.ts';
import { startTestApp, type TestApp } from '../../support/app.ts';
import {
  legacySignedDeviceAnswer,
  newWhsecSecret,
  signedDeviceAnswer,
  signRawBody,
} from '../../support/device-signing.ts';
import { AGENT } from '../../support/fakes.ts';
import { type HttpAnswer, rawRequest, request } from '../../support/http.ts';
import { useRedisServer } from '../../support/redis-fixture.ts';

const agent = { kind: 'agent', who: AGENT } as const;
const OLD = newWhsecSecret();
const NEW = newWhsecSecret();
const RAW = 'the-deprecated-raw-device-secret-0123456789';

// Device answers signed by the standardwebhooks library, posted to the real server over HTTP, while two
// secrets are configured (a rotation), beside the deprecated raw secret and its headers.
describe('device answers: Standard Webhooks signatures that rotate', () => {
  const redis = useRedisServer();
  let t: TestApp;
  let waiting: Session;

  async function start(env: Record<string, string>): Promise<void> {
    t = await startTestApp({ redisUrl: redis().url, env });
    waiting = await prompted('alex@example.com');
  }
  async function prompted(query: string): Promise<Session> {
    const session = await t.app.verification.start({ agent: AGENT, query });
    return t.app.verification.chooseDevice(session.id, agent);
  }
  const post = (session: Session, signed: { headers: Record<string, string>; body: string }) =>
    request(`${t.url}/v1/device-prompts/${session.prompt?.id}/response`, { method: 'POST', ...signed });
  const confirmation = (session: Session) => ({
    promptId: session.prompt?.id,
    decision: 'confirmed',
    matchedNumber: session.prompt?.matchNumber,
  });
  const stateOf = async (session: Session) => (await t.app.verification.get(session.id)).state;
  const refusedWith = (answer: HttpAnswer, status: number, code: string) => {
    expect(answer.status, answer.text).to.equal(status);
    expect(answer.json.error?.code).to.equal(code);
  };

  beforeEach(async () => redis().flush());
  afterEach(async () => t?.close());

  describe('with DEVICE_WEBHOOK_SECRETS holding the old and the new secret', () => {
    beforeEach(() => start({ DEVICE_WEBHOOK_SECRETS: `${OLD}, ${NEW}` }));

    it('accepts an answer signed by the old secret, or by the new one', async () => {
      const jan = await prompted('jan@example.nl');
      expect((await post(waiting, signedDeviceAnswer(OLD, confirmation(waiting)))).json).to.deep.equal({
        state: 'verified',
      });
      expect((await post(jan, signedDeviceAnswer(NEW, confirmation(jan)))).json).to.deep.equal({ state: 'verified' });
    });

    it('accepts an answer carrying both signatures, and one whose other signatures are of unknown secrets', async () => {
      const jan = await prompted('jan@example.nl');
      expect((await post(waiting, signedDeviceAnswer([NEW, OLD], confirmation(waiting)))).status).to.equal(200);
      const others = [newWhsecSecret(), newWhsecSecret(), OLD];
      expect((await post(jan, signedDeviceAnswer(others, confirmation(jan)))).status).to.equal(200);
    });

    it('refuses an answer signed by neither, and changes nothing', async () => {
      refusedWith(
        await post(waiting, signedDeviceAnswer(newWhsecSecret(), confirmation(waiting))),
        401,
        'invalid_signature',
      );
      const raw = signedDeviceAnswer(RAW, confirmation(waiting));
      refusedWith(await post(waiting, raw), 401, 'invalid_signature');
      expect(await stateOf(waiting)).to.equal('awaiting_device');
    });

    it('accepts the deprecated headers signed with a configured key, for one release', async () => {
      const key = Buffer.from(NEW.slice('whsec_'.length), 'base64');
      expect((await post(waiting, legacySignedDeviceAnswer(key, confirmation(waiting)))).status).to.equal(200);
      expect(await stateOf(waiting)).to.equal('verified');
    });

    it('refuses a replayed webhook-id within the window, even re-signed on another body, and changes nothing', async () => {
      const id = 'msg_device-service-message-1';
      const jan = await prompted('jan@example.nl');
      // The first message is refused by the session (the body names another prompt), but its id is used up.
      const misdirected = signedDeviceAnswer(OLD, confirmation(jan), { id });
      refusedWith(await post(waiting, misdirected), 400, 'invalid_request');
      refusedWith(await post(jan, misdirected), 409, 'replayed_request');
      refusedWith(await post(jan, signedDeviceAnswer(NEW, confirmation(jan), { id })), 409, 'replayed_request');
      expect(await stateOf(jan)).to.equal('awaiting_device');
      await t.app.refusals.flush();
      const rejected = (await t.app.auditRecord.read()).filter((e) => e.type === 'device_response_rejected');
      expect(rejected.map((e) => [e.detail?.reason, e.detail?.count])).to.deep.include(['replayed', 2]);
    });

    it('refuses a timestamp outside 5 minutes (the spec suggests 5 minutes; the product kept its own, the same)', async () => {
      const now = Math.floor(Date.now() / 1000);
      for (const offset of [-301, 301]) {
        // Rounded away from now: a whole second rounded toward it would put +301 at 300.x when the server checks.
        const stale = signedDeviceAnswer(NEW, confirmation(waiting), { timestampSeconds: secondsFromNow(offset) });
        refusedWith(await post(waiting, stale), 401, 'stale_request');
      }
      const inside = signedDeviceAnswer(NEW, confirmation(waiting), { timestampSeconds: now - 290 });
      expect((await post(waiting, inside)).status).to.equal(200);
    });

    it('refuses a tampered body, id or timestamp', async () => {
      const good = signedDeviceAnswer(NEW, confirmation(waiting));
      const tampered = [
        { headers: good.headers, body: good.body.replace('confirmed', 'denied') },
        { headers: { ...good.headers, 'webhook-id': `${good.headers['webhook-id']}x` }, body: good.body },
        {
          headers: { ...good.headers, 'webhook-timestamp': String(Number(good.headers['webhook-timestamp']) - 1) },
          body: good.body,
        },
      ];
      for (const signed of tampered) refusedWith(await post(waiting, signed), 401, 'invalid_signature');
      expect(await stateOf(waiting)).to.equal('awaiting_device');
      expect((await post(waiting, good)).status, 'the untampered message still passes').to.equal(200);
    });

    it('refuses oversized and garbage signature headers cheaply, and changes nothing', async () => {
      const good = signedDeviceAnswer(NEW, confirmation(waiting));
      const valid = good.headers['webhook-signature'] ?? '';
      const decoy = `v1,${Buffer.alloc(32, 7).toString('base64')}`;
      const withHeaders = (headers: Record<string, string>) => ({
        headers: { ...good.headers, ...headers },
        body: good.body,
      });
      const garbage: Array<[string, Record<string, string>]> = [
        // Within Node's 16 KB of headers, but past our bound: the valid signature at the end is never looked at.
        ['300 signatures', { 'webhook-signature': `${Array(300).fill(decoy).join(' ')} ${valid}` }],
        ['17 signatures', { 'webhook-signature': `${Array(16).fill(decoy).join(' ')} ${valid}` }],
        ['not base64', { 'webhook-signature': 'v1,!!!!not*base64!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!' }],
        ['another version only', { 'webhook-signature': valid.replace('v1,', 'v1a,') }],
        ['no version', { 'webhook-signature': valid.slice(3) }],
        ['empty', { 'webhook-signature': ' ' }],
        ['a long id', { 'webhook-id': 'm'.repeat(300) }],
        ['an id with a dot', { 'webhook-id': 'msg.1' }],
        ['an exponent timestamp', { 'webhook-timestamp': '1e9' }],
        ['a negative timestamp', { 'webhook-timestamp': '-5' }],
        ['a long timestamp', { 'webhook-timestamp': '9'.repeat(13) }],
        [
          'a deprecated signature too long',
          { 'webhook-signature': '', 'x-support-verify-signature': 'v1='.padEnd(4000, 'a') },
        ],
      ];
      for (const [what, headers] of garbage) {
        const signed = withHeaders(headers);
        if (headers['webhook-signature'] === '') delete signed.headers['webhook-signature'];
        const started = process.hrtime.bigint();
        const answer = await post(waiting, signed);
        expect(answer.status, what).to.equal(401);
        expect(answer.json.error?.code, what).to.be.oneOf(['invalid_signature', 'stale_request']);
        expect(Number(process.hrtime.bigint() - started) / 1e6, `${what}: answered quickly`).to.be.below(500);
      }
      expect(await stateOf(waiting)).to.equal('awaiting_device');
    });

    it('refuses a 1 MB header and 10,000 signatures at the HTTP layer, and keeps serving', async () => {
      const good = signedDeviceAnswer(NEW, confirmation(waiting));
      const decoy = `v1,${Buffer.alloc(32, 7).toString('base64')}`;
      for (const signature of ['v1,'.padEnd(1_000_000, 'A'), Array(10_000).fill(decoy).join(' ')]) {
        const answer = await post(waiting, {
          headers: { ...good.headers, 'webhook-signature': signature },
          body: good.body,
        })
          .then((a) => a.status)
          .catch(() => 'connection closed');
        expect(answer).to.be.oneOf([431, 'connection closed']);
      }
      expect(await stateOf(waiting)).to.equal('awaiting_device');
      expect((await post(waiting, good)).status, 'the server still answers a good message').to.equal(200);
    });

    it('refuses header values outside ASCII (UTF-8 bytes, as a hostile client sends them)', async () => {
      const good = signedDeviceAnswer(NEW, confirmation(waiting));
      const valid = good.headers['webhook-signature'] ?? '';
      const send = (headers: Record<string, string>) =>
        rawRequest(`${t.url}/v1/device-prompts/${waiting.prompt?.id}/response`, {
          headers: { ...good.headers, ...headers },
          body: good.body,
        });
      const hostile: Array<Record<string, string>> = [
        { 'webhook-id': 'msg_é' },
        { 'webhook-timestamp': '١٧٠٠٠٠٠٠٠٠' },
        { 'webhook-signature': 'v1,ｖ１' },
        { 'webhook-signature': `${valid.slice(0, -2)}é=` },
      ];
      for (const headers of hostile) expect(await send(headers), JSON.stringify(headers)).to.equal(401);
      expect(await stateOf(waiting)).to.equal('awaiting_device');
      // An entry it cannot read is skipped, as the library skips it: the valid signature beside it still counts.
      expect(await send({ 'webhook-signature': `v1,💥 ${valid}` })).to.equal(200);
    });

    it('answers a body signed as sent, whatever its bytes, only with the right signature', async () => {
      const body = JSON.stringify(confirmation(waiting)).replace('{', '{ ');
      refusedWith(
        await post(waiting, { headers: signRawBody(newWhsecSecret(), body), body }),
        401,
        'invalid_signature',
      );
      expect((await post(waiting, { headers: signRawBody(OLD, body), body })).status).to.equal(200);
    });
  });

  describe('with the deprecated DEVICE_WEBHOOK_SECRET beside DEVICE_WEBHOOK_SECRETS', () => {
    beforeEach(() => start({ DEVICE_WEBHOOK_SECRETS: NEW, DEVICE_WEBHOOK_SECRET: RAW }));

    it('accepts both: the new secret in Standard Webhooks, the raw one in the old headers', async () => {
      const jan = await prompted('jan@example.nl');
      expect((await post(waiting, signedDeviceAnswer(NEW, confirmation(waiting)))).status).to.equal(200);
      expect((await post(jan, legacySignedDeviceAnswer(RAW, confirmation(jan)))).status).to.equal(200);
    });

    it('accepts the raw secret in Standard Webhooks too (the library in its raw format)', async () => {
      expect((await post(waiting, signedDeviceAnswer(RAW, confirmation(waiting)))).status).to.equal(200);
    });

    it('refuses a replayed or stale answer in the old headers too', async () => {
      const jan = await prompted('jan@example.nl');
      const misdirected = legacySignedDeviceAnswer(RAW, confirmation(jan));
      refusedWith(await post(waiting, misdirected), 400, 'invalid_request');
      refusedWith(await post(jan, misdirected), 409, 'replayed_request');
      const stale = legacySignedDeviceAnswer(RAW, confirmation(jan), {
        timestampSeconds: Math.floor(Date.now() / 1000) - 400,
      });
      refusedWith(await post(jan, stale), 401, 'stale_request');
      refusedWith(await post(jan, legacySignedDeviceAnswer(`${RAW}x`, confirmation(jan))), 401, 'invalid_signature');
      expect(await stateOf(jan)).to.equal('awaiting_device');
    });

    it('warns at start-up that DEVICE_WEBHOOK_SECRET is deprecated, naming DEVICE_WEBHOOK_SECRETS, without its value', () => {
      const warnings = t.logs.map((line) => JSON.parse(line)).filter((entry) => entry.level === 'warn');
      expect(warnings.find((w) => w.variable === 'DEVICE_WEBHOOK_SECRET')).to.include({
        use: 'DEVICE_WEBHOOK_SECRETS',
      });
      expect(t.logs.join('\n')).to.not.contain(RAW).and.not.contain(NEW);
    });
  });

  describe('with only the deprecated DEVICE_WEBHOOK_SECRET', () => {
    beforeEach(() => start({ DEVICE_WEBHOOK_SECRETS: '', DEVICE_WEBHOOK_SECRET: RAW }));

    it('keeps working as before: the old headers, and the library with the raw secret', async () => {
      const jan = await prompted('jan@example.nl');
      expect((await post(waiting, legacySignedDeviceAnswer(RAW, confirmation(waiting)))).status).to.equal(200);
      expect((await post(jan, signedDeviceAnswer(RAW, confirmation(jan)))).status).to.equal(200);
    });
  });
});

/** Now plus `offset` seconds, in whole seconds rounded away from now, so the offset is at least what it says. */
function secondsFromNow(offset: number): number {
  const now = Date.now() / 1000;
  return offset >= 0 ? Math.ceil(now) + offset : Math.floor(now) + offset;
}
