import { randomBytes } from 'node:crypto';
import type { Clock, SessionStore } from './ports/index.ts';
import type { Session } from './session.ts';

export interface RenderTurnsOptions {
  /** How long one replica may hold a session's turn; a crashed holder frees it when this runs out. */
  turnMs?: number;
  clock?: Clock;
  sleep?(ms: number): Promise<void>;
}

const DEFAULT_TURN_MS = 10_000;
// The record of what a session's messages show outlives any session (the longest is well under a day).
const SHOWN_TTL_MS = 24 * 60 * 60_000;
const MAX_POLL_MS = 200;

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

  constructor(
    private readonly store: SessionStore,
    options: RenderTurnsOptions = {},
  ) {
    this.turnMs = options.turnMs ?? DEFAULT_TURN_MS;
    this.clock = options.clock ?? { now: () => Date.now() };
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /**
   * Makes sure the session's messages show `version` or later: returns at once when they do, waits while
   * another replica has the turn (it renders the latest, which covers this version), and otherwise takes
   * the turn and renders until nothing newer is stored. Returns false if the turn never came free.
   */
  async show(sessionId: string, version: number, render: (session: Session) => Promise<void>): Promise<boolean> {
    return this.advance(`render:${sessionId}`, version, async (shown) => {
      const session = await this.store.get(sessionId);
      if (!session || session.version <= shown) return undefined;
      await render(session);
      return session.version;
    });
  }

  /**
   * The general form: brings whatever `key` tracks up to `target` or later, one replica at a time. `step` is
   * given what was done so far and does the next piece, returning how far it got, or undefined when nothing
   * is left to do.
   */
  async advance(key: string, target: number, step: (shown: number) => Promise<number | undefined>): Promise<boolean> {
    const token = randomBytes(8).toString('hex');
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
