import type { Redis } from 'ioredis';
import { connectRedis, whenReady } from '../../adapters/redis/connect.ts';
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

/** `count` ready clients on `url`, each as a separate replica would hold one. */
export async function readyClients(
  url: string,
  count: number,
  options: { commandTimeoutMs?: number } = {},
): Promise<Redis[]> {
  const clients = Array.from({ length: count }, () => connectRedis({ url, ...options }));
  await Promise.all(clients.map((client) => whenReady(client)));
  return clients;
}

/** Two {@link RedisSessionStore}s on one Redis: two replicas' views of the same data. */
export async function replicaStores(url: string): Promise<[RedisSessionStore, RedisSessionStore]> {
  const [a, b] = await readyClients(url, 2);
  return [new RedisSessionStore(a as Redis), new RedisSessionStore(b as Redis)];
}
