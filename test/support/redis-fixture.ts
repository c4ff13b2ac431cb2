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
