import type { Deadlines } from '../../core/ports/index.ts';

/** {@link Deadlines} in memory, for the embedded mode (one instance) and tests. */
export class MemoryDeadlines implements Deadlines {
  private readonly due = new Map<string, number>();

  async set(sessionId: string, at: number): Promise<void> {
    this.due.set(sessionId, at);
  }

  async clear(sessionId: string): Promise<void> {
    this.due.delete(sessionId);
  }

  async claimDue(now: number, max: number, leaseMs: number): Promise<string[]> {
    const claimed = [...this.due]
      .filter(([, at]) => at <= now)
      .sort((a, b) => a[1] - b[1])
      .slice(0, max)
      .map(([id]) => id);
    for (const id of claimed) this.due.set(id, now + leaseMs);
    return claimed;
  }
}
