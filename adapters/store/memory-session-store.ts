import type {
  Allowance,
  AllowanceResult,
  Announcement,
  Clock,
  Committed,
  PeekedValue,
  RenderPass,
  RenderRecord,
  RenderTurn,
  ScopedWrite,
  SessionStore,
} from '../../core/ports/index.ts';
import { CLAIMED, scheduleNext, systemClock } from '../../core/ports/index.ts';
import type { Session } from '../../core/session.ts';
import { sessionIdBeside, storeKeys } from './keys.ts';

function renderKeys(sessionId: string): { turn: string } {
  return { turn: storeKeys.turn(sessionId) };
}

interface Entry {
  value: string;
  expiresAt: number;
}

/**
 * {@link SessionStore} in one process, for the embedded mode and tests. Each method runs without awaiting
 * in between, so it is as atomic within the process as the Lua scripts are in Redis.
 */
export class MemorySessionStore implements SessionStore {
  private readonly entries = new Map<string, Entry>();
  // Render records by session id; each lives as long as its session, as it does in the session's hash in Redis.
  private readonly records = new Map<string, RenderRecord>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly clock: Clock = systemClock) {
    this.sweeper = setInterval(() => this.sweep(), 60_000);
    this.sweeper.unref();
  }

  // Ids as Redis mints them, so every deployment and test sees one id layout.
  newSessionId(scope: string): string {
    return sessionIdBeside(scope);
  }

  async create(session: Session, ttlMs: number, announce?: Announcement): Promise<Committed> {
    const key = storeKeys.session(session.id);
    if (this.read(key) !== undefined) throw new Error(`session ${session.id} exists already`);
    const refused = this.refusal(announce);
    if (refused) return { refused };
    this.write(key, JSON.stringify(session), ttlMs);
    // A new session's messages show nothing yet, as its new hash in Redis does.
    this.records.delete(session.id);
    return this.announced(session, announce);
  }

  async get(id: string): Promise<Session | undefined> {
    return this.session(id);
  }

  replace(next: Session, ttlMs: number): Promise<boolean>;
  replace(next: Session, ttlMs: number, announce: Announcement): Promise<Committed | undefined>;
  async replace(next: Session, ttlMs: number, announce?: Announcement): Promise<boolean | Committed | undefined> {
    const key = storeKeys.session(next.id);
    const data = this.read(key);
    if (data === undefined || (JSON.parse(data) as Session).version !== next.version - 1)
      return announce ? undefined : false;
    const refused = this.refusal(announce);
    if (refused) return { refused };
    this.write(key, JSON.stringify(next), ttlMs);
    return announce ? this.announced(next, announce) : true;
  }

  /**
   * A write's announcement: the turn taken in the same synchronous step as the write, then the update on the
   * bus it names (the in-process bus, in the embedded mode), as the Redis store's script does.
   */
  private async announced(session: Session, announce: Announcement | undefined): Promise<Committed> {
    if (!announce) return {};
    for (const write of announce.writes ?? []) this.apply(write);
    let committed: Committed = {};
    if (announce.turn) {
      const { turn } = renderKeys(session.id);
      if (this.read(turn) !== undefined) {
        committed = { turn: { kind: 'busy', retryInMs: this.ttl(turn) } };
      } else {
        this.write(turn, announce.turn.token, announce.turn.turnMs);
        committed = { turn: { kind: 'yours', record: structuredClone(this.record(session.id)), session } };
      }
    }
    if (announce.deadline) await scheduleNext(announce.deadline.schedule, session.id, announce.deadline.at);
    await announce.bus.publish(announce.update);
    return committed;
  }

  /** One of a commit's writes, in the commit's synchronous step. */
  private apply(write: ScopedWrite): void {
    const key = storeKeys.scoped(write.scope, write.name);
    if (write.op === 'set') this.write(key, write.value, write.ttlMs);
    else if (write.op === 'remember') this.rememberIn(key, write.value, write.max, write.ttlMs);
    else if (write.expected === undefined || this.read(key) === write.expected) this.entries.delete(key);
  }

  async takeRenderTurn(sessionId: string, atLeast: number, token: string, turnMs: number): Promise<RenderTurn> {
    const keys = renderKeys(sessionId);
    const record = structuredClone(this.record(sessionId));
    if (record.version >= atLeast) return { kind: 'shown' };
    if (this.read(keys.turn) !== undefined) return { kind: 'busy', retryInMs: this.ttl(keys.turn) };
    this.write(keys.turn, token, turnMs);
    return { kind: 'yours', record, session: this.session(sessionId) };
  }

  async passRenderTurn(
    sessionId: string,
    token: string,
    record: RenderRecord,
    timing: { turnMs: number; release?: boolean },
  ): Promise<RenderPass> {
    const keys = renderKeys(sessionId);
    if (this.read(keys.turn) !== token) return { kind: 'lost' };
    const current = this.session(sessionId);
    if (!current) {
      this.entries.delete(keys.turn);
      return { kind: 'done' };
    }
    const messages = { ...this.record(sessionId).messages, ...record.messages };
    this.records.set(sessionId, { version: record.version, messages });
    if (!timing.release && current && current.version > record.version) {
      this.write(keys.turn, token, timing.turnMs);
      return { kind: 'again', session: current };
    }
    this.entries.delete(keys.turn);
    return { kind: 'done' };
  }

  /** The announcement's allowance taken, in the commit's synchronous step: its refusal, if refused. */
  private refusal(announce: Announcement | undefined): Committed['refused'] {
    if (!announce?.allowance) return undefined;
    const taken = this.takeNow(announce.allowance.scope, announce.allowance.allowance);
    return taken.granted ? undefined : taken;
  }

  async take(scope: string, allowance: Allowance): Promise<AllowanceResult> {
    return this.takeNow(scope, allowance);
  }

  private takeNow(scope: string, allowance: Allowance): AllowanceResult {
    if (allowance.claim && !this.claimNow(allowance.claim.key, allowance.claim.ttlMs))
      return { granted: false, refusedBy: CLAIMED, retryAfterMs: this.ttl(storeKeys.claim(allowance.claim.key)) };
    const key = (name: string) => storeKeys.scoped(scope, name);
    const blockers = [...(allowance.blockedBy ?? []), ...(allowance.hold ? [allowance.hold.name] : [])];
    for (const name of blockers) {
      if (this.read(key(name)) !== undefined)
        return { granted: false, refusedBy: name, retryAfterMs: this.ttl(key(name)) };
    }
    for (const counter of allowance.counters) {
      if (Number(this.read(key(counter.name)) ?? 0) >= counter.limit) {
        return { granted: false, refusedBy: counter.name, retryAfterMs: this.ttl(key(counter.name)) };
      }
    }
    const counts = allowance.counters.map((counter) => {
      const k = key(counter.name);
      const entry = this.live(k);
      const count = Number(entry?.value ?? 0) + 1;
      this.entries.set(k, { value: String(count), expiresAt: entry?.expiresAt ?? this.clock.now() + counter.windowMs });
      return count;
    });
    if (allowance.hold) this.write(key(allowance.hold.name), allowance.hold.value, allowance.hold.ttlMs);
    return { granted: true, counts };
  }

  async refund(scope: string, counter: string): Promise<void> {
    const entry = this.live(storeKeys.scoped(scope, counter));
    if (entry && Number(entry.value) > 0) entry.value = String(Number(entry.value) - 1);
  }

  async setFlag(scope: string, name: string, value: string, ttlMs: number): Promise<void> {
    this.write(storeKeys.scoped(scope, name), value, ttlMs);
  }

  async getFlag(scope: string, name: string): Promise<string | undefined> {
    return this.read(storeKeys.scoped(scope, name));
  }

  async peek(scope: string, names: readonly string[]): Promise<Array<PeekedValue | undefined>> {
    return names.map((name) => {
      const key = storeKeys.scoped(scope, name);
      const value = this.read(key);
      return value === undefined ? undefined : { value, ttlMs: this.ttl(key) };
    });
  }

  async peekWithLists(
    scope: string,
    names: readonly string[],
    lists: readonly string[],
  ): Promise<{ values: Array<PeekedValue | undefined>; lists: string[][] }> {
    return {
      values: await this.peek(scope, names),
      lists: lists.map((name) => this.list(storeKeys.scoped(scope, name))),
    };
  }

  async clearFlag(scope: string, name: string, expected?: string): Promise<boolean> {
    const key = storeKeys.scoped(scope, name);
    const value = this.read(key);
    if (value === undefined || (expected !== undefined && value !== expected)) return false;
    return this.entries.delete(key);
  }

  async remember(scope: string, name: string, value: string, max: number, ttlMs: number): Promise<void> {
    this.rememberIn(storeKeys.scoped(scope, name), value, max, ttlMs);
  }

  private rememberIn(key: string, value: string, max: number, ttlMs: number): void {
    const list = [value, ...this.list(key).filter((v) => v !== value)].slice(0, max);
    this.write(key, JSON.stringify(list), ttlMs);
  }

  async recall(scope: string, name: string): Promise<string[]> {
    return this.list(storeKeys.scoped(scope, name));
  }

  async claim(key: string, ttlMs: number): Promise<boolean> {
    return this.claimNow(key, ttlMs);
  }

  async claimAndGet(
    key: string,
    ttlMs: number,
    sessionId: string,
  ): Promise<{ first: boolean; session: Session | undefined }> {
    return { first: this.claimNow(key, ttlMs), session: this.session(sessionId) };
  }

  private claimNow(key: string, ttlMs: number): boolean {
    const k = storeKeys.claim(key);
    if (this.read(k) !== undefined) return false;
    this.write(k, '1', ttlMs);
    return true;
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    this.entries.clear();
    this.records.clear();
  }

  /** Every live key and value, for tests that look for secrets at rest. */
  dump(): Array<[string, string]> {
    return [...this.entries.keys()].flatMap((key) => {
      const value = this.read(key);
      return value === undefined ? [] : [[key, value] as [string, string]];
    });
  }

  private record(sessionId: string): RenderRecord {
    const record = this.records.get(sessionId);
    if (record && this.read(storeKeys.session(sessionId)) === undefined) this.records.delete(sessionId);
    return this.records.get(sessionId) ?? { version: 0, messages: {} };
  }

  private session(id: string): Session | undefined {
    const data = this.read(storeKeys.session(id));
    return data === undefined ? undefined : (JSON.parse(data) as Session);
  }

  private list(key: string): string[] {
    const data = this.read(key);
    return data === undefined ? [] : (JSON.parse(data) as string[]);
  }

  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt <= this.clock.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  private read(key: string): string | undefined {
    return this.live(key)?.value;
  }

  private write(key: string, value: string, ttlMs: number): void {
    this.entries.set(key, { value, expiresAt: this.clock.now() + Math.max(1, ttlMs) });
  }

  private ttl(key: string): number {
    return Math.max(0, (this.entries.get(key)?.expiresAt ?? 0) - this.clock.now());
  }

  private sweep(): void {
    for (const key of this.entries.keys()) this.live(key);
    for (const id of this.records.keys()) this.record(id);
  }
}
