import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Tamper evidence for the audit stream. Each replica writes its entries as a chain: a segment id (`r`), a
 * sequence number (`n`, from 1) and `h` = HMAC(AUDIT_KEY, previous h + n + the entry's fields). Without the
 * key nobody can edit an entry, drop one from the middle, or reorder a segment without `verify` seeing it.
 * A replica needs no coordination with the others (its own previous `h` is in memory), and starts a new
 * segment when it starts, every hour, and after a failed append (so a write that never landed is not a gap).
 * Trimming by retention removes whole old entries: a segment may then start past 1 only near the cut-off.
 */
export class AuditChain {
  private segment = '';
  private count = 0;
  private previous = '';
  private startedAt = 0;

  constructor(
    private readonly key: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seals the next entry of this replica's chain: the fields to store beside the payload. */
  seal(payload: readonly string[]): { r: string; n: string; h: string } {
    if (!this.segment || this.now() - this.startedAt >= SEGMENT_MAX_MS) this.restart();
    this.count += 1;
    const n = String(this.count);
    const h = mac(this.key, this.previous, n, payload);
    this.previous = h;
    return { r: this.segment, n, h };
  }

  /** Starts a new segment: after a failed append, whose entry may or may not have landed. */
  restart(): void {
    this.segment = randomBytes(8).toString('base64url');
    this.count = 0;
    this.previous = '';
    this.startedAt = this.now();
  }
}

/** A segment lasts at most this long, so retention trimming can be told from deletion (see {@link verifyChain}). */
export const SEGMENT_MAX_MS = 60 * 60_000;

function mac(key: string, previous: string, n: string, payload: readonly string[]): string {
  const hmac = createHmac('sha256', key);
  // Length-prefixed, so moving text between fields changes the MAC.
  for (const part of [previous, n, ...payload]) hmac.update(`${Buffer.byteLength(part)}:${part}`);
  return hmac.digest('base64url').slice(0, 22);
}

export interface SealedEntry {
  /** Where the entry is (the stream id), for the report. */
  id: string;
  /** When it was written (epoch ms). */
  at: number;
  payload: readonly string[];
  r: string;
  n: string;
  h: string;
}

export interface ChainReport {
  entries: number;
  segments: number;
  problems: string[];
}

/**
 * Checks entries in stream order. `retainedSince` is the retention cut-off (epoch ms): a segment whose
 * first kept entry is not its first may start only within one segment's lifetime of it.
 */
export class ChainVerifier {
  private readonly segments = new Map<string, { n: number; h: string }>();
  private count = 0;
  readonly problems: string[] = [];

  constructor(
    private readonly key: string,
    private readonly retainedSince: number,
  ) {}

  check(entry: SealedEntry): void {
    this.count += 1;
    const n = Number(entry.n);
    if (!entry.r || !Number.isInteger(n) || n < 1 || !/^[A-Za-z0-9_-]{22}$/u.test(entry.h)) {
      this.problems.push(`${entry.id}: not sealed (no chain fields)`);
      return;
    }
    const last = this.segments.get(entry.r);
    // Only an entry that follows its predecessor can be checked against it.
    let checkable = true;
    if (last === undefined && n > 1) {
      checkable = false;
      if (entry.at >= this.retainedSince + SEGMENT_MAX_MS) {
        this.problems.push(`${entry.id}: entries 1–${n - 1} of segment ${entry.r} are missing`);
      }
    } else if (last !== undefined && n !== last.n + 1) {
      checkable = false;
      this.problems.push(
        n > last.n + 1
          ? `${entry.id}: ${n - last.n - 1} entr${n - last.n - 1 === 1 ? 'y is' : 'ies are'} missing before it (segment ${entry.r}, after ${last.n})`
          : `${entry.id}: out of order (segment ${entry.r}: ${n} after ${last.n})`,
      );
    }
    if (checkable && !safeEqual(mac(this.key, last?.h ?? '', entry.n, entry.payload), entry.h)) {
      this.problems.push(`${entry.id}: altered (its seal does not match its content)`);
    }
    this.segments.set(entry.r, { n, h: entry.h });
  }

  report(): ChainReport {
    return { entries: this.count, segments: this.segments.size, problems: this.problems };
  }
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
