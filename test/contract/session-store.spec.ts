import { expect } from 'chai';
import type { Redis } from 'ioredis';
import sinon from 'sinon';
import { InProcessBus } from '../../adapters/bus/in-process-bus.ts';
import { RedisBus } from '../../adapters/bus/redis-bus.ts';
import { MemoryDeadlines } from '../../adapters/store/memory-deadlines.ts';
import { MemorySessionStore } from '../../adapters/store/memory-session-store.ts';
import { RedisSessionStore } from '../../adapters/store/redis-session-store.ts';
import { StoreUnavailableError } from '../../core/errors.ts';
import type { SessionUpdate } from '../../core/ports/index.ts';
import { FakeClock } from '../support/clock.ts';
import { readyClients, replicaStoresAndBuses, sleep, useRedisServer } from '../support/redis-fixture.ts';
import { RedisServer } from '../support/redis-server.ts';
import { sampleSession, sessionStoreContract } from './session-store.contract.ts';

sessionStoreContract('memory', async () => {
  const clock = new FakeClock(Date.now());
  const store = new MemorySessionStore(clock);
  const bus = new InProcessBus();
  const schedule = new MemoryDeadlines();
  return {
    stores: [store, store],
    buses: [bus, bus],
    schedules: [schedule, schedule],
    elapse: async (ms) => clock.advance(ms),
    close: async () => {
      await bus.close();
      await store.close();
    },
  };
});

describe('RedisSessionStore', () => {
  const redis = useRedisServer();

  sessionStoreContract('redis', async () => {
    const { stores, buses, schedules } = await replicaStoresAndBuses(redis().url);
    return {
      stores,
      buses,
      schedules,
      elapse: sleep,
      close: async () => {
        await Promise.all(buses.map((b) => b.close()));
        await Promise.all(stores.map((s) => s.close()));
      },
    };
  });

  it('commits, takes the render turn and publishes in one script when the bus is on its connection', async () => {
    const [client, elsewhere] = (await readyClients(redis().url, 2)) as [Redis, Redis];
    const store = new RedisSessionStore(client);
    const sameConnection = new RedisBus(client);
    const otherConnection = new RedisBus(elsewhere);
    const heard: SessionUpdate[] = [];
    await otherConnection.subscribe((update) => {
      heard.push(update);
    });
    await sameConnection.subscribe(() => undefined);
    const publish = sinon.spy(client, 'publish');
    const publishElsewhere = sinon.spy(elsewhere, 'publish');
    const session = sampleSession();
    const update = { sessionId: session.id, version: 1, state: session.state, turnMs: 5_000 };
    const turn = { token: 'token-a', turnMs: 5_000 };
    expect((await store.create(session, 60_000, { bus: sameConnection, update, turn })).turn?.kind).to.equal('yours');
    expect(publish.callCount, 'no PUBLISH of its own: the script sent it').to.equal(0);
    await sameConnection.flush(2000);
    const next = { ...session, version: 2 };
    await store.passRenderTurn(session.id, 'token-a', { version: 1, messages: {} }, { turnMs: 5_000 });
    // Any other bus publishes itself, once the write is in.
    const committed = await store.replace(next, 60_000, {
      bus: otherConnection,
      update: { ...update, version: 2 },
      turn,
    });
    expect(committed?.turn?.kind).to.equal('yours');
    expect(publishElsewhere.callCount).to.equal(1);
    for (let i = 0; i < 50 && heard.length < 2; i++) await sleep(10);
    expect(heard.map((u) => u.version).sort()).to.deep.equal([1, 2]);
    sinon.restore();
    await Promise.all([sameConnection.close(), otherConnection.close()]);
    await store.close();
    elsewhere.disconnect();
  });

  it('puts a TTL on every key it writes, and a hash tag in every key', async () => {
    await redis().flush();
    const [client] = await readyClients(redis().url, 1);
    const store = new RedisSessionStore(client as Redis);
    const session = sampleSession();
    await store.create(session, 60_000);
    await store.replace({ ...session, version: 2 }, 60_000);
    await store.take('a:x', {
      counters: [{ name: 'c', limit: 5, windowMs: 60_000 }],
      hold: { name: 'h', value: 'v', ttlMs: 60_000 },
    });
    await store.refund('a:x', 'c');
    await store.setFlag('a:x', 'f', 'v', 60_000);
    await store.claim('k', 60_000);
    await store.remember('g:agent', 'recent', session.id, 5, 60_000);

    const inspector = redis().client();
    const keys = await inspector.keys('*');
    expect(keys).to.have.length(6);
    for (const key of keys) {
      expect(key).to.match(/^sv:\{[^}]+\}/u);
      expect(await inspector.pttl(key), key).to.be.within(1, 60_000);
    }
    await inspector.quit();
    await store.close();
  });

  it('fails closed with StoreUnavailableError when Redis is gone, and recovers when it is back', async function () {
    this.timeout(20_000);
    const [client] = await readyClients(redis().url, 1, { commandTimeoutMs: 300 });
    const store = new RedisSessionStore(client as Redis);
    const session = sampleSession();
    await store.create(session, 60_000);

    await redis().stop();
    for (const call of [
      () => store.get(session.id),
      () => store.replace({ ...session, version: 2 }, 60_000),
      () => store.take('a:y', { counters: [{ name: 'c', limit: 1, windowMs: 1000 }] }),
      () => store.claim('k2', 1000),
      () => store.ping(),
    ]) {
      let failure: unknown;
      await call().catch((error: unknown) => {
        failure = error;
      });
      expect(failure).to.be.instanceOf(StoreUnavailableError);
    }

    await redis().launch();
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && client?.status !== 'ready') await sleep(50);
    await store.ping();
    await store.create(sampleSession(), 60_000);
    await store.close();
  });

  describe('with a replica (REDIS_WAIT_REPLICAS)', () => {
    let replica: RedisServer;
    before(async function () {
      this.timeout(15_000);
      replica = await RedisServer.start(['--replicaof', '127.0.0.1', String(redis().port)]);
    });
    after(async () => replica.dispose());

    it('answers only once a replica holds the counted try or the consumed PIN', async function () {
      this.timeout(20_000);
      const [client] = await readyClients(redis().url, 1);
      const store = new RedisSessionStore(client as Redis, { replicasToAck: 1, waitTimeoutMs: 1000 });
      const copy = replica.client();
      for (let i = 0; i < 100 && (await copy.info('replication')).includes('master_link_status:down'); i++)
        await sleep(50);

      await store.setFlag('a:w', 'support-pin', 'hash', 60_000);
      expect(
        (await store.take('a:w', { counters: [{ name: 'fails', limit: 10, windowMs: 60_000 }] })).granted,
      ).to.equal(true);
      expect(await copy.get('sv:{a:w}:fails'), 'already on the replica').to.equal('1');
      expect(await store.clearFlag('a:w', 'support-pin', 'hash')).to.equal(true);
      expect(await copy.exists('sv:{a:w}:support-pin')).to.equal(0);

      await replica.stop();
      let failure: unknown;
      await store
        .take('a:w', { counters: [{ name: 'fails', limit: 10, windowMs: 60_000 }] })
        .catch((error: unknown) => {
          failure = error;
        });
      expect(failure, 'no replica acknowledged: fail closed').to.be.instanceOf(StoreUnavailableError);
      copy.disconnect();
      await store.close();
    });
  });
});
