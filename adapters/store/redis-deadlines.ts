import { createHash } from 'node:crypto';
import { Cluster } from 'ioredis';
import type { Deadlines } from '../../core/ports/index.ts';
import { guarded, type RedisClient } from '../redis/connect.ts';
import { storeKeys } from './keys.ts';

// Due members of one shard, each moved a lease ahead in the same step, so no two sweeps take the same one.
const CLAIM = `
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
for _, id in ipairs(due) do redis.call('ZADD', KEYS[1], ARGV[3], id) end
return due
`;

// The same over every shard at once, where all keys live on one server (not Cluster): one command a sweep.
const CLAIM_ALL = `
local out = {}
for _, key in ipairs(KEYS) do
  local due = redis.call('ZRANGEBYSCORE', key, '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
  for _, id in ipairs(due) do
    redis.call('ZADD', key, ARGV[3], id)
    out[#out + 1] = id
  end
end
return out
`;

/**
 * Sorted sets of deadlines. Enough shards that each stays small enough for Redis's compact (listpack)
 * encoding at ten thousand pending sessions (128 entries a set by default): about 30 bytes a deadline instead
 * of 120; on Redis Cluster they spread over the masters. A sweep asks all of them in one script on one server, or in one pipelined round trip on Cluster.
 */
export const DEADLINE_SHARDS = 128;

type ScriptedRedis = RedisClient & {
  svClaimDueBuffer(key: string, now: number, max: number, leaseUntil: number): Promise<Buffer[]>;
  svClaimAllDueBuffer(...args: Array<string | number>): Promise<Buffer[]>;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/u;
const PLACED_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-[a-z][0-9a-z]{3}$/u;
// The first byte says how the rest is kept: a UUID's 16 bytes, those and a slot tag's 4 (`sessionIdBeside`), or
// any other id as UTF-8 text.
const PACKED = 0x00;
const PACKED_PLACED = 0x01;
const TEXT = 0xff;

/** A session id as its member: a UUID in 17 bytes instead of 36 (every pending session has one), else text. */
function member(id: string): Buffer {
  if (UUID.test(id)) return Buffer.concat([Buffer.from([PACKED]), Buffer.from(id.replaceAll('-', ''), 'hex')]);
  if (PLACED_UUID.test(id)) {
    const uuid = Buffer.from(id.slice(0, 36).replaceAll('-', ''), 'hex');
    return Buffer.concat([Buffer.from([PACKED_PLACED]), uuid, Buffer.from(id.slice(37), 'latin1')]);
  }
  return Buffer.concat([Buffer.from([TEXT]), Buffer.from(id, 'utf8')]);
}

function idOf(stored: Buffer): string {
  if (stored[0] !== PACKED && stored[0] !== PACKED_PLACED) return stored.subarray(1).toString('utf8');
  const hex = stored.subarray(1, 17).toString('hex');
  const uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  return stored[0] === PACKED ? uuid : `${uuid}-${stored.subarray(17).toString('latin1')}`;
}

/**
 * {@link Deadlines} on Redis: one sorted set per shard, scored by the deadline, claimed by a script. `kind`
 * keeps schedules apart (sessions' deadlines, web chats' idle ends).
 */
export class RedisDeadlines implements Deadlines {
  private readonly redis: ScriptedRedis;
  private readonly oneServer: boolean;

  constructor(
    redis: RedisClient,
    private readonly kind = 'session',
  ) {
    redis.defineCommand('svClaimDue', { numberOfKeys: 1, lua: CLAIM });
    redis.defineCommand('svClaimAllDue', { numberOfKeys: DEADLINE_SHARDS, lua: CLAIM_ALL });
    this.redis = redis as ScriptedRedis;
    this.oneServer = !(redis instanceof Cluster);
  }

  async set(sessionId: string, at: number): Promise<void> {
    await guarded('deadline set', () => this.redis.zadd(this.shardOf(sessionId), at, member(sessionId)));
  }

  async clear(sessionId: string): Promise<void> {
    await guarded('deadline clear', () => this.redis.zrem(this.shardOf(sessionId), member(sessionId)));
  }

  /**
   * The deadline write for a script of `client`'s to make in its own step (one server only: the shard is in
   * another slot than the script's other keys); `undefined` for another client or on Cluster.
   */
  outgoing(
    client: RedisClient,
    sessionId: string,
    at: number | undefined,
  ): { key: string; member: Buffer; at: number | undefined } | undefined {
    if (client !== this.redis || !this.oneServer) return undefined;
    return { key: this.shardOf(sessionId), member: member(sessionId), at };
  }

  async claimDue(now: number, max: number, leaseMs: number): Promise<string[]> {
    const keys = Array.from({ length: DEADLINE_SHARDS }, (_, shard) => storeKeys.deadlines(this.kind, shard));
    if (this.oneServer) {
      const ids = await guarded('deadline claim', () =>
        this.redis.svClaimAllDueBuffer(...keys, now, max, now + leaseMs),
      );
      return ids.map(idOf);
    }
    const replies = await guarded('deadline claim', () =>
      Promise.all(
        Array.from({ length: DEADLINE_SHARDS }, (_, shard) =>
          this.redis.svClaimDueBuffer(storeKeys.deadlines(this.kind, shard), now, max, now + leaseMs),
        ),
      ),
    );
    return replies.flat().map(idOf);
  }

  private shardOf(id: string): string {
    return storeKeys.deadlines(this.kind, (createHash('sha256').update(id).digest()[0] ?? 0) % DEADLINE_SHARDS);
  }
}
