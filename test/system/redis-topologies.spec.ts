import { expect } from 'chai';
import { TEST_PORTAL_KEY } from '../support/app.ts';
import { until } from '../support/processes.ts';
import { RedisClusterServers, RedisSentinelServers, useRedisTopology } from '../support/redis-topologies.ts';
import { Replicas } from '../support/replicas.ts';
import { type SlackCall, shownText } from '../support/slack.ts';

describe('server processes on Redis Cluster', function () {
  this.timeout(90_000);
  const replicas = new Replicas();
  // Registered first, so it runs first: the replicas stop before their Redis does.
  after(() => replicas.stop());
  const cluster = useRedisTopology(() => RedisClusterServers.start());
  before(async function () {
    this.timeout(90_000);
    await replicas.start(2, cluster().env);
  });

  it('runs a device and a PIN verification across two replicas, one card update per state change', async () => {
    const deviceAgent = 'U0CLUSTR1';
    const device = await replicas.deviceFlow({ command: 0, button: 1, device: 0 }, deviceAgent, 'alex@example.com');
    expect(device.answer.json).to.deep.equal({ state: 'verified' });
    const shown = await replicas.cardUpdates(deviceAgent, 2);
    expect(shown.map((u) => shownText(u)).at(-1)).to.contain('DMPXK1ALEX01');
    expect(shown).to.have.length(2);

    const pinAgent = 'U0CLUSTR2';
    const pin = await replicas.pinFlow({ command: 1, button: 0, portal: 1, submit: 0 }, pinAgent, {
      email: 'jan@example.nl',
      accountId: 'demo-jan',
    });
    expect(pin.issued.status).to.equal(201);
    expect(pin.submit.status).to.equal(200);
    const pinShown = await replicas.cardUpdates(pinAgent, 2);
    expect(pinShown).to.have.length(2);
    expect(shownText(pinShown[1] as SlackCall)).to.contain('F17ZJ3JAN003');

    const perMaster = await cluster().keysPerMaster();
    expect(perMaster?.filter((count) => count > 0).length, `keys per master: ${perMaster}`).to.be.greaterThan(1);
    expect(replicas.allAlive()).to.equal(true);
  });
});

describe('server processes on Redis behind Sentinel', function () {
  this.timeout(120_000);
  const replicas = new Replicas();
  after(() => replicas.stop());
  const servers = useRedisTopology(() => RedisSentinelServers.start());
  before(async function () {
    this.timeout(90_000);
    // As production would run it: a consumed PIN or a counted try is answered only once the replica has it.
    await replicas.start(2, servers().env, { REDIS_WAIT_REPLICAS: '1' });
  });

  it('verifies across replicas, follows a failover, fails closed while the new master has no replica, and recovers', async () => {
    const first = await replicas.deviceFlow({ command: 0, button: 1, device: 0 }, 'U0SENTNL1', 'alex@example.com');
    expect(first.answer.json).to.deep.equal({ state: 'verified' });

    await servers().failover();
    // Both processes find the new master themselves; /healthz?deep says so without a restart.
    await until(async () => {
      const ready = await Promise.all(
        [0, 1].map((r) =>
          fetch(`${replicas.url(r)}/healthz?deep`).then(
            (a) => a.status,
            () => 0,
          ),
        ),
      );
      return ready.every((status) => status === 200);
    }, 20_000);

    // The new master has no replica yet: no PIN is issued that a second failover could lose or bring back.
    const issued = await fetch(`${replicas.url(1)}/v1/accounts/demo-jan/support-pins`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_PORTAL_KEY}` },
    });
    expect(issued.status).to.equal(503);
    expect(issued.headers.get('retry-after')).to.equal('2');
    expect(((await issued.json()) as { error: { code: string } }).error.code).to.equal('temporarily_unavailable');

    await servers().restoreOldMaster();
    const after = await replicas.pinFlow({ command: 0, button: 1, portal: 0, submit: 1 }, 'U0SENTNL3', {
      email: 'jan@example.nl',
      accountId: 'demo-jan',
    });
    expect(after.submit.status).to.equal(200);
    const shown = await replicas.cardUpdates('U0SENTNL3', 2);
    expect(shownText(shown.at(-1) as SlackCall)).to.contain('F17ZJ3JAN003');
    expect(replicas.allAlive()).to.equal(true);
  });
});
