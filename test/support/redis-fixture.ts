import { randomUUID } from 'node:crypto';
import { RedisBus } from '../../adapters/bus/redis-bus.ts';
import { connectRedis, type RedisClient, type RedisTopology, whenReady } from '../../adapters/redis/connect.ts';
import { RedisDeadlines } from '../../adapters/store/redis-deadlines.ts';
import { RedisSessionStore } from '../../adapters/store/redis-session-store.ts';
import { RedisServer } from './redis-server.ts';

/** Starts a redis-server of the suite's own before it and removes it after. */
export function useRedisServer(): () => RedisServer {
  let server: RedisServer | undefined;
  before(async function () {
    this.timeout(15_000);
    server = await RedisServer.start();
  });
  after(async () => {
    await server?.dispose();
  });
  return () => {
    if (!server) throw new Error('the Redis server has not started');
    return server;
  };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** `count` ready clients on one Redis (a URL, or a Cluster or Sentinel), each as a separate replica would hold one. */
export async function readyClients(
  where: string | RedisTopology,
  count: number,
  options: { commandTimeoutMs?: number } = {},
): Promise<RedisClient[]> {
  const clients = Array.from({ length: count }, () => connectRedis(where, options));
  // A Cluster client is ready in ~4 ms, but now and then only after ~3 s (60 connects on an idle machine: p50 4 ms,
  // max 3.1 s); with the fuzz spec beside the suite on two cores that passed 10 s twice in eight full runs.
  await Promise.all(clients.map((client) => whenReady(client, 20_000)));
  return clients;
}

/** Two {@link RedisSessionStore}s on one Redis: two replicas' views of the same data. */
export async function replicaStores(
  where: string | RedisTopology,
  options: { replicasToAck?: number } = {},
): Promise<[RedisSessionStore, RedisSessionStore]> {
  return (await replicaStoresAndBuses(where, options)).stores;
}

/** As {@link replicaStores}, each with the {@link RedisBus} on its own connection, as the server wires them. */
export async function replicaStoresAndBuses(
  where: string | RedisTopology,
  options: { replicasToAck?: number } = {},
): Promise<{
  stores: [RedisSessionStore, RedisSessionStore];
  buses: [RedisBus, RedisBus];
  schedules: [RedisDeadlines, RedisDeadlines];
}> {
  const [a, b] = await readyClients(where, 2);
  if (!a || !b) throw new Error('no clients');
  // A schedule of its own per harness: nothing another test left due shows up in this one's claims.
  const kind = `contract-${randomUUID().slice(0, 8)}`;
  return {
    stores: [new RedisSessionStore(a, options), new RedisSessionStore(b, options)],
    buses: [new RedisBus(a), new RedisBus(b)],
    schedules: [new RedisDeadlines(a, kind), new RedisDeadlines(b, kind)],
  };
}
