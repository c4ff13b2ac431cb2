import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { TEST_PORTAL_KEY } from '../support/app.ts';
import { request } from '../support/http.ts';
import { killServerProcesses, signalServer, startServerProcess } from '../support/processes.ts';
import { RecordingServer } from '../support/recording-server.ts';
import { useRedisServer } from '../support/redis-fixture.ts';
import { freePort } from '../support/redis-server.ts';
import { SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, SlackApiDouble, slackHeaders, slashCommand } from '../support/slack.ts';

const ALEX = {
  id: 'demo-alex',
  displayName: 'Alex Morgan',
  email: 'alex@example.com',
  locale: 'en',
  memberSince: '2019-03-14',
  plan: 'Family',
  devices: [{ id: 'd1', name: 'iPhone', kind: 'phone', trusted: true, model: 'iPhone 15', serial: 'DMPXK1ALEX01' }],
};

describe('graceful shutdown on SIGTERM', function () {
  this.timeout(30_000);
  const redis = useRedisServer();
  const slack = new SlackApiDouble();
  const directory = new RecordingServer();
  let outbox: string;
  let directoryUrl = '';
  before(async () => {
    await slack.start();
    // A slow directory keeps requests, and work after Slack's ack, in flight when the signal comes.
    directory.reply = () => new Promise((resolve) => setTimeout(() => resolve({ status: 200, body: ALEX }), 800));
    directoryUrl = await directory.start();
    outbox = mkdtempSync(join(tmpdir(), 'sv-shutdown-'));
  });
  after(async () => {
    killServerProcesses();
    await slack.stop();
    await directory.stop();
    rmSync(outbox, { recursive: true, force: true });
  });

  it('stops accepting, finishes what is in flight (answers and work after the ack), closes Redis, exits 0', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const run = startServerProcess({
      PORT: String(port),
      REDIS_URL: redis().url,
      SLACK_SIGNING_SECRET,
      SLACK_BOT_TOKEN,
      SLACK_API_URL: `${slack.url}/api/`,
      ACCOUNTS_URL: `${directoryUrl}/v1`,
      PORTAL_API_KEYS: TEST_PORTAL_KEY,
      PIN_PEPPER: 'shutdown-pin-pepper-0123456789abcdef',
      AUDIT_KEY: 'shutdown-audit-key-0123456789abcdef',
      OUTBOX_DIR: outbox,
      LOG_LEVEL: 'info',
    });
    await run.started();
    const clientsBefore = await redisClients();

    const body = slashCommand('alex@example.com', {}, slack.responseUrl());
    const ack = await request(`${url}/slack/events`, {
      method: 'POST',
      headers: slackHeaders(body, 'application/x-www-form-urlencoded'),
      body,
    });
    expect(ack.status, 'Slack has its ack at once').to.equal(200);
    const pin = request(`${url}/v1/accounts/demo-alex/support-pins`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_PORTAL_KEY}` },
    });
    await new Promise((r) => setTimeout(r, 150));
    signalServer(run.child, 'SIGTERM');
    await new Promise((r) => setTimeout(r, 150));

    const refused = await fetch(`${url}/healthz`).then(
      () => 'answered',
      () => 'refused',
    );
    expect(refused, 'no new connection is accepted once stopping').to.equal('refused');
    expect((await pin).status, 'the request in flight is answered').to.equal(201);
    expect(await run.exited).to.equal(0);
    expect(slack.calls('chat.postMessage'), 'the verification started before the signal got its card').to.have.length(
      1,
    );
    expect(run.stdout()).to.contain('shutting down');
    expect(await redisClients(), 'its Redis connections are closed').to.equal(clientsBefore - 2);
  });

  it('with SHUTDOWN_DRAIN_SECONDS, says unready but answers everything for that long, then stops and exits 0', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const run = startServerProcess({
      PORT: String(port),
      REDIS_URL: redis().url,
      OUTBOX_DIR: outbox,
      SHUTDOWN_DRAIN_SECONDS: '2',
      LOG_LEVEL: 'info',
    });
    await run.started();
    expect((await request(`${url}/readyz`)).status).to.equal(200);
    const signalled = Date.now();
    signalServer(run.child, 'SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    expect((await request(`${url}/readyz`)).json).to.deep.equal({ status: 'draining' });
    const pin = await request(`${url}/v1/accounts/demo-alex/support-pins`, {
      method: 'POST',
      headers: { authorization: 'Bearer demo-portal-key' },
    });
    expect(pin.status, 'a request the load balancer still sends is answered').to.equal(201);
    expect(await run.exited).to.equal(0);
    expect(Date.now() - signalled).to.be.at.least(2000);
    expect(run.stdout()).to.match(/"drainSeconds":2.*shutting down|shutting down.*"drainSeconds":2/u);
  });

  async function redisClients(): Promise<number> {
    const client = redis().client();
    const list = await client.client('LIST');
    await client.quit();
    return String(list).trim().split('\n').length - 1;
  }
});
