import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Tamper evidence for the audit stream. Each replica writes its entries as a chain: a segment id (`r`), a
 * sequence number (`n`, from 1) and `h` = HMAC(AUDIT_KEY, previous h + n + the entry's fields). Without the
 * key nobody can edit an entry, drop one from the middle, or reorder a segment without `verify` seeing it.
 * A replica needs no coordination with the others (its own previous `h` is in memory), and starts a new
 * segment when it starts, every hour, and after a failed append (so a write that never landed is not a gap).
 * Each new segment's first entry names, in `l` and under its seal, the entry before it: its own replica's
 * last confirmed entry, or for a replica just started the newest entry in the stream. So removing a whole
 * segment, or its last entries, shows at the segment that names it.
 * Trimming by retention removes whole old entries: a segment may then start past 1 only near the cut-off.
 */
export class AuditChain {
  private segment = '';
  private count = 0;
  private previous = '';
  private startedAt = 0;
  /** This replica's last entry known to have landed. */
  private last: ChainLink | undefined;
  /** What a replica just started links its first segment to; `null` until it has looked. */
  private anchor: ChainLink | undefined | null = null;
  private link: ChainLink | undefined;

  constructor(
    private readonly key: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether the next seal starts the replica's first segment without yet knowing the stream's newest entry. */
  needsAnchor(): boolean {
    return this.anchor === null && this.last === undefined && this.segment === '';
  }

  /** The stream's newest entry when this replica started (none in an empty stream). */
  anchorTo(newest: ChainLink | undefined): void {
    this.anchor = newest;
  }

  /** Seals the next entry of this replica's chain: the fields to store beside the payload. */
  seal(payload: readonly string[]): { r: string; n: string; h: string; l?: string } {
    if (!this.segment || this.now() - this.startedAt >= SEGMENT_MAX_MS) this.restart();
    this.count += 1;
    const n = String(this.count);
    const l = this.count === 1 && this.link ? formatLink(this.link) : undefined;
    // The first entry's seal covers its link, so the link cannot be edited either.
    const h = mac(this.key, l ?? this.previous, n, payload);
    this.previous = h;
    return { r: this.segment, n, h, ...(l ? { l } : {}) };
  }

  /** The entry just sealed has landed (`at`: its time, epoch ms): the next segment will name it. */
  confirmed(at: number): void {
    this.last = { r: this.segment, n: this.count, h: this.previous, at };
  }

  /** Starts a new segment: after a failed append, whose entry may or may not have landed. */
  restart(): void {
    this.link = this.last ?? this.anchor ?? undefined;
    this.segment = randomBytes(8).toString('base64url');
    this.count = 0;
    this.previous = '';
    this.startedAt = this.now();
  }
}

/** An entry as a later segment names it: its segment, number, seal and time. */
export interface ChainLink {
  r: string;
  n: number;
  h: string;
  at: number;
}

function formatLink(link: ChainLink): string {
  return `${link.r}.${link.n}.${link.h}.${link.at}`;
}

function parseLink(text: string): ChainLink | undefined {
  const [r = '', n = '', h = '', at = ''] = text.split('.');
  if (!/^[A-Za-z0-9_-]{1,40}$/u.test(r) || !/^\d{1,12}$/u.test(n) || !/^[A-Za-z0-9_-]{22}$/u.test(h)) return undefined;
  if (!/^\d{1,15}$/u.test(at)) return undefined;
  return { r, n: Number(n), h, at: Number(at) };
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
  /** On a segment's first entry: the entry before it (see {@link AuditChain}). */
  l?: string;
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
    const previous = n === 1 && entry.l ? entry.l : (last?.h ?? '');
    if (checkable && !safeEqual(mac(this.key, previous, entry.n, entry.payload), entry.h)) {
      this.problems.push(`${entry.id}: altered (its seal does not match its content)`);
    } else if (checkable && n === 1 && entry.l) this.checkLink(entry, entry.l);
    this.segments.set(entry.r, { n, h: entry.h });
  }

  // The entry a new segment names was written before it, so it has been read by now unless it was removed.
  private checkLink(entry: SealedEntry, text: string): void {
    const link = parseLink(text);
    if (!link) {
      this.problems.push(`${entry.id}: names the entry before it in a form that is not a link`);
      return;
    }
    const named = this.segments.get(link.r);
    if (named === undefined) {
      if (link.at >= this.retainedSince)
        this.problems.push(
          `${entry.id}: segment ${link.r} is missing (it had reached entry ${link.n} at ${new Date(link.at).toISOString()})`,
        );
    } else if (named.n < link.n) {
      this.problems.push(
        `${entry.id}: entries ${named.n + 1}–${link.n} of segment ${link.r} are missing (the last ones it wrote)`,
      );
    } else if (named.n === link.n && !safeEqual(named.h, link.h)) {
      this.problems.push(`${entry.id}: segment ${link.r} does not end with the entry this one names`);
    }
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
