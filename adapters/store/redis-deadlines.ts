import { createHash } from 'node:crypto';
import type { Deadlines } from '../../core/ports/index.ts';
import { guarded, type RedisClient } from '../redis/connect.ts';
import { storeKeys } from './keys.ts';

// Due members of one shard, each moved a lease ahead in the same step, so no two sweeps take the same one.
const CLAIM = `
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
for _, id in ipairs(due) do redis.call('ZADD', KEYS[1], ARGV[3], id) end
return due
`;

/** Sorted sets of deadlines; a few shards, so on Redis Cluster they spread over the masters. */
export const DEADLINE_SHARDS = 4;

type ScriptedRedis = RedisClient & {
  svClaimDue(key: string, now: number, max: number, leaseUntil: number): Promise<string[]>;
};

/**
 * {@link Deadlines} on Redis: one sorted set per shard, scored by the deadline, claimed by a script. `kind`
 * keeps schedules apart (sessions' deadlines, web chats' idle ends).
 */
export class RedisDeadlines implements Deadlines {
  private readonly redis: ScriptedRedis;

  constructor(
    redis: RedisClient,
    private readonly kind = 'session',
  ) {
    redis.defineCommand('svClaimDue', { numberOfKeys: 1, lua: CLAIM });
    this.redis = redis as ScriptedRedis;
  }

  async set(sessionId: string, at: number): Promise<void> {
    await guarded('deadline set', () => this.redis.zadd(this.shardOf(sessionId), at, sessionId));
  }

  async clear(sessionId: string): Promise<void> {
    await guarded('deadline clear', () => this.redis.zrem(this.shardOf(sessionId), sessionId));
  }

  async claimDue(now: number, max: number, leaseMs: number): Promise<string[]> {
    const claimed: string[] = [];
    for (let shard = 0; shard < DEADLINE_SHARDS && claimed.length < max; shard++) {
      const ids = await guarded('deadline claim', () =>
        this.redis.svClaimDue(storeKeys.deadlines(this.kind, shard), now, max - claimed.length, now + leaseMs),
      );
      claimed.push(...ids);
    }
    return claimed;
  }

  private shardOf(id: string): string {
    return storeKeys.deadlines(this.kind, (createHash('sha256').update(id).digest()[0] ?? 0) % DEADLINE_SHARDS);
  }
}
