import { expect } from 'chai';
import { startTestApp, TEST_PORTAL_KEY, type TestApp } from '../../support/app.ts';
import { request } from '../../support/http.ts';
import { sleep, useRedisServer } from '../../support/redis-fixture.ts';

describe('health, readiness, metrics and unknown routes', () => {
  const redis = useRedisServer();
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp({ redisUrl: redis().url });
  });
  afterEach(async () => t.close());

  it('is alive', async () => {
    const answer = await request(`${t.url}/healthz`);
    expect(answer.status).to.equal(200);
    expect(answer.json.status).to.equal('ok');
  });

  it('stays ready while Redis is down, so every replica keeps giving the fail-closed answer; ?deep and a metric say Redis is down', async function () {
    this.timeout(20_000);
    expect((await request(`${t.url}/readyz`)).json).to.deep.equal({ status: 'ready', store: 'reachable' });
    expect((await request(`${t.url}/healthz?deep`)).json).to.include({ status: 'ok', store: 'reachable' });
    expect((await request(`${t.url}/metrics`)).text).to.match(/^support_verify_store_up 1$/mu);
    await redis().stop();

    const ready = await request(`${t.url}/readyz`);
    expect(ready.status, 'a load balancer keeps sending work: the answers are "temporarily unavailable"').to.equal(200);
    expect(ready.json).to.deep.equal({ status: 'ready', store: 'unreachable', answers: 'fail_closed' });
    const pin = await request(`${t.url}/v1/accounts/demo-alex/support-pins`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_PORTAL_KEY}` },
    });
    expect(pin.status).to.equal(503);
    expect(pin.json.error?.code).to.equal('temporarily_unavailable');
    const deep = await request(`${t.url}/healthz?deep`);
    expect(deep.status).to.equal(503);
    expect(deep.json).to.include({ status: 'degraded', store: 'unreachable' });
    expect(deep.headers.get('retry-after')).to.equal('2');
    expect((await request(`${t.url}/healthz`)).status, 'liveness: a restart cannot bring Redis back').to.equal(200);
    expect((await request(`${t.url}/metrics`)).text).to.match(/^support_verify_store_up 0$/mu);

    await redis().launch();
    let up = await request(`${t.url}/healthz?deep`);
    for (let i = 0; i < 100 && up.status !== 200; i++) {
      await sleep(100);
      up = await request(`${t.url}/healthz?deep`);
    }
    expect(up.status).to.equal(200);
    expect((await request(`${t.url}/readyz`)).json).to.deep.equal({ status: 'ready', store: 'reachable' });
  });

  it('is unready while it drains before a shutdown, and goes on answering everything else', async () => {
    t.app.drain();
    const ready = await request(`${t.url}/readyz`);
    expect(ready.status).to.equal(503);
    expect(ready.json).to.deep.equal({ status: 'draining' });
    expect((await request(`${t.url}/healthz`)).status, 'alive: a drain is not a reason to restart').to.equal(200);
    const pin = await request(`${t.url}/v1/accounts/demo-alex/support-pins`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_PORTAL_KEY}` },
    });
    expect(pin.status, 'work still sent here is done').to.equal(201);
  });

  it('reports Prometheus metrics, including audit events and requests', async () => {
    await request(`${t.url}/v1/accounts/demo-alex/support-pins`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_PORTAL_KEY}` },
    });
    const metrics = await request(`${t.url}/metrics`);
    expect(metrics.status).to.equal(200);
    expect(metrics.headers.get('content-type')).to.match(/^text\/plain; version=0\.0\.4/u);
    expect(metrics.text).to.match(
      /support_verify_audit_events_total\{type="pin_issued",outcome="info",channel="api"\} 1/u,
    );
    expect(metrics.text).to.match(
      /support_verify_http_request_duration_seconds_count\{route="\/v1\/accounts\/:accountId\/support-pins",method="POST",status="201"\} 1/u,
    );
    expect(metrics.text).to.contain('process_resident_memory_bytes');
  });

  it('answers unknown routes and methods with JSON errors', async () => {
    const missing = await request(`${t.url}/nope`);
    expect(missing.status).to.equal(404);
    expect(missing.json).to.deep.equal({ error: { code: 'not_found', message: 'no such route' } });
    const wrongMethod = await request(`${t.url}/healthz`, { method: 'DELETE' });
    expect(wrongMethod.status).to.equal(405);
    expect(wrongMethod.json.error?.code).to.equal('method_not_allowed');
    const oddPath = await request(`${t.url}/%E0%A4%A`);
    expect(oddPath.status).to.be.within(400, 499);
  });

  it('with METRICS_TOKEN, shows /metrics only to a bearer of it', async () => {
    const token = 'metrics-token-0123456789abcdef0123456789';
    const guarded = await startTestApp({ env: { METRICS_TOKEN: token } });
    try {
      for (const authorization of [undefined, 'Bearer nope', `Bearer ${token}x`, token]) {
        const answer = await request(`${guarded.url}/metrics`, authorization ? { headers: { authorization } } : {});
        expect(answer.status, String(authorization)).to.equal(401);
        expect(answer.text).not.to.contain('support_verify_');
      }
      const shown = await request(`${guarded.url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
      expect(shown.status).to.equal(200);
      expect(shown.text).to.contain('support_verify_audit_events_total');
    } finally {
      await guarded.close();
    }
  });

  it('with METRICS_PORT, serves /metrics on loopback there and not on the public port', async () => {
    const apart = await startTestApp({ mutate: (config) => Object.assign(config.metrics, { port: 0 }) });
    try {
      expect((await request(`${apart.url}/metrics`)).status).to.equal(404);
      const url = apart.app.metricsUrl ?? '';
      expect(url).to.match(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/u);
      const shown = await request(url);
      expect(shown.status).to.equal(200);
      expect(shown.text).to.contain('support_verify_audit_events_total');
      expect((await request(url.replace('/metrics', '/healthz'))).status).to.equal(404);
    } finally {
      await apart.close();
    }
  });

  it('sends security headers on every answer', async () => {
    for (const path of ['/healthz', '/nope']) {
      const answer = await request(`${t.url}${path}`);
      expect(answer.headers.get('x-content-type-options')).to.equal('nosniff');
      expect(answer.headers.get('x-frame-options')).to.equal('DENY');
      expect(answer.headers.get('referrer-policy')).to.equal('no-referrer');
    }
  });
});
