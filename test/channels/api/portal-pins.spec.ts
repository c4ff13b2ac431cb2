import { expect } from 'chai';
import { startTestApp, TEST_PORTAL_KEY, TEST_PORTAL_KEY_2, type TestApp } from '../../support/app.ts';
import { AGENT } from '../../support/fakes.ts';
import { request } from '../../support/http.ts';
import { useRedisServer } from '../../support/redis-fixture.ts';

describe('POST /v1/accounts/:accountId/support-pins', () => {
  const redis = useRedisServer();
  let t: TestApp;
  beforeEach(async () => {
    await redis().flush();
    t = await startTestApp({ redisUrl: redis().url });
  });
  afterEach(async () => t.close());

  const issue = (
    accountId = 'demo-alex',
    options: { key?: string | null; headers?: Record<string, string>; body?: string } = {},
  ) =>
    request(`${t.url}/v1/accounts/${accountId}/support-pins`, {
      method: 'POST',
      headers: {
        ...(options.key === null ? {} : { authorization: `Bearer ${options.key ?? TEST_PORTAL_KEY}` }),
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...options.headers,
      },
      ...(options.body === undefined ? {} : { body: options.body }),
    });

  it('issues a 4-digit PIN with its expiry and the words to show the customer', async () => {
    const answer = await issue();
    expect(answer.status).to.equal(201);
    expect(answer.json.pin).to.match(/^\d{4}$/u);
    expect(answer.json.validForSeconds).to.equal(600);
    expect(Date.parse(String(answer.json.expiresAt)) - Date.now()).to.be.within(595_000, 600_000);
    expect(answer.json.message)
      .to.contain(`Your support PIN is ${answer.json.pin}`)
      .and.contain('never ask for your password');
    expect(answer.headers.get('cache-control')).to.equal('no-store');
  });

  it('speaks Dutch when asked, by header or body', async () => {
    expect((await issue('demo-alex', { headers: { 'accept-language': 'nl-NL,nl;q=0.9' } })).json.message).to.match(
      /^Je support-pincode is \d{4}/u,
    );
    expect((await issue('demo-jan', { body: '{"locale":"nl"}' })).json.message).to.match(/^Je support-pincode/u);
  });

  it('accepts every configured key, for rotation', async () => {
    expect((await issue('demo-alex', { key: TEST_PORTAL_KEY_2 })).status).to.equal(201);
  });

  it('answers 429 with Retry-After past the PINs one key may have issued per minute, alerts, and spares other keys', async () => {
    await t.close();
    t = await startTestApp({
      redisUrl: redis().url,
      mutate: (config) => {
        config.policies = { ...config.policies, portalPinsPerMinute: 10 };
      },
    });
    const answers = await Promise.all(Array.from({ length: 15 }, () => issue('demo-alex')));
    expect(answers.filter((a) => a.status === 201)).to.have.length(10);
    const refused = answers.filter((a) => a.status === 429);
    expect(refused).to.have.length(5);
    expect(refused[0]?.json.error?.code).to.equal('rate_limited');
    expect(Number(refused[0]?.headers.get('retry-after'))).to.be.within(1, 60);
    expect((await issue('demo-alex', { key: TEST_PORTAL_KEY_2 })).status, 'the other key').to.equal(201);
    const alerts = (await t.app.auditRecord.read()).filter((e) => e.type === 'portal_rate_exceeded');
    expect(alerts).to.have.length(5);
    expect(t.logs.some((line) => line.includes('security alert: portal_rate_exceeded'))).to.equal(true);
    expect(await redis().dump(), 'the key itself is never stored').to.not.contain(TEST_PORTAL_KEY);
  });

  it('refuses a missing, wrong or differently-schemed key with 401, audited, and issues nothing', async () => {
    for (const headers of <Record<string, string>[]>[
      {},
      { authorization: 'Bearer wrong-key-0123456789abcdef' },
      { authorization: `Bearer ${TEST_PORTAL_KEY}x` },
      { authorization: `Basic ${Buffer.from(`x:${TEST_PORTAL_KEY}`).toString('base64')}` },
      { authorization: `Bearer ${TEST_PORTAL_KEY} extra` },
    ]) {
      const answer = await issue('demo-alex', { key: null, headers });
      expect(answer.status, JSON.stringify(headers)).to.equal(401);
      expect(answer.json.error?.code).to.equal('unauthorized');
      expect(answer.headers.get('www-authenticate')).to.equal('Bearer realm="support-verify"');
    }
    expect(await redis().dump()).to.not.contain('support-pin');
    await t.app.refusals.flush();
    const audit = await t.app.auditRecord.read();
    // Whoever sends a bad key proved nothing: one entry for the source and the minute, with the count.
    const rejected = audit.filter((e) => e.type === 'portal_key_rejected');
    expect(rejected.map((e) => [e.detail?.source, e.detail?.count])).to.deep.equal([['127.0.0.1', 5]]);
  });

  it('audits a flood of bad keys as one entry per source per minute, and counts every one in the metric', async () => {
    const bad = { key: null, headers: { authorization: 'Bearer wrong-key-0123456789abcdef' } };
    const from = async (localAddress: string, n: number) => {
      for (let i = 0; i < n; i++) {
        const answer = await request(`${t.url}/v1/accounts/demo-alex/support-pins`, {
          method: 'POST',
          headers: bad.headers,
          body: '',
          localAddress,
        });
        expect(answer.status).to.equal(401);
      }
    };
    await Promise.all([from('127.0.0.1', 300), from('127.0.0.2', 200)]);
    await t.app.refusals.flush();
    await from('127.0.0.2', 7);
    await t.app.refusals.flush();
    const entries = (await t.app.auditRecord.read()).filter((e) => e.type === 'portal_key_rejected');
    expect(entries.map((e) => [e.detail?.source, e.detail?.count])).to.have.deep.members([
      ['127.0.0.1', 300],
      ['127.0.0.2', 200],
      ['127.0.0.2', 7],
    ]);
    const metrics = await (await fetch(`${t.url}/metrics`)).text();
    expect(metrics).to.match(/support_verify_unauthenticated_refusals_total\{kind="portal_key_rejected"\} 507/u);
  });

  it('answers 404 for an unknown account and issues nothing', async () => {
    const answer = await issue('demo-nobody');
    expect(answer.status).to.equal(404);
    expect(answer.json.error?.code).to.equal('account_not_found');
    expect(await redis().dump()).to.not.contain('support-pin');
  });

  it('refuses malformed account ids and bodies with a clear 4xx, issuing nothing', async () => {
    const cases: Array<[string, Parameters<typeof issue>[1], number, string]> = [
      ['..%2F..%2Fetc', {}, 400, 'invalid_request'],
      [`a${'b'.repeat(200)}`, {}, 400, 'invalid_request'],
      ['demo-alex', { body: '{"locale":' }, 400, 'invalid_json'],
      ['demo-alex', { body: '[]' }, 400, 'invalid_request'],
      ['demo-alex', { body: '{"locale":"fr"}' }, 400, 'invalid_request'],
      ['demo-alex', { body: '{"pin":"1234"}' }, 400, 'invalid_request'],
      ['demo-alex', { body: JSON.stringify({ locale: 'en', pad: 'x'.repeat(5000) }) }, 413, 'payload_too_large'],
      ['demo-alex', { body: '{}', headers: { 'content-type': 'text/plain' } }, 415, 'unsupported_media_type'],
    ];
    for (const [accountId, options, status, code] of cases) {
      const answer = await issue(accountId, options);
      expect(answer.status, `${accountId} ${JSON.stringify(options)}`).to.equal(status);
      expect(answer.json.error?.code).to.equal(code);
    }
    expect(await redis().dump()).to.not.contain('support-pin');
  });

  it('names what is wrong with a body', async () => {
    const answer = await issue('demo-alex', { body: '{"locale":"fr","extra":1}' });
    expect(answer.json.error?.message).to.contain('locale').and.contain('extra');
  });

  it('issues a PIN that verifies the customer once', async () => {
    const { pin } = (await issue()).json as { pin: string };
    const session = await t.app.verification.start({ agent: AGENT, query: 'alex@example.com' });
    await t.app.verification.choosePin(session.id, { kind: 'agent', who: AGENT });
    expect((await t.app.verification.submitPin(session.id, pin, { kind: 'agent', who: AGENT })).result).to.equal(
      'accepted',
    );
  });

  it('answers 423 with until when, in the customer’s language, while PIN checks are locked, and issues nothing', async () => {
    const asAgent = { kind: 'agent', who: AGENT } as const;
    for (let i = 0; i < 4; i++) {
      const session = await t.app.verification.start({ agent: AGENT, query: 'alex@example.com' });
      const asked = await t.app.verification.choosePin(session.id, asAgent);
      for (let n = 0; n < (asked.pinTriesLeft ?? 0); n++)
        await t.app.verification.submitPin(session.id, `000${n}`, asAgent);
    }
    const locked = await issue('demo-alex', { headers: { 'accept-language': 'nl' } });
    expect(locked.status).to.equal(423);
    expect(locked.json.error).to.deep.include({ code: 'pins_locked' });
    expect(Date.parse(String(locked.json.lockedUntil)) - Date.now()).to.be.within(86_390_000, 86_400_000);
    expect(locked.json.message).to.match(/^Support-pincodes zijn voor je account gepauzeerd tot /u);
    expect(locked.json).to.not.have.property('pin');
    expect(Number(locked.headers.get('retry-after'))).to.be.within(86_390, 86_400);
    expect((await issue('demo-jan')).status, 'other accounts are unaffected').to.equal(201);
  });

  it('answers 503 "try again" while Redis is down, and works again after', async function () {
    this.timeout(20_000);
    await redis().stop();
    const down = await issue();
    expect(down.status).to.equal(503);
    expect(down.json.error?.code).to.equal('temporarily_unavailable');
    expect(down.headers.get('retry-after')).to.equal('2');
    await redis().launch();
    let up = await issue();
    for (let i = 0; i < 100 && up.status !== 201; i++) {
      await new Promise((r) => setTimeout(r, 100));
      up = await issue();
    }
    expect(up.status).to.equal(201);
  });
});
