import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { request } from '../support/http.ts';
import { killServerProcesses, startServerProcess as start, until } from '../support/processes.ts';
import { useRedisServer } from '../support/redis-fixture.ts';
import { freePort } from '../support/redis-server.ts';

describe('npm start', function () {
  this.timeout(30_000);
  const redis = useRedisServer();
  let outbox: string;
  beforeEach(() => {
    outbox = mkdtempSync(join(tmpdir(), 'sv-start-'));
  });
  afterEach(() => {
    killServerProcesses();
    rmSync(outbox, { recursive: true, force: true });
  });

  it('starts on embedded defaults with a banner of what is on, and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const run = start({ PORT: String(port), OUTBOX_DIR: outbox });
    await until(() => run.stdout().includes('Configuration:'));
    const banner = run.stdout();
    expect(banner).to.contain(`support-verify is running at http://127.0.0.1:${port} (development, embedded mode)`);
    expect(banner).to.contain('in memory (single instance; set REDIS_URL to scale out)');
    expect(banner).to.contain('demo: alex@example.com, jan@example.nl');
    expect(banner).to.contain('simulated device');
    expect(banner).to.contain('dev values');
    expect(banner).to.contain(`on at http://127.0.0.1:${port}/api/messages WITHOUT authentication`);
    expect(banner).to.contain(`playground  http://127.0.0.1:${port}/ (agent, customer`);
    expect(banner, 'one host throughout').to.contain(`<script src="http://127.0.0.1:${port}/webchat.js"`);
    expect(banner).to.not.contain('localhost');
    expect(run.stderr()).to.not.match(/DeprecationWarning|Error/u);

    expect((await request(`http://127.0.0.1:${port}/healthz`)).status).to.equal(200);
    const pin = await request(`http://127.0.0.1:${port}/v1/accounts/demo-alex/support-pins`, {
      method: 'POST',
      headers: { authorization: 'Bearer demo-portal-key' },
    });
    expect(pin.status).to.equal(201);

    run.child.kill('SIGTERM');
    expect(await run.exited).to.equal(0);
  });

  it('uses Redis when REDIS_URL is set, and says so without printing credentials', async () => {
    const port = await freePort();
    const url = redis().url.replace('redis://', 'redis://user:s3cret-pass@');
    const run = start({ PORT: String(port), OUTBOX_DIR: outbox, REDIS_URL: url });
    await until(() => run.stdout().includes('Configuration:') || run.child.exitCode !== null);
    expect(run.stdout()).to.contain('(development, Redis mode)');
    expect(run.stdout()).to.contain(`Redis at redis://127.0.0.1:${redis().port}`);
    expect(run.stdout() + run.stderr()).to.not.contain('s3cret-pass');
    run.child.kill('SIGTERM');
    await run.exited;
  });

  it('refuses to start in production without Redis, naming the variables that reach it', async () => {
    const run = start({ NODE_ENV: 'production' });
    expect(await run.exited).to.equal(1);
    expect(run.stderr()).to.contain('support-verify cannot start: invalid configuration');
    expect(run.stderr()).to.contain(
      'REDIS_URL, REDIS_CLUSTER_NODES or REDIS_SENTINELS is required when NODE_ENV=production',
    );
  });

  it('refuses any invalid variable by name, all at once, without echoing values', async () => {
    const run = start({ PORT: 'eighty', LOG_LEVEL: 'loud', PIN_PEPPER: 'tooshortpepper' });
    expect(await run.exited).to.equal(1);
    for (const name of ['PORT', 'LOG_LEVEL', 'PIN_PEPPER'])
      expect(run.stderr()).to.match(new RegExp(`- ${name} `, 'u'));
    expect(run.stderr()).to.not.contain('tooshortpepper');
  });

  it('says so when the port is taken', async () => {
    const port = await freePort();
    const first = start({ PORT: String(port), OUTBOX_DIR: outbox });
    await until(() => first.stdout().includes('Configuration:'));
    const second = start({ PORT: String(port), OUTBOX_DIR: outbox });
    expect(await second.exited).to.equal(1);
    expect(second.stderr()).to.contain(
      `support-verify cannot start: port ${port} is already in use; set PORT to another`,
    );
    first.child.kill('SIGTERM');
    await first.exited;
  });
});
