/**
 * When each session's next time-based step is due (a prompt or PIN expiring, a session lapsing, a grant
 * ending), kept where every replica sees it, so a deadline is applied even when the replica that set it is
 * gone. A claim is a lease: a deadline claimed and not settled within it becomes due again for anyone.
 */
export interface Deadlines {
  /** Sets, or moves, a session's next deadline (epoch ms). */
  set(sessionId: string, at: number): Promise<void>;
  /** Forgets a session's deadline: it has none left. */
  clear(sessionId: string): Promise<void>;
  /**
   * Claims sessions whose deadline is at or before `now`, each for `leaseMs`; concurrent callers never get the
   * same session within one lease. `max` bounds a claim per part of the schedule (an implementation kept in
   * several parts may hand out up to `max` from each), so a backlog is worked off over several sweeps.
   */
  claimDue(now: number, max: number, leaseMs: number): Promise<string[]>;
}

/** Sets a session's next deadline on `schedule`, or forgets it when it has none (`at` undefined). */
export function scheduleNext(schedule: Deadlines, sessionId: string, at: number | undefined): Promise<void> {
  return at === undefined ? schedule.clear(sessionId) : schedule.set(sessionId, at);
}
