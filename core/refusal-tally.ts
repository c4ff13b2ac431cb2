import type { AuditEventType } from './audit.ts';
import type { AuditLog, Clock } from './ports/index.ts';

/** Refusals of requests that proved nothing about who sent them: a wrong portal key, an unsigned device answer. */
export type UnauthenticatedRefusal = Extract<AuditEventType, 'portal_key_rejected' | 'device_response_rejected'>;

export interface RefusalTallyDeps {
  audit: AuditLog;
  clock: Clock;
  /** One audit entry per source and kind per window; a minute unless a test says otherwise. */
  windowMs?: number;
  /** Sources told apart per window; past it, the rest are counted together as `other`. */
  maxSources?: number;
  /** Told about every refusal, for a metric that keeps the exact number. */
  onRefused?(kind: UnauthenticatedRefusal): void;
}

interface Tally {
  kind: UnauthenticatedRefusal;
  source: string;
  reason?: string;
  count: number;
  first: number;
}

/**
 * Unauthenticated refusals, counted per source and kind and audited as one entry per source per window with
 * the count, so a flood of bad keys or unsigned answers cannot flood the audit trail (it kept 5,000 entries
 * for 5,000 requests for 400 days). Counting is in memory on each replica: a refusal costs no store call,
 * and each replica writes at most one entry per source and kind per window. Authenticated refusals are not
 * counted here; they stay one entry each.
 */
export class RefusalTally {
  private readonly tallies = new Map<string, Tally>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly windowMs: number;
  private readonly maxSources: number;

  constructor(private readonly deps: RefusalTallyDeps) {
    this.windowMs = deps.windowMs ?? 60_000;
    this.maxSources = deps.maxSources ?? 1000;
  }

  start(): void {
    this.timer = setInterval(() => void this.flush().catch(() => undefined), this.windowMs);
    this.timer.unref();
  }

  /** Stops the window and writes what it counted, so a clean shutdown loses nothing. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  refused(kind: UnauthenticatedRefusal, source: string, reason?: string): void {
    this.deps.onRefused?.(kind);
    let key = `${kind}\u0000${source}\u0000${reason ?? ''}`;
    if (!this.tallies.has(key) && this.tallies.size >= this.maxSources) {
      source = 'other';
      key = `${kind}\u0000other\u0000${reason ?? ''}`;
    }
    const tally = this.tallies.get(key);
    if (tally) tally.count += 1;
    else
      this.tallies.set(key, {
        kind,
        source,
        ...(reason ? { reason } : {}),
        count: 1,
        first: this.deps.clock.now(),
      });
  }

  /** Appends one entry per source and kind counted since the last flush. */
  async flush(): Promise<void> {
    const due = [...this.tallies.values()];
    this.tallies.clear();
    const until = this.deps.clock.now();
    for (const tally of due) {
      await this.deps.audit.append({
        type: tally.kind,
        at: until,
        outcome: 'failure',
        channel: 'api',
        detail: {
          count: tally.count,
          source: tally.source,
          since: tally.first,
          ...(tally.reason ? { reason: tally.reason } : {}),
        },
      });
    }
  }
}
