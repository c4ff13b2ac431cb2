import { expect } from 'chai';
import type { Session } from '../../../core/session.ts';
import { startTestApp, TEST_DEVICE_SECRET, type TestApp } from '../../support/app.ts';
import { newWhsecSecret, signedDeviceAnswer, signRawBody } from '../../support/device-signing.ts';
import { AGENT } from '../../support/fakes.ts';
import { request } from '../../support/http.ts';
import { useRedisServer } from '../../support/redis-fixture.ts';

const agent = { kind: 'agent', who: AGENT } as const;

describe('POST /v1/device-prompts/:promptId/response', () => {
  const redis = useRedisServer();
  let t: TestApp;
  let waiting: Session;
  let promptId: string;

  beforeEach(async () => {
    await redis().flush();
    t = await startTestApp({ redisUrl: redis().url });
    const session = await t.app.verification.start({ agent: AGENT, query: 'alex@example.com' });
    waiting = await t.app.verification.chooseDevice(session.id, agent);
    promptId = waiting.prompt?.id ?? '';
  });
  afterEach(async () => t.close());

  const post = (id: string, signed: { headers: Record<string, string>; body: string }) =>
    request(`${t.url}/v1/device-prompts/${id}/response`, {
      method: 'POST',
      headers: signed.headers,
      body: signed.body,
    });
  const answer = (decision: string, extra: Record<string, unknown> = {}) =>
    signedDeviceAnswer(TEST_DEVICE_SECRET, {
      promptId,
      decision,
      matchedNumber: waiting.prompt?.matchNumber,
      ...extra,
    });
  const unchanged = async () => {
    const now = await t.app.verification.get(waiting.id);
    expect(now).to.include({ state: 'awaiting_device', version: waiting.version });
  };

  it('verifies on a signed confirmation with the matching number', async () => {
    const result = await post(promptId, answer('confirmed'));
    expect(result.status).to.equal(200);
    expect(result.json).to.deep.equal({ state: 'verified' });
    expect((await t.app.verification.get(waiting.id)).grant?.agentId).to.equal(AGENT.id);
  });

  it('denies on "Don’t confirm", on "Report fraud", and on the wrong number', async () => {
    expect((await post(promptId, answer('denied'))).json).to.deep.equal({ state: 'denied' });
    expect((await t.app.verification.get(waiting.id)).reason).to.equal('device_denied');
  });

  it('reports fraud', async () => {
    expect((await post(promptId, answer('fraud'))).json).to.deep.equal({ state: 'denied' });
    expect((await t.app.verification.get(waiting.id)).reason).to.equal('fraud_reported');
  });

  it('counts a wrong number as a refusal', async () => {
    const wrong = ((waiting.prompt?.matchNumber ?? 10) % 89) + 10;
    expect((await post(promptId, answer('confirmed', { matchedNumber: wrong }))).json).to.deep.equal({
      state: 'denied',
    });
    expect((await t.app.verification.get(waiting.id)).reason).to.equal('number_mismatch');
  });

  it('refuses a replayed answer (its webhook-id was seen), and a second answer: each prompt takes one', async () => {
    const signed = answer('confirmed');
    expect((await post(promptId, signed)).status).to.equal(200);
    const replay = await post(promptId, signed);
    expect(replay.status).to.equal(409);
    expect(replay.json.error?.code).to.equal('replayed_request');
    const secondAnswer = await post(promptId, answer('confirmed'));
    expect(secondAnswer.status).to.equal(409);
    expect(secondAnswer.json.error?.code).to.equal('not_pending');
    const denyAfter = await post(promptId, answer('denied'));
    expect(denyAfter.status).to.equal(409);
    expect((await t.app.verification.get(waiting.id)).state).to.equal('verified');
  });

  it('refuses a timestamp more than 5 minutes old or ahead, and changes nothing', async () => {
    for (const offset of [-301, 301, -3600]) {
      const stale = signedDeviceAnswer(
        TEST_DEVICE_SECRET,
        { promptId, decision: 'confirmed', matchedNumber: waiting.prompt?.matchNumber },
        // Rounded away from now: toward it, +301 could be 300.x seconds ahead by the time the server checks.
        { timestampSeconds: (offset >= 0 ? Math.ceil : Math.floor)(Date.now() / 1000) + offset },
      );
      const result = await post(promptId, stale);
      expect(result.status, String(offset)).to.equal(401);
      expect(result.json.error?.code).to.equal('stale_request');
    }
    await unchanged();
  });

  it('refuses a missing or wrong signature, and any changed byte', async () => {
    const good = answer('confirmed');
    const cases = [
      { headers: { 'content-type': 'application/json' }, body: good.body },
      { headers: { ...good.headers, 'webhook-signature': 'v1,00' }, body: good.body },
      signedDeviceAnswer(newWhsecSecret(), JSON.parse(good.body)),
      { headers: good.headers, body: good.body.replace('confirmed', 'Confirmed') },
      { headers: good.headers, body: `${good.body} ` },
    ];
    for (const signed of cases) {
      const result = await post(promptId, signed);
      expect(result.status).to.equal(401);
      expect(result.json.error?.code).to.equal('invalid_signature');
    }
    await unchanged();
    await t.app.refusals.flush();
    const rejected = (await t.app.auditRecord.read()).filter((e) => e.type === 'device_response_rejected');
    // An unsigned answer proved nothing: one entry per source, kind and minute, with the count.
    expect(rejected.map((e) => [e.detail?.source, e.detail?.reason, e.detail?.count])).to.have.deep.members([
      ['127.0.0.1', 'missing', 1],
      ['127.0.0.1', 'invalid', 4],
    ]);
  });

  it('refuses a signed answer replayed against another prompt', async () => {
    const other = await t.app.verification.start({ agent: AGENT, query: 'jan@example.nl' });
    const otherWaiting = await t.app.verification.chooseDevice(other.id, agent);
    const signedForAlex = answer('confirmed');
    const result = await post(otherWaiting.prompt?.id ?? '', signedForAlex);
    expect(result.status).to.equal(400);
    expect(result.json.error?.message).to.contain('promptId');
    expect((await t.app.verification.get(other.id)).state).to.equal('awaiting_device');
  });

  it('refuses malformed bodies even when signed, naming the problem', async () => {
    const signedRaw = (body: string) => ({ headers: signRawBody(TEST_DEVICE_SECRET, body), body });
    const cases: Array<[string, string]> = [
      ['{"promptId":', 'invalid_json'],
      ['"confirmed"', 'invalid_request'],
      [JSON.stringify({ promptId, decision: 'maybe' }), 'invalid_request'],
      [JSON.stringify({ promptId }), 'invalid_request'],
      [JSON.stringify({ promptId, decision: 'confirmed', matchedNumber: '42' }), 'invalid_request'],
      [JSON.stringify({ promptId, decision: 'confirmed', matchedNumber: 100 }), 'invalid_request'],
      [JSON.stringify({ promptId, decision: 'confirmed', grant: true }), 'invalid_request'],
    ];
    for (const [body, code] of cases) {
      const result = await post(promptId, signedRaw(body));
      expect(result.status, body).to.equal(400);
      expect(result.json.error?.code, body).to.equal(code);
    }
    await unchanged();
  });

  it('refuses the wrong content type and oversized bodies before reading them', async () => {
    const good = answer('confirmed');
    const plain = await post(promptId, { headers: { ...good.headers, 'content-type': 'text/plain' }, body: good.body });
    expect(plain.status).to.equal(415);
    const huge = signedDeviceAnswer(TEST_DEVICE_SECRET, { promptId, decision: 'confirmed', pad: 'x'.repeat(10_000) });
    expect((await post(promptId, huge)).status).to.equal(413);
    await unchanged();
  });

  it('answers 404 for a prompt that does not exist', async () => {
    const unknown = `${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}.${'a'.repeat(12)}`;
    const result = await post(
      unknown,
      signedDeviceAnswer(TEST_DEVICE_SECRET, { promptId: unknown, decision: 'confirmed' }),
    );
    expect(result.status).to.equal(404);
    const odd = await post(
      'not-a-prompt',
      signedDeviceAnswer(TEST_DEVICE_SECRET, { promptId: 'not-a-prompt', decision: 'confirmed' }),
    );
    expect(odd.status).to.equal(404);
  });

  it('refuses an answer that arrives after the prompt expired', async () => {
    const clock = { offset: 0, now: () => Date.now() + clock.offset };
    const late = await startTestApp({ redisUrl: redis().url, clock });
    const session = await late.app.verification.start({ agent: AGENT, query: 'jan@example.nl' });
    const prompt = (await late.app.verification.chooseDevice(session.id, agent)).prompt;
    clock.offset = 121_000;
    const signed = signedDeviceAnswer(
      TEST_DEVICE_SECRET,
      { promptId: prompt?.id, decision: 'confirmed', matchedNumber: prompt?.matchNumber },
      { now: clock.now() },
    );
    const result = await request(`${late.url}/v1/device-prompts/${prompt?.id}/response`, { method: 'POST', ...signed });
    expect(result.status).to.equal(409);
    expect((await late.app.verification.get(session.id)).state).to.equal('expired');
    await late.close();
  });

  it('works end to end with the simulated device answering through this route', async () => {
    const device = t.app.device;
    expect(device?.pending('demo-alex').map((p) => p.promptId)).to.deep.equal([promptId]);
    expect(
      await device?.answer(promptId, { decision: 'confirmed', matchedNumber: waiting.prompt?.matchNumber }),
    ).to.equal(200);
    expect((await t.app.verification.get(waiting.id)).state).to.equal('verified');
  });
});
