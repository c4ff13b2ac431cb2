import type { Passkey, PasskeyRegistry, PasskeyUse, PushSubscriptionKeys } from '../../core/ports/index.ts';
import { guarded, type RedisClient } from '../redis/connect.ts';
import { storeKeys } from '../store/keys.ts';

// One hash per account (in the account's slot, beside its counters and holds): field = credential id, value = the
// passkey's JSON. No TTL: a passkey stays until the customer removes it.
const ADD = `
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 or redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[3]) then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1`;

// ARGV: id, counter, backedUp ('1'/'0'), at. The counter rule is WebAuthn's (§6.1.1), as counterMovedOn says it.
const RECORD_USE = `
local stored = redis.call('HGET', KEYS[1], ARGV[1])
if not stored then return 0 end
local passkey = cjson.decode(stored)
local before, seen = tonumber(passkey.counter), tonumber(ARGV[2])
if not ((before == 0 and seen == 0) or seen > before) then return 0 end
passkey.counter = seen
passkey.backedUp = ARGV[3] == '1'
passkey.lastUsedAt = tonumber(ARGV[4])
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(passkey))
return 1`;

// ARGV: id, the subscription's JSON ('' to drop it).
const SET_PUSH = `
local stored = redis.call('HGET', KEYS[1], ARGV[1])
if not stored then return 0 end
local passkey = cjson.decode(stored)
if ARGV[2] == '' then passkey.push = nil else passkey.push = cjson.decode(ARGV[2]) end
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(passkey))
return 1`;

type ScriptedRedis = RedisClient & {
  svPasskeyAdd(key: string, id: string, json: string, max: number): Promise<number>;
  svPasskeyUse(key: string, id: string, counter: number, backedUp: string, at: number): Promise<number>;
  svPasskeyPush(key: string, id: string, json: string): Promise<number>;
};

/** {@link PasskeyRegistry} on Redis: each change is one command or script on the account's hash. */
export class RedisPasskeyRegistry implements PasskeyRegistry {
  private readonly redis: ScriptedRedis;

  /** `scopeOf`: the account's store scope (`a:` and its keyed hash), as Verification names it. */
  constructor(
    redis: RedisClient,
    private readonly scopeOf: (accountId: string) => string,
  ) {
    redis.defineCommand('svPasskeyAdd', { numberOfKeys: 1, lua: ADD });
    redis.defineCommand('svPasskeyUse', { numberOfKeys: 1, lua: RECORD_USE });
    redis.defineCommand('svPasskeyPush', { numberOfKeys: 1, lua: SET_PUSH });
    this.redis = redis as ScriptedRedis;
  }

  async list(accountId: string): Promise<Passkey[]> {
    const all = await guarded('passkeys', () => this.redis.hgetall(this.key(accountId)));
    return Object.values(all)
      .map((json) => fromJson(json))
      .sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
  }

  async add(accountId: string, passkey: Passkey, max: number): Promise<boolean> {
    const added = await guarded('passkey add', () =>
      this.redis.svPasskeyAdd(this.key(accountId), passkey.id, JSON.stringify(passkey), max),
    );
    return added === 1;
  }

  async remove(accountId: string, id: string): Promise<boolean> {
    return (await guarded('passkey remove', () => this.redis.hdel(this.key(accountId), id))) === 1;
  }

  async recordUse(accountId: string, id: string, use: PasskeyUse): Promise<boolean> {
    const recorded = await guarded('passkey use', () =>
      this.redis.svPasskeyUse(this.key(accountId), id, use.counter, use.backedUp ? '1' : '0', use.at),
    );
    return recorded === 1;
  }

  async setPush(accountId: string, id: string, push: PushSubscriptionKeys | undefined): Promise<boolean> {
    const set = await guarded('passkey push', () =>
      this.redis.svPasskeyPush(this.key(accountId), id, push ? JSON.stringify(push) : ''),
    );
    return set === 1;
  }

  private key(accountId: string): string {
    return storeKeys.scoped(this.scopeOf(accountId), 'passkeys');
  }
}

// cjson writes an empty Lua table as {} and may not keep what JSON.stringify wrote byte for byte: read leniently.
function fromJson(json: string): Passkey {
  const parsed = JSON.parse(json) as Passkey & { transports?: unknown };
  return { ...parsed, transports: Array.isArray(parsed.transports) ? parsed.transports : [] };
}
