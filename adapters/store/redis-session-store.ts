import { Cluster } from 'ioredis';
import { StoreUnavailableError } from '../../core/errors.ts';
import type {
  Allowance,
  AllowanceResult,
  Announcement,
  Committed,
  PeekedValue,
  RenderPass,
  RenderRecord,
  RenderTurn,
  ScopedWrite,
  SessionStore,
} from '../../core/ports/index.ts';
import { CLAIMED, scheduleNext } from '../../core/ports/index.ts';
import type { Session } from '../../core/session.ts';
import { RedisBus } from '../bus/redis-bus.ts';
import { guarded, type RedisClient } from '../redis/connect.ts';
import { sessionIdBeside, storeKeys } from './keys.ts';
import { RedisDeadlines } from './redis-deadlines.ts';
import { decodeSession, encodeSession } from './session-codec.ts';
import { hashSlot } from './slots.ts';

// Sessions are hashes: `v` is the version compared on every write, `d` the session JSON.
const CREATE = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'v', ARGV[1], 'd', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1`;

const REPLACE = `
if redis.call('HGET', KEYS[1], 'v') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'v', ARGV[2], 'd', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 1`;

// One allowance, as TAKE and COMMIT both take it. Its KEYS start after KEYS[k0]: blockers, counters, [hold]; its
// ARGV after ARGV[a0]: #blockers, #counters, hold?, limits…, windows…, [hold value, hold ttl]. Each counter is
// created with its window as TTL in this same step. Returns the refusal {index among its keys, pttl} (nothing
// counted) or nil, then the counts, how many KEYS and the last ARGV index it used.
const TAKE_ALLOWANCE = `
local function take_allowance(k0, a0)
  local nb, nc, hold = tonumber(ARGV[a0 + 1]), tonumber(ARGV[a0 + 2]), ARGV[a0 + 3] == '1'
  local held = k0 + nb + nc + 1
  for i = 1, nb do
    local ttl = redis.call('PTTL', KEYS[k0 + i])
    if ttl ~= -2 then return {i, ttl} end
  end
  if hold then
    local ttl = redis.call('PTTL', KEYS[held])
    if ttl ~= -2 then return {nb + nc + 1, ttl} end
  end
  for j = 1, nc do
    local key = KEYS[k0 + nb + j]
    if tonumber(redis.call('GET', key) or '0') >= tonumber(ARGV[a0 + 3 + j]) then
      return {nb + j, redis.call('PTTL', key)}
    end
  end
  local counts = {}
  for j = 1, nc do
    local key = KEYS[k0 + nb + j]
    local count = redis.call('INCR', key)
    if count == 1 or redis.call('PTTL', key) < 0 then redis.call('PEXPIRE', key, ARGV[a0 + 3 + nc + j]) end
    counts[j] = count
  end
  local a = a0 + 3 + 2 * nc
  if hold then
    redis.call('SET', KEYS[held], ARGV[a + 1], 'PX', ARGV[a + 2])
    a = a + 2
  end
  return nil, counts, nb + nc + (hold and 1 or 0), a
end
`;

// CREATE or REPLACE (expected version '0': the session must not exist), its allowance, writes and announcement,
// in one step. KEYS: session, turn, the allowance's (as TAKE's), one per write. ARGV: expected, version, data, ttl,
// turn token ('' for none), turn ttl, channel ('' for none), message, the allowance as TAKE's ARGV (0 0 0 for
// none), then each write as its op and the op's arguments (see writeArgs). Returns {0} not written, {1} written,
// {2, pttl} written with the turn busy, {3, the render record's fields} written with the turn taken, or
// {4, index of the refusing key among the allowance's, pttl}. The PUBLISH names no key: on Cluster it stays in
// the slot.
const COMMIT = `${TAKE_ALLOWANCE}
if ARGV[1] == '0' then
  if redis.call('EXISTS', KEYS[1]) == 1 then return {0} end
elseif redis.call('HGET', KEYS[1], 'v') ~= ARGV[1] then
  return {0}
end
local refused, _, used, a = take_allowance(2, 8)
if refused then return {4, refused[1], refused[2]} end
a = a + 1
redis.call('HSET', KEYS[1], 'v', ARGV[2], 'd', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
for k = 2 + used + 1, #KEYS do
  local op, key = ARGV[a], KEYS[k]
  if op == 'del' then
    redis.call('DEL', key)
    a = a + 1
  elseif op == 'delif' then
    if redis.call('GET', key) == ARGV[a + 1] then redis.call('DEL', key) end
    a = a + 2
  elseif op == 'set' then
    redis.call('SET', key, ARGV[a + 1], 'PX', ARGV[a + 2])
    a = a + 3
  elseif op == 'remember' then
    redis.call('LREM', key, 0, ARGV[a + 1])
    redis.call('LPUSH', key, ARGV[a + 1])
    redis.call('LTRIM', key, 0, tonumber(ARGV[a + 2]) - 1)
    redis.call('PEXPIRE', key, ARGV[a + 3])
    a = a + 4
  elseif op == 'zadd' then
    redis.call('ZADD', key, ARGV[a + 1], ARGV[a + 2])
    a = a + 3
  else
    redis.call('ZREM', key, ARGV[a + 1])
    a = a + 2
  end
end
local reply = {1}
if ARGV[5] ~= '' then
  if redis.call('SET', KEYS[2], ARGV[5], 'PX', ARGV[6], 'NX') then
    local record = {}
    local fields = redis.call('HGETALL', KEYS[1])
    for i = 1, #fields, 2 do
      if fields[i] ~= 'v' and fields[i] ~= 'd' then
        record[#record + 1] = fields[i]
        record[#record + 1] = fields[i + 1]
      end
    end
    reply = {3, record}
  else
    reply = {2, redis.call('PTTL', KEYS[2])}
  end
end
if ARGV[7] ~= '' then redis.call('PUBLISH', ARGV[7], ARGV[8]) end
return reply`;

// KEYS and ARGV: one allowance (see TAKE_ALLOWANCE). A key past its blockers, counters and hold is a claim, made
// first (its TTL is the last ARGV). Returns {1, counts…} or {0, index of the refusing key, pttl}.
const TAKE = `${TAKE_ALLOWANCE}
local nb, nc, hold = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3] == '1'
if #KEYS > nb + nc + (hold and 1 or 0) then
  if not redis.call('SET', KEYS[#KEYS], '1', 'PX', ARGV[#ARGV], 'NX') then return {0, #KEYS, redis.call('PTTL', KEYS[#KEYS])} end
end
local refused, counts = take_allowance(0, 0)
if refused then return {0, refused[1], refused[2]} end
local result = {1}
for j = 1, #counts do result[j + 1] = counts[j] end
return result`;

const REFUND = `
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
if count > 0 then redis.call('DECR', KEYS[1]) end
return count`;

const REMEMBER = `
redis.call('LREM', KEYS[1], 0, ARGV[1])
redis.call('LPUSH', KEYS[1], ARGV[1])
redis.call('LTRIM', KEYS[1], 0, tonumber(ARGV[2]) - 1)
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1`;

// The render record lives in the session's own hash: `r` is the version shown, `m:<name>` where each message is.
// KEYS: session, turn. Returns {0} shown, {1, pttl} busy, or {2, every field of the session hash}.
const TAKE_RENDER_TURN = `
local fields = redis.call('HGETALL', KEYS[1])
for i = 1, #fields, 2 do
  if fields[i] == 'r' and tonumber(fields[i + 1]) >= tonumber(ARGV[1]) then return {0} end
end
if not redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3], 'NX') then return {1, redis.call('PTTL', KEYS[2])} end
return {2, fields}`;

// KEYS: session, turn. ARGV: token, turn ttl, release, version, field/value pairs.
// Returns {0} lost, {1} done (turn released), or {2, newer session data} (turn kept).
const PASS_RENDER_TURN = `
if redis.call('GET', KEYS[2]) ~= ARGV[1] then return {0} end
if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('HSET', KEYS[1], 'r', ARGV[4], unpack(ARGV, 5))
  if ARGV[3] ~= '1' then
    local current = redis.call('HMGET', KEYS[1], 'v', 'd')
    if tonumber(current[1]) > tonumber(ARGV[4]) then
      redis.call('PEXPIRE', KEYS[2], ARGV[2])
      return {2, current[2]}
    end
  end
end
redis.call('DEL', KEYS[2])
return {1}`;

// In one step: ARGV[1] flag keys first, each flag's value and PTTL (false where not set), then each list.
const PEEK_WITH_LISTS = `
local result = {}
local flags = tonumber(ARGV[1])
for i = 1, #KEYS do
  if i <= flags then
    local value = redis.call('GET', KEYS[i])
    if value then result[i] = {value, redis.call('PTTL', KEYS[i])} else result[i] = false end
  else
    result[i] = redis.call('LRANGE', KEYS[i], 0, -1)
  end
end
return result`;

// KEYS: claim, session. Returns {1 when claimed first, else 0; the session data or false}.
const CLAIM_AND_GET = `
local first = redis.call('SET', KEYS[1], '1', 'PX', ARGV[1], 'NX') and 1 or 0
return {first, redis.call('HGET', KEYS[2], 'd')}`;

const CLEAR_IF = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

type ScriptedRedis = RedisClient & {
  svCreate(key: string, version: number, data: string, ttlMs: number): Promise<number>;
  svReplace(key: string, expected: number, version: number, data: string, ttlMs: number): Promise<number>;
  svCommit(keyCount: number, ...args: (string | number | Buffer)[]): Promise<CommitReply>;
  svClaimAndGet(claim: string, session: string, ttlMs: number): Promise<[number, string | null]>;
  svPeekWithLists(keyCount: number, ...args: (string | number)[]): Promise<Array<[string, number] | null | string[]>>;
  svTake(keyCount: number, ...args: (string | number)[]): Promise<number[]>;
  svRefund(key: string): Promise<number>;
  svClearIf(key: string, expected: string): Promise<number>;
  svRemember(key: string, value: string, max: number, ttlMs: number): Promise<number>;
  svTakeRenderTurn(
    session: string,
    turn: string,
    atLeast: number,
    token: string,
    turnMs: number,
  ): Promise<[0] | [1, number] | [2, string[]]>;
  svPassRenderTurn(session: string, turn: string, ...args: (string | number)[]): Promise<[0] | [1] | [2, string]>;
};

export interface RedisSessionStoreOptions {
  /**
   * Replicas that must acknowledge a consumed PIN or a counted failure before the answer (`WAIT`), so a
   * failover cannot bring a used PIN back. 0 where no replica is configured.
   */
  replicasToAck?: number;
  waitTimeoutMs?: number;
}

/** {@link SessionStore} on Redis: every multi-key step is one Lua script in one hash slot. */
export class RedisSessionStore implements SessionStore {
  private readonly redis: ScriptedRedis;

  private readonly oneServer: boolean;

  constructor(
    redis: RedisClient,
    private readonly options: RedisSessionStoreOptions = {},
  ) {
    // On Cluster a commit's writes to other scopes are in other slots: they follow the script instead.
    this.oneServer = !(redis instanceof Cluster);
    redis.defineCommand('svCreate', { numberOfKeys: 1, lua: CREATE });
    redis.defineCommand('svReplace', { numberOfKeys: 1, lua: REPLACE });
    redis.defineCommand('svCommit', { lua: COMMIT });
    redis.defineCommand('svPeekWithLists', { lua: PEEK_WITH_LISTS });
    redis.defineCommand('svClaimAndGet', { numberOfKeys: 2, lua: CLAIM_AND_GET });
    redis.defineCommand('svTake', { lua: TAKE });
    redis.defineCommand('svRefund', { numberOfKeys: 1, lua: REFUND });
    redis.defineCommand('svClearIf', { numberOfKeys: 1, lua: CLEAR_IF });
    redis.defineCommand('svRemember', { numberOfKeys: 1, lua: REMEMBER });
    redis.defineCommand('svTakeRenderTurn', { numberOfKeys: 2, lua: TAKE_RENDER_TURN });
    redis.defineCommand('svPassRenderTurn', { numberOfKeys: 2, lua: PASS_RENDER_TURN });
    this.redis = redis as ScriptedRedis;
  }

  newSessionId(scope: string): string {
    return sessionIdBeside(scope);
  }

  async create(session: Session, ttlMs: number, announce?: Announcement): Promise<Committed> {
    if (announce) {
      const committed = await this.commit('create', session, 0, ttlMs, announce);
      if (!committed) throw new Error(`session ${session.id} exists already`);
      return committed;
    }
    const created = await guarded('create', () =>
      this.redis.svCreate(storeKeys.session(session.id), session.version, encodeSession(session), ttl(ttlMs)),
    );
    if (created !== 1) throw new Error(`session ${session.id} exists already`);
    return {};
  }

  async get(id: string): Promise<Session | undefined> {
    const data = await guarded('get', () => this.redis.hget(storeKeys.session(id), 'd'));
    return data ? decodeSession(id, data) : undefined;
  }

  replace(next: Session, ttlMs: number): Promise<boolean>;
  replace(next: Session, ttlMs: number, announce: Announcement): Promise<Committed | undefined>;
  async replace(next: Session, ttlMs: number, announce?: Announcement): Promise<boolean | Committed | undefined> {
    if (announce) return this.commit('replace', next, next.version - 1, ttlMs, announce);
    const written = await guarded('replace', () =>
      this.redis.svReplace(storeKeys.session(next.id), next.version - 1, next.version, encodeSession(next), ttl(ttlMs)),
    );
    return written === 1;
  }

  /**
   * Writes and announces in one script when the bus publishes on this very connection (a {@link RedisBus} on
   * the store's client, as the server wires them); with any other bus, publishes through it once written.
   */
  private async commit(
    what: 'create' | 'replace',
    session: Session,
    expected: number,
    ttlMs: number,
    announce: Announcement,
  ): Promise<Committed | undefined> {
    const outgoing = announce.bus instanceof RedisBus ? announce.bus.outgoing(this.redis, announce.update) : undefined;
    const { turn, deadline } = announce;
    // The script takes every key in the session's slot: all of them on one server; on Cluster, the account's,
    // where the id was minted beside it (sessionIdBeside). The rest follow the script, in order.
    const slot = this.oneServer ? 0 : hashSlot(storeKeys.session(session.id));
    const inScript = (key: string) => this.oneServer || hashSlot(key) === slot;
    const writes: ScopedWrite[] = [];
    const after: ScopedWrite[] = [];
    for (const write of announce.writes ?? []) {
      (inScript(storeKeys.scoped(write.scope, write.name)) ? writes : after).push(write);
    }
    const outgoingDeadline =
      deadline?.schedule instanceof RedisDeadlines
        ? deadline.schedule.outgoing(this.redis, session.id, deadline.at)
        : undefined;
    const scheduled = outgoingDeadline && inScript(outgoingDeadline.key) ? outgoingDeadline : undefined;
    // Taken in the script when its keys are the session's; otherwise before it, and given back if the write is refused.
    if (announce.allowance?.allowance.claim) throw new Error('a commit takes no claim: take() makes it');
    const asked = announce.allowance && allowanceKeysAndArgs(announce.allowance.scope, announce.allowance.allowance);
    const taken = asked?.keys.every(inScript) ? asked : undefined;
    const takenBefore = announce.allowance && !taken ? announce.allowance : undefined;
    if (takenBefore) {
      const result = await this.take(takenBefore.scope, takenBefore.allowance);
      if (!result.granted) return { refused: result };
    }
    const keys = [
      ...renderKeys(session.id),
      ...(taken?.keys ?? []),
      ...writes.map((w) => storeKeys.scoped(w.scope, w.name)),
    ];
    const args: (string | number | Buffer)[] = [
      expected,
      session.version,
      encodeSession(session),
      ttl(ttlMs),
      turn?.token ?? '',
      ttl(turn?.turnMs ?? 1),
      outgoing?.channel ?? '',
      outgoing?.message ?? '',
      ...(taken?.args ?? [0, 0, '0']),
      ...writes.flatMap(writeArgs),
    ];
    if (scheduled) {
      keys.push(scheduled.key);
      args.push(
        ...(scheduled.at === undefined ? ['zrem', scheduled.member] : ['zadd', scheduled.at, scheduled.member]),
      );
    }
    let reply: CommitReply;
    try {
      reply = await guarded(what, () => this.redis.svCommit(keys.length, ...keys, ...args));
    } catch (error) {
      // Whether the script ran is unknown; the bus stops waiting for the message either way.
      outgoing?.settle(false);
      throw error;
    }
    outgoing?.settle(reply[0] !== 0 && reply[0] !== 4);
    if (reply[0] === 4) {
      const names = taken?.names ?? [];
      return {
        refused: { granted: false, refusedBy: names[reply[1] - 1] ?? 'unknown', retryAfterMs: Math.max(0, reply[2]) },
      };
    }
    if (reply[0] === 0) {
      if (takenBefore) await this.giveBack(takenBefore.scope, takenBefore.allowance);
      return undefined;
    }
    // Counters and flags written in the script must be on the replicas before the answer, as take and setFlag wait.
    if (taken || writes.some((w) => w.op !== 'remember')) await this.waitForReplicas(storeKeys.session(session.id));
    // What the script could not take along (another slot, another kind of schedule or bus) follows it, in order.
    for (const write of after) await this.write(write);
    if (deadline && !scheduled) await scheduleNext(deadline.schedule, session.id, deadline.at);
    if (!outgoing) await announce.bus.publish(announce.update);
    if (reply[0] === 1) return {};
    if (reply[0] === 2) return { turn: { kind: 'busy', retryInMs: Math.max(0, reply[1]) } };
    return { turn: { kind: 'yours', record: recordFrom(reply[1]), session } };
  }

  /** What a take counted and held for a write that was then refused, given back (Cluster only). */
  private async giveBack(scope: string, allowance: Allowance): Promise<void> {
    for (const counter of allowance.counters) await this.refund(scope, counter.name);
    if (allowance.hold) await this.clearFlag(scope, allowance.hold.name, allowance.hold.value);
  }

  private async write(write: ScopedWrite): Promise<void> {
    if (write.op === 'set') await this.setFlag(write.scope, write.name, write.value, write.ttlMs);
    else if (write.op === 'remember') await this.remember(write.scope, write.name, write.value, write.max, write.ttlMs);
    else await this.clearFlag(write.scope, write.name, write.expected);
  }

  async takeRenderTurn(sessionId: string, atLeast: number, token: string, turnMs: number): Promise<RenderTurn> {
    const reply = await guarded('takeRenderTurn', () =>
      this.redis.svTakeRenderTurn(...renderKeys(sessionId), atLeast, token, ttl(turnMs)),
    );
    if (reply[0] === 0) return { kind: 'shown' };
    if (reply[0] === 1) return { kind: 'busy', retryInMs: Math.max(0, reply[1]) };
    const fields = reply[1];
    const data = fields.findIndex((name, i) => i % 2 === 0 && name === 'd');
    const session = data >= 0 ? decodeSession(sessionId, fields[data + 1] ?? '') : undefined;
    return { kind: 'yours', record: recordFrom(fields), session };
  }

  async passRenderTurn(
    sessionId: string,
    token: string,
    record: RenderRecord,
    timing: { turnMs: number; release?: boolean },
  ): Promise<RenderPass> {
    // Message names are prefixed so none can collide with the session's own fields.
    const fields = Object.entries(record.messages).flatMap(([name, value]) => [`m:${name}`, value]);
    const reply = await guarded('passRenderTurn', () =>
      this.redis.svPassRenderTurn(
        ...renderKeys(sessionId),
        token,
        ttl(timing.turnMs),
        timing.release ? '1' : '0',
        record.version,
        ...fields,
      ),
    );
    if (reply[0] === 0) return { kind: 'lost' };
    if (reply[0] === 1) return { kind: 'done' };
    return { kind: 'again', session: decodeSession(sessionId, reply[1]) };
  }

  async take(scope: string, allowance: Allowance): Promise<AllowanceResult> {
    // On Cluster the claim is in a slot of its own: made first, on its own.
    if (allowance.claim && !this.oneServer) {
      const { claim, ...rest } = allowance;
      if (!(await this.claim(claim.key, claim.ttlMs)))
        return { granted: false, refusedBy: CLAIMED, retryAfterMs: claim.ttlMs };
      return this.take(scope, rest);
    }
    const { names, keys, args } = allowanceKeysAndArgs(scope, allowance);
    const reply = await guarded('take', () => this.redis.svTake(keys.length, ...keys, ...args));
    if (reply[0] === 1) {
      await this.waitForReplicas(keys[0] ?? storeKeys.scoped(scope, ''));
      return { granted: true, counts: reply.slice(1) };
    }
    const index = (reply[1] ?? 1) - 1;
    return { granted: false, refusedBy: names[index] ?? 'unknown', retryAfterMs: Math.max(0, reply[2] ?? 0) };
  }

  async refund(scope: string, counter: string): Promise<void> {
    await guarded('refund', () => this.redis.svRefund(storeKeys.scoped(scope, counter)));
  }

  async setFlag(scope: string, name: string, value: string, ttlMs: number): Promise<void> {
    const key = storeKeys.scoped(scope, name);
    await guarded('setFlag', () => this.redis.set(key, value, 'PX', ttl(ttlMs)));
    await this.waitForReplicas(key);
  }

  async getFlag(scope: string, name: string): Promise<string | undefined> {
    return (await guarded('getFlag', () => this.redis.get(storeKeys.scoped(scope, name)))) ?? undefined;
  }

  async peek(scope: string, names: readonly string[]): Promise<Array<PeekedValue | undefined>> {
    return (await this.peekWithLists(scope, names, [])).values;
  }

  async peekWithLists(
    scope: string,
    names: readonly string[],
    lists: readonly string[],
  ): Promise<{ values: Array<PeekedValue | undefined>; lists: string[][] }> {
    const keys = [...names, ...lists].map((name) => storeKeys.scoped(scope, name));
    if (keys.length === 0) return { values: [], lists: [] };
    const found = await guarded('peek', () => this.redis.svPeekWithLists(keys.length, ...keys, names.length));
    return {
      values: names.map((_, i) => {
        const entry = found[i] as [string, number] | null | undefined;
        return entry ? { value: String(entry[0]), ttlMs: Math.max(0, Number(entry[1])) } : undefined;
      }),
      lists: lists.map((_, i) => (found[names.length + i] as string[] | undefined) ?? []),
    };
  }

  async clearFlag(scope: string, name: string, expected?: string): Promise<boolean> {
    const key = storeKeys.scoped(scope, name);
    const deleted = await guarded('clearFlag', () =>
      expected === undefined ? this.redis.del(key) : this.redis.svClearIf(key, expected),
    );
    if (deleted === 1) await this.waitForReplicas(key);
    return deleted === 1;
  }

  async remember(scope: string, name: string, value: string, max: number, ttlMs: number): Promise<void> {
    await guarded('remember', () => this.redis.svRemember(storeKeys.scoped(scope, name), value, max, ttl(ttlMs)));
  }

  async recall(scope: string, name: string): Promise<string[]> {
    return guarded('recall', () => this.redis.lrange(storeKeys.scoped(scope, name), 0, -1));
  }

  async claimAndGet(
    key: string,
    ttlMs: number,
    sessionId: string,
  ): Promise<{ first: boolean; session: Session | undefined }> {
    if (!this.oneServer) {
      const first = await this.claim(key, ttlMs);
      return { first, session: await this.get(sessionId) };
    }
    const [first, data] = await guarded('claimAndGet', () =>
      this.redis.svClaimAndGet(storeKeys.claim(key), storeKeys.session(sessionId), ttl(ttlMs)),
    );
    return { first: first === 1, session: data ? decodeSession(sessionId, data) : undefined };
  }

  async claim(key: string, ttlMs: number): Promise<boolean> {
    const reply = await guarded('claim', () => this.redis.set(storeKeys.claim(key), '1', 'PX', ttl(ttlMs), 'NX'));
    return reply === 'OK';
  }

  async ping(): Promise<void> {
    await guarded('ping', () => this.redis.ping());
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  /**
   * Fails closed when fewer replicas than configured acknowledge: the write could be lost on failover. WAIT
   * counts the writes of the connection it runs on, so on Cluster it goes in a pipeline with a read of the
   * written key, which sends it to that key's master over the connection the write used.
   */
  private async waitForReplicas(writtenKey: string): Promise<void> {
    const replicas = this.options.replicasToAck ?? 0;
    if (replicas === 0) return;
    const replies = await guarded('wait', async () => {
      const answered = await this.redis
        .pipeline()
        .exists(writtenKey)
        .wait(replicas, this.options.waitTimeoutMs ?? 500)
        .exec();
      const failed = answered?.find(([error]) => error);
      if (!answered || failed) throw failed?.[0] ?? new Error('no reply');
      return answered;
    });
    const acknowledged = Number(replies[1]?.[1] ?? 0);
    if (acknowledged < replicas) {
      throw new StoreUnavailableError(`only ${acknowledged} of ${replicas} Redis replica(s) acknowledged the write`);
    }
  }
}

/** The render record in a session hash's fields (`r` and `m:<name>`; any other field is not the record's). */
function recordFrom(fields: string[]): RenderRecord {
  const record: RenderRecord = { version: 0, messages: {} };
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const [name = '', value = ''] = [fields[i], fields[i + 1]];
    if (name === 'r') record.version = Number(value);
    else if (name.startsWith('m:')) record.messages[name.slice(2)] = value;
  }
  return record;
}

/** The session (with its render record) and its render turn: one hash slot. */
function renderKeys(sessionId: string): [string, string] {
  return [storeKeys.session(sessionId), storeKeys.turn(sessionId)];
}

type CommitReply = [0] | [1] | [2, number] | [3, string[]] | [4, number, number];

/** An allowance as TAKE (and COMMIT) read it: blockers, counters and hold, by name and key, and their arguments. */
function allowanceKeysAndArgs(
  scope: string,
  allowance: Allowance,
): { names: string[]; keys: string[]; args: (string | number)[] } {
  const blockers = allowance.blockedBy ?? [];
  const { counters, hold } = allowance;
  const names = [...blockers, ...counters.map((c) => c.name), ...(hold ? [hold.name] : [])];
  const args = [
    blockers.length,
    counters.length,
    hold ? '1' : '0',
    ...counters.map((c) => c.limit),
    ...counters.map((c) => ttl(c.windowMs)),
    ...(hold ? [hold.value, ttl(hold.ttlMs)] : []),
  ];
  const keys = names.map((name) => storeKeys.scoped(scope, name));
  if (allowance.claim) {
    names.push(CLAIMED);
    keys.push(storeKeys.claim(allowance.claim.key));
    args.push(ttl(allowance.claim.ttlMs));
  }
  return { names, keys, args };
}

/** A write as the commit script reads it: its op and the op's arguments (its key goes with the script's keys). */
function writeArgs(write: ScopedWrite): (string | number)[] {
  if (write.op === 'set') return ['set', write.value, ttl(write.ttlMs)];
  if (write.op === 'remember') return ['remember', write.value, write.max, ttl(write.ttlMs)];
  return write.expected === undefined ? ['del'] : ['delif', write.expected];
}

function ttl(ms: number): number {
  return Math.max(1, Math.ceil(ms));
}
