import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { RedisAuditLog } from '../../adapters/audit/redis-audit-log.ts';
import { InProcessBus } from '../../adapters/bus/in-process-bus.ts';
import { RedisPasskeyRegistry } from '../../adapters/passkeys/redis-passkey-registry.ts';
import type { RedisClient, RedisTopology } from '../../adapters/redis/connect.ts';
import { storeKeys } from '../../adapters/store/keys.ts';
import { RedisDeadlines } from '../../adapters/store/redis-deadlines.ts';
import { RedisSessionStore } from '../../adapters/store/redis-session-store.ts';
import { hashSlot } from '../../adapters/store/slots.ts';
import type { AuditEvent } from '../../core/audit.ts';
import { hashAccount } from '../support/fakes.ts';
import { readyClients, replicaStores, replicaStoresAndBuses, sleep } from '../support/redis-fixture.ts';
import { RedisClusterServers, RedisSentinelServers, useRedisTopology } from '../support/redis-topologies.ts';
import { busContract, redisBusHarness } from './bus.contract.ts';
import { deadlinesContract } from './deadlines.contract.ts';
import { passkeyRegistryContract } from './passkeys.contract.ts';
import { sampleSession, sessionStoreContract } from './session-store.contract.ts';

const AUDIT_TEST_KEY = 'test-audit-key-0123456789abcdef0123456789';

function portContracts(topology: () => RedisTopology, options: { replicasToAck?: number } = {}): void {
  describe('the store, bus and audit log on it', () => portContractsOn(topology, options));
}

function portContractsOn(topology: () => RedisTopology, options: { replicasToAck?: number }): void {
  sessionStoreContract('redis', async () => {
    const { stores, buses, schedules } = await replicaStoresAndBuses(topology(), options);
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

  busContract('redis', () => redisBusHarness(topology()));

  passkeyRegistryContract('redis', async () => {
    const [a, b] = (await readyClients(topology(), 2)) as [RedisClient, RedisClient];
    const scopeOf = (accountId: string) => `a:${hashAccount(accountId)}`;
    return {
      replicas: [new RedisPasskeyRegistry(a, scopeOf), new RedisPasskeyRegistry(b, scopeOf)],
      close: async () => {
        a.disconnect();
        b.disconnect();
      },
    };
  });

  deadlinesContract('redis', async () => {
    const [a, b] = (await readyClients(topology(), 2)) as [RedisClient, RedisClient];
    // A schedule of its own per test: nothing another test left due can show up in this one's claims.
    const kind = `contract-${randomUUID().slice(0, 8)}`;
    return {
      replicas: [new RedisDeadlines(a, kind), new RedisDeadlines(b, kind)],
      close: async () => {
        a.disconnect();
        b.disconnect();
      },
    };
  });

  it('appends audit events to the stream and reads them back in order', async () => {
    const [client] = await readyClients(topology(), 1);
    if (!client) throw new Error('no client');
    const log = new RedisAuditLog(client, { key: AUDIT_TEST_KEY });
    const event = (sessionId: string): AuditEvent => ({
      type: 'verification_started',
      at: Date.now(),
      outcome: 'info',
      channel: 'slack',
      sessionId,
    });
    await log.append(event('t-1'));
    await log.append(event('t-2'));
    const read = (await log.read()).map((e) => e.sessionId);
    expect(read.slice(-2)).to.deep.equal(['t-1', 't-2']);
    client.disconnect();
  });
}

describe('Redis Cluster (three masters, redis-cli --cluster create)', function () {
  this.timeout(30_000);
  const servers = useRedisTopology(() => RedisClusterServers.start());

  portContracts(() => servers().topology);

  it('spreads sessions over every master, each script staying in one slot', async () => {
    await servers().flush();
    const stores = await replicaStores(servers().topology);
    for (let i = 0; i < 30; i++) {
      const session = sampleSession();
      await stores[0].create(session, 60_000);
      await stores[1].take(`a:spread-${i}`, {
        counters: [{ name: 'prompts', limit: 3, windowMs: 60_000 }],
        hold: { name: 'pending', value: session.id, ttlMs: 60_000 },
      });
    }
    const perMaster = await servers().keysPerMaster();
    expect(
      perMaster.every((count) => count > 0),
      `keys per master: ${perMaster.join(', ')}`,
    ).to.equal(true);
    await Promise.all(stores.map((s) => s.close()));
  });

  it('puts every kind of key in the slot the cluster gives it', async () => {
    const store = (await replicaStores(servers().topology))[0];
    const keys = [
      storeKeys.session(store.newSessionId('a:0123456789abcdef0123456789abcdef')),
      storeKeys.turn(store.newSessionId('a:x')),
      storeKeys.session(randomUUID()),
      storeKeys.scoped('a:ü', 'prompts'),
      storeKeys.claim('trigger-1'),
      storeKeys.deadlines('session', 127),
      'no tag at all',
      'foo{}{bar}',
      'foo{{bar}}zap',
    ];
    for (const key of keys) expect(hashSlot(key), key).to.equal(await servers().keySlot(key));
    await store.close();
  });

  it('commits a session minted beside its account together with the account’s allowance and holds', async () => {
    await servers().flush();
    const [store] = await replicaStores(servers().topology);
    const scope = `a:${randomUUID().replaceAll('-', '')}`;
    const bus = new InProcessBus();
    const commitWithAllowance = async (id: string) => {
      const session = sampleSession({ id });
      await store.create(session, 60_000);
      const next = { ...session, version: 2, state: 'awaiting_device' as const };
      let committed: unknown;
      const sent = await servers().commandsSentDuring(async () => {
        committed = await store.replace(next, 60_000, {
          bus,
          update: { sessionId: id, version: 2, state: next.state, turnMs: 5_000 },
          allowance: {
            scope,
            allowance: {
              blockedBy: ['cooldown'],
              counters: [{ name: 'prompts', limit: 10, windowMs: 60_000 }],
              hold: { name: 'pending', value: id, ttlMs: 60_000 },
            },
          },
          writes: [{ op: 'set', scope, name: 'grant', value: id, ttlMs: 60_000 }],
        });
      });
      await store.clearFlag(scope, 'pending');
      expect(committed, id).to.deep.equal({});
      return sent;
    };
    await commitWithAllowance(store.newSessionId(scope)); // loads the scripts
    await commitWithAllowance(randomUUID());
    expect(await commitWithAllowance(store.newSessionId(scope)), 'beside its account: one script').to.deep.equal({
      script: 1,
    });
    expect(await commitWithAllowance(randomUUID()), 'elsewhere: taken before, written after').to.deep.equal({
      script: 2,
      set: 1,
    });
    await store.close();
  });
});

describe('Redis behind Sentinel (a master, a replica, a sentinel)', function () {
  this.timeout(30_000);
  const servers = useRedisTopology(() => RedisSentinelServers.start());

  // With its replica acknowledging every consumed PIN and counted try, as production would run it.
  portContracts(() => servers().topology, { replicasToAck: 1 });

  // Last: mocha runs a suite's own tests before its nested ones, so this sits in a nested suite of its own.
  describe('a failover', () => {
    it('promotes the replica and the store carries on, with what was written before', async function () {
      this.timeout(60_000);
      const [client] = await readyClients(servers().topology, 1);
      if (!client) throw new Error('no client');
      const store = new RedisSessionStore(client, { replicasToAck: 1, waitTimeoutMs: 1000 });
      const session = sampleSession();
      await store.create(session, 120_000);
      await store.take(`a:failover`, { counters: [{ name: 'fails', limit: 10, windowMs: 120_000 }] });

      await servers().failover();
      // The promoted master has no replica of its own: a write that needs one must fail closed until one joins.
      const storeWithoutWait = new RedisSessionStore(client);
      const deadline = Date.now() + 15_000;
      let found = await storeWithoutWait.get(session.id).catch(() => undefined);
      while (!found && Date.now() < deadline) {
        await sleep(200);
        found = await storeWithoutWait.get(session.id).catch(() => undefined);
      }
      expect(found?.id, 'the session written before the failover').to.equal(session.id);
      const taken = await storeWithoutWait.take(`a:failover`, {
        counters: [{ name: 'fails', limit: 10, windowMs: 120_000 }],
      });
      expect(taken, 'the counted try survived the failover').to.deep.include({ granted: true, counts: [2] });
      let failure: unknown;
      await store.take(`a:failover`, { counters: [{ name: 'fails', limit: 10, windowMs: 120_000 }] }).catch((error) => {
        failure = error;
      });
      expect((failure as Error | undefined)?.name, 'no replica acknowledges any more').to.equal(
        'StoreUnavailableError',
      );
      await store.close();
    });
  });
});
