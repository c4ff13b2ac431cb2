import type { Session } from '../session.ts';
import type { Bus, SessionUpdate } from './bus.ts';
import type { Deadlines } from './deadlines.ts';

/** A counter that may grow to `limit` within `windowMs` of its first hit. */
export interface CounterRule {
  name: string;
  limit: number;
  windowMs: number;
}

/**
 * One atomic step against a scope: refuse when any blocking flag is set or any counter is at its limit;
 * otherwise count one on every counter (each created with its window as TTL) and set the `hold` flag.
 */
export interface Allowance {
  counters: CounterRule[];
  blockedBy?: string[];
  /** A flag set on success, which also refuses while it is already set (one pending prompt at a time). */
  hold?: { name: string; value: string; ttlMs: number };
  /**
   * A one-time claim ({@link SessionStore.claim}) made first: refused with `refusedBy` {@link CLAIMED} when it
   * was made before; made and kept whether or not the rest is granted, as a claim of its own would be.
   */
  claim?: { key: string; ttlMs: number };
}

/** What a refusal names when an allowance's {@link Allowance.claim} was made before: a repeated request. */
export const CLAIMED = 'claimed';

export type AllowanceResult =
  | { granted: true; counts: number[] }
  | { granted: false; refusedBy: string; retryAfterMs: number };

/** A flag's or a counter's value and the milliseconds it has left. */
export interface PeekedValue {
  value: string;
  ttlMs: number;
}

/** What a session's messages show: the version last rendered, and where each platform's messages are. */
export interface RenderRecord {
  version: number;
  /** Message locations by name (`slack-agent`: a channel and ts), as the renders that posted them wrote them. */
  messages: Record<string, string>;
}

/** `busy`: another replica renders; it will also render anything newer, unless it dies (then retry after). */
export type RenderTurn =
  | { kind: 'shown' }
  | { kind: 'busy'; retryInMs: number }
  | { kind: 'yours'; record: RenderRecord; session: Session | undefined };

/** `again`: a newer version was stored while rendering; the turn is still yours. `lost`: it ran out. */
export type RenderPass = { kind: 'done' } | { kind: 'lost' } | { kind: 'again'; session: Session };

/**
 * What a commit announces in the same atomic step as its write: `update` on `bus` (whose subscribers hear it
 * exactly as if `bus.publish` had sent it), and with `turn` the session's render turn taken for the committing
 * replica (`token`, for `turnMs`), so it renders without asking for the turn again.
 */
export interface Announcement {
  bus: Bus;
  update: SessionUpdate;
  turn?: { token: string; turnMs: number };
  /** Flags and lists the commit writes besides the session, in order (see {@link ScopedWrite}). */
  writes?: readonly ScopedWrite[];
  /** The session's next deadline on `schedule` (`at` undefined: it has none left), set with the commit. */
  deadline?: { schedule: Deadlines; at: number | undefined };
  /**
   * Taken on `scope` as {@link SessionStore.take} takes it, in the same step and only when the write can be
   * made: refused, nothing is written, counted or announced (see {@link Committed.refused}).
   */
  allowance?: { scope: string; allowance: Allowance };
}

/**
 * A write that belongs to a commit: made only when the session is written, in the same atomic step where the
 * store can (one server), otherwise right after it and before the commit resolves, in order.
 */
export type ScopedWrite =
  | { op: 'clear'; scope: string; name: string; expected?: string }
  | { op: 'set'; scope: string; name: string; value: string; ttlMs: number }
  | { op: 'remember'; scope: string; name: string; value: string; max: number; ttlMs: number };

/**
 * An announced commit: with the announcement's `turn`, what taking it gave: `yours` (with the render record;
 * the session is the one written), or `busy` while another holder renders, which renders this version too
 * before it lets go (look again after `retryInMs`, in case it dies).
 */
export interface Committed {
  turn?: Extract<RenderTurn, { kind: 'yours' | 'busy' }>;
  /** The announcement's allowance was refused: nothing was written, counted or announced. */
  refused?: Extract<AllowanceResult, { granted: false }>;
}

/**
 * Sessions, counters, flags and one-time claims, each with a TTL and each operation atomic, also across
 * replicas. A `scope` groups keys that atomic steps touch together (one Redis Cluster slot).
 *
 * Every method rejects with `StoreUnavailableError` when the store cannot answer; callers on the security
 * path treat that as "no".
 */
export interface SessionStore {
  /**
   * A new session id, unique, which the store keeps beside `scope`'s flags and counters where it has a notion of
   * place (Redis Cluster's hash slots), so a commit with an allowance in `scope` stays one step there.
   */
  newSessionId(scope: string): string;
  /** Stores a new session (version 1); refuses an id that exists. With `announce`, announces it in the same step. */
  create(session: Session, ttlMs: number, announce?: Announcement): Promise<Committed>;
  get(id: string): Promise<Session | undefined>;
  /** Compare-and-set: writes `next` only while the stored version is `next.version - 1`. */
  replace(next: Session, ttlMs: number): Promise<boolean>;
  /** As above, and announces the write in the same step; `undefined` when nothing was written (nor announced). */
  replace(next: Session, ttlMs: number, announce: Announcement): Promise<Committed | undefined>;

  /**
   * One step: answers `shown` when the session's messages show `atLeast` already, `busy` while another
   * holder has the turn, and otherwise takes the turn (`token`, for `turnMs`) and hands back the session
   * with its render record.
   */
  takeRenderTurn(sessionId: string, atLeast: number, token: string, turnMs: number): Promise<RenderTurn>;
  /**
   * One step: records what the holder rendered (kept as long as the session), then releases the turn, or keeps it and
   * hands back the session when a newer version was stored meanwhile (unless `release`: after a failure).
   */
  passRenderTurn(
    sessionId: string,
    token: string,
    record: RenderRecord,
    timing: { turnMs: number; release?: boolean },
  ): Promise<RenderPass>;

  take(scope: string, allowance: Allowance): Promise<AllowanceResult>;
  /** Gives one back on a counter that exists (a correct PIN does not count as a failure). */
  refund(scope: string, counter: string): Promise<void>;
  setFlag(scope: string, name: string, value: string, ttlMs: number): Promise<void>;
  getFlag(scope: string, name: string): Promise<string | undefined>;
  /**
   * Reads flags and counters of one scope in one step, each with the time it has left; `undefined` where
   * one is not set. It counts nothing: what a card shows before anyone tries.
   */
  peek(scope: string, names: readonly string[]): Promise<Array<PeekedValue | undefined>>;
  /** As {@link peek}, and the lists {@link remember} keeps under `lists` in the same step (newest first). */
  peekWithLists(
    scope: string,
    names: readonly string[],
    lists: readonly string[],
  ): Promise<{ values: Array<PeekedValue | undefined>; lists: string[][] }>;
  /** Deletes the flag when it holds `expected` (or whatever it holds, without `expected`); true if deleted. */
  clearFlag(scope: string, name: string, expected?: string): Promise<boolean>;

  /** Puts `value` first in a short list (dropping an older copy), keeps `max` entries, and renews its TTL. */
  remember(scope: string, name: string, value: string, max: number, ttlMs: number): Promise<void>;
  /** The list {@link remember} keeps, newest first. */
  recall(scope: string, name: string): Promise<string[]>;

  /** `SET NX` with a TTL: true for the first caller only. For idempotency keys and single-use ids. */
  claim(key: string, ttlMs: number): Promise<boolean>;
  /** {@link claim}, and the session read, in one step: `first` false for a repeated claim. */
  claimAndGet(key: string, ttlMs: number, sessionId: string): Promise<{ first: boolean; session: Session | undefined }>;

  /** Resolves when the store answers; readiness checks use it. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
