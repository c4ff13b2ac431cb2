import { randomUUID } from 'node:crypto';
import type { Clock, MessageBook, RenderTurn, SessionStore } from './ports/index.ts';
import type { Session } from './session.ts';

/** A turn for a commit to take in its own step (see `Announcement.turn`). */
export interface CommitTurn {
  token: string;
  turnMs: number;
}

export type Render = (session: Session, messages: MessageBook) => Promise<void>;

export interface RenderTurnsOptions {
  /** How long one replica may hold a session's turn; a crashed holder frees it when this runs out. */
  turnMs?: number;
  clock?: Clock;
  sleep?(ms: number): Promise<void>;
  /** Failures of a re-check that ran after its caller had returned. */
  onError?(error: unknown): void;
}

const DEFAULT_TURN_MS = 10_000;
// The record of what a session's messages show outlives any session (the longest is well under a day).
const SHOWN_TTL_MS = 24 * 60 * 60_000;
const RECHECK_MARGIN_MS = 100;
const MAX_POLL_MS = 200;
// How many sessions this replica remembers having shown, for its own commits' updates coming back to it.
const SHOWN_HERE_KEPT = 1000;

/**
 * Renders each session's messages one replica at a time, always from the latest stored version, and
 * remembers which version they show. Claiming versions instead would let a slow render of an older version
 * land after a newer one and leave the message stale; a turn per session keeps renders in order, and the
 * remembered version makes every other replica's copy of the same update a no-op.
 */
export class RenderTurns {
  private readonly turnMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly clock: Clock;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly onError: (error: unknown) => void;
  // One look per session after the lease of a turn taken in a commit, however many of its updates arrive.
  private readonly watched = new Map<string, { version: number; timer: NodeJS.Timeout }>();
  // The version this replica last recorded as shown, by session, oldest first.
  private readonly shownHere = new Map<string, number>();

  constructor(
    private readonly store: SessionStore,
    options: RenderTurnsOptions = {},
  ) {
    this.turnMs = options.turnMs ?? DEFAULT_TURN_MS;
    this.clock = options.clock ?? { now: () => Date.now() };
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.onError = options.onError ?? (() => {});
  }

  /**
   * Makes sure the session's messages show `version` or later. Returns at once when they do, or when another
   * replica has the turn: that holder renders anything stored before it passes the turn on (one atomic step),
   * and a re-check after the turn's lease covers a holder that died. Otherwise renders from the latest
   * stored version until nothing newer is stored. Costs two store calls per render, one when nothing is due.
   */
  async show(sessionId: string, version: number, render: Render): Promise<void> {
    const token = newToken();
    const turn = await this.store.takeRenderTurn(sessionId, version, token, this.turnMs);
    await this.follow(sessionId, version, token, turn, render);
  }

  /** A fresh token and this replica's lease, for a commit that takes the turn in its own step. */
  lease(): CommitTurn {
    return { token: newToken(), turnMs: this.turnMs };
  }

  /**
   * Goes on from a turn asked for with `token`, by {@link show} or inside a commit: renders from the session
   * and record it came with until nothing newer is stored (one store call per render), or, when another
   * holder has it, re-checks once its lease has run out.
   */
  async follow(sessionId: string, version: number, token: string, turn: RenderTurn, render: Render): Promise<void> {
    if (turn.kind === 'shown') return;
    if (turn.kind === 'busy') {
      this.recheck(turn.retryInMs, () => this.show(sessionId, version, render));
      return;
    }
    let { record, session } = turn;
    while (session && session.version > record.version) {
      const messages = new Map(Object.entries(record.messages));
      const book: MessageBook = { get: (name) => messages.get(name), set: (name, value) => messages.set(name, value) };
      let failure: unknown;
      await render(session, book).catch((error: unknown) => {
        failure = error;
      });
      record = { version: session.version, messages: Object.fromEntries(messages) };
      const timing = { turnMs: this.turnMs, release: failure !== undefined };
      const pass = await this.store.passRenderTurn(sessionId, token, record, timing);
      if (pass.kind !== 'lost') this.shown(sessionId, record.version);
      if (failure !== undefined) throw failure;
      if (pass.kind !== 'again') return;
      session = pass.session;
    }
    await this.store.passRenderTurn(sessionId, token, record, { turnMs: this.turnMs });
  }

  /**
   * An update whose commit took the turn (`turnMs`, its lease): the holder renders it, so this replica only
   * looks once that lease has run out, in case the holder died, and not at all when it has shown that version
   * itself meanwhile (its own commit's update coming back). One look per session, however many updates come.
   */
  watch(sessionId: string, version: number, turnMs: number, render: Render): void {
    if ((this.shownHere.get(sessionId) ?? 0) >= version) {
      this.shownHere.delete(sessionId);
      return;
    }
    const watching = this.watched.get(sessionId);
    if (watching) {
      watching.version = Math.max(watching.version, version);
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.watched.delete(sessionId);
      if ((this.shownHere.get(sessionId) ?? 0) >= entry.version) return;
      this.show(sessionId, entry.version, render).catch((error: unknown) => this.onError(error));
    }, turnMs + RECHECK_MARGIN_MS);
    const entry = { version, timer };
    timer.unref();
    this.timers.add(timer);
    this.watched.set(sessionId, entry);
  }

  /** This replica recorded `version` as shown: a watch up to it has nothing left to look for. */
  private shown(sessionId: string, version: number): void {
    const watching = this.watched.get(sessionId);
    if (watching && watching.version <= version) {
      clearTimeout(watching.timer);
      this.timers.delete(watching.timer);
      this.watched.delete(sessionId);
    }
    this.shownHere.delete(sessionId);
    this.shownHere.set(sessionId, version);
    if (this.shownHere.size > SHOWN_HERE_KEPT) {
      const oldest = this.shownHere.keys().next();
      if (!oldest.done) this.shownHere.delete(oldest.value);
    }
  }

  /** Drops pending re-checks; for shutdown. */
  close(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.watched.clear();
  }

  private recheck(afterMs: number, run: () => Promise<void>): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run().catch((error: unknown) => this.onError(error));
    }, afterMs + RECHECK_MARGIN_MS);
    timer.unref();
    this.timers.add(timer);
  }

  /**
   * The general form: brings whatever `key` tracks up to `target` or later, one replica at a time. `step` is
   * given what was done so far and does the next piece, returning how far it got, or undefined when nothing
   * is left to do.
   */
  async advance(key: string, target: number, step: (shown: number) => Promise<number | undefined>): Promise<boolean> {
    const token = newToken();
    // A crashed holder frees the turn after turnMs; waiting a little longer lets this replica take over.
    const deadline = this.clock.now() + this.turnMs * 1.5;
    for (let poll = 25; ; poll = Math.min(poll * 2, MAX_POLL_MS)) {
      if (Number((await this.store.getFlag(key, 'shown')) ?? 0) >= target) return true;
      const turn = await this.store.take(key, {
        counters: [],
        hold: { name: 'turn', value: token, ttlMs: this.turnMs },
      });
      if (turn.granted) break;
      if (this.clock.now() > deadline) return false;
      await this.sleep(poll);
    }
    try {
      let shown = Number((await this.store.getFlag(key, 'shown')) ?? 0);
      for (;;) {
        const next = await step(shown);
        if (next === undefined || next <= shown) return true;
        shown = next;
        await this.store.setFlag(key, 'shown', String(shown), SHOWN_TTL_MS);
      }
    } finally {
      await this.store.clearFlag(key, 'turn', token);
    }
  }
}

// A turn's token only tells holders apart; randomUUID draws from a pooled buffer, where randomBytes asks the
// system on every call (a measurable share of a flow's CPU, three tokens a flow).
function newToken(): string {
  return randomUUID();
}
