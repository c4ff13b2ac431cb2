import type { Redis } from 'ioredis';
import { MemoryDeadlines } from '../../adapters/store/memory-deadlines.ts';
import { RedisDeadlines } from '../../adapters/store/redis-deadlines.ts';
import { readyClients, useRedisServer } from '../support/redis-fixture.ts';
import { deadlinesContract } from './deadlines.contract.ts';

deadlinesContract('memory', async () => {
  const shared = new MemoryDeadlines();
  return { replicas: [shared, shared], close: async () => {} };
});

describe('RedisDeadlines', () => {
  const redis = useRedisServer();
  beforeEach(() => redis().flush());
  deadlinesContract('redis, two connections', async () => {
    const [a, b] = (await readyClients(redis().url, 2)) as [Redis, Redis];
    return {
      replicas: [new RedisDeadlines(a), new RedisDeadlines(b)],
      close: async () => {
        await a.quit();
        await b.quit();
      },
    };
  });
});
