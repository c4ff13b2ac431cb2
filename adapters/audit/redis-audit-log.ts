import type { AuditEvent } from '../../core/audit.ts';
import type { Finding } from '../../core/guard/inbound.ts';
import type { AuditLog } from '../../core/ports/index.ts';
import { guarded, type RedisClient } from '../redis/connect.ts';
import { storeKeys } from '../store/keys.ts';
import { AuditChain, type ChainLink, type ChainReport, ChainVerifier } from './audit-chain.ts';

// Every entry carries the same fields in the same order (empty when absent): a stream then stores the names
// once per block instead of once per entry, which is most of what an audit entry would otherwise cost.
// The customer's fields (u, uw, uc) came later; entries without them still verify, as sealed from what is stored.
const FIELDS = ['t', 'a', 'o', 'c', 's', 'g', 'w', 'k', 'm', 'f', 'd', 'u', 'uw', 'uc'] as const;

export interface RedisAuditLogOptions {
  /** The key that seals entries (AUDIT_KEY); the same key verifies them. */
  key: string;
  /** Entries older than this are trimmed as new ones are appended. */
  retentionDays?: number;
  now?: () => number;
}

const DEFAULT_RETENTION_DAYS = 400;

// KEYS[1] the stream. ARGV: MINID, then each entry as its field count and fields. Returns each entry's id.
const APPEND_ALL = `
local ids, a = {}, 2
while a <= #ARGV do
  local count = tonumber(ARGV[a])
  ids[#ids + 1] = redis.call('XADD', KEYS[1], 'MINID', '~', ARGV[1], '*', unpack(ARGV, a + 1, a + count))
  a = a + count + 1
end
return ids`;

interface Pending {
  fields: string[];
  resolve(): void;
  reject(error: unknown): void;
}
const PAGE = 1000;

/**
 * Appends every audit event to a Redis stream, the durable, append-only record, each entry sealed into this
 * replica's chain (see {@link AuditChain}).
 */
export class RedisAuditLog implements AuditLog {
  private readonly chain: AuditChain;
  private readonly now: () => number;
  /** Sealed entries waiting for this turn of the event loop to end. */
  private batch: Pending[] = [];

  constructor(
    private readonly redis: RedisClient,
    private readonly options: RedisAuditLogOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.chain = new AuditChain(options.key, this.now);
  }

  /**
   * Seals the entry at once and sends it with the others appended in the same turn of the event loop, in one
   * command (group commit): commands on one connection reach Redis in the order they were sent, so the chain is
   * in stream order without waiting for one write before the next. A connection that breaks fails every command
   * still in flight, so a failure can never leave a gap behind entries that landed.
   */
  async append(event: AuditEvent): Promise<void> {
    const payload = toFields(event);
    if (this.chain.needsAnchor()) this.chain.anchorTo(await this.newest());
    const { r, n, h, l } = this.chain.seal(payload.filter((_, i) => i % 2 === 1));
    const fields = [...payload, 'r', r, 'n', n, 'h', h, ...(l ? ['l', l] : [])];
    return new Promise<void>((resolve, reject) => {
      this.batch.push({ fields, resolve, reject });
      if (this.batch.length === 1) setImmediate(() => this.flush());
    });
  }

  private async flush(): Promise<void> {
    const batch = this.batch;
    this.batch = [];
    const minId = String(Math.max(0, this.now() - this.retentionMs()));
    try {
      const ids = await guarded('audit append', async () => {
        const [only] = batch;
        if (batch.length === 1 && only)
          return [await this.redis.xadd(storeKeys.auditStream, 'MINID', '~', minId, '*', ...only.fields)];
        // EVAL, never EVALSHA: a script missing from a restarted server's cache is re-sent, and that re-send
        // would land behind later appends, out of the chain's order.
        const args = batch.flatMap((entry) => [entry.fields.length, ...entry.fields]);
        return (await this.redis.eval(APPEND_ALL, 1, storeKeys.auditStream, minId, ...args)) as string[];
      });
      this.chain.confirmed(Number(String(ids.at(-1) ?? '').split('-')[0]) || this.now());
      for (const entry of batch) entry.resolve();
    } catch (error) {
      // They may or may not have landed: a new segment keeps either case from looking like a deletion.
      this.chain.restart();
      for (const entry of batch) entry.reject(error);
    }
  }

  /** The stream's newest sealed entry, which a replica just started links its first segment to. */
  private async newest(): Promise<ChainLink | undefined> {
    const [entry] = await guarded('audit read', () =>
      this.redis.xrevrange(storeKeys.auditStream, '+', '-', 'COUNT', 1),
    );
    if (!entry) return undefined;
    const [id, fields] = entry;
    const seal = sealOf(fields);
    if (!seal.r || !/^\d+$/u.test(seal.n)) return undefined;
    return { r: seal.r, n: Number(seal.n), h: seal.h, at: Number(id.split('-')[0]) };
  }

  private retentionMs(): number {
    return (this.options.retentionDays ?? DEFAULT_RETENTION_DAYS) * 24 * 60 * 60_000;
  }

  /** Every entry in order, for tests. */
  async read(): Promise<AuditEvent[]> {
    const events: AuditEvent[] = [];
    for await (const page of this.pages()) events.push(...page.map((entry) => entry.event));
    return events;
  }

  /** Entries from `since` (epoch ms) on, page by page, with their stream ids. */
  async *pages(since = 0): AsyncGenerator<Array<{ id: string; event: AuditEvent; seal: Seal }>> {
    let start = String(since);
    for (;;) {
      const entries = await guarded('audit read', () =>
        this.redis.xrange(storeKeys.auditStream, start, '+', 'COUNT', PAGE),
      );
      if (entries.length === 0) return;
      yield entries.map(([id, fields]) => ({ id, event: fromFields(fields), seal: sealOf(fields) }));
      if (entries.length < PAGE) return;
      start = `(${entries.at(-1)?.[0]}`;
    }
  }

  /** Checks every retained entry's seal and sequence; the report lists each problem by stream id. */
  async verify(): Promise<ChainReport> {
    const verifier = new ChainVerifier(this.options.key, this.now() - this.retentionMs());
    for await (const page of this.pages()) {
      for (const { id, seal } of page) verifier.check({ id, at: Number(id.split('-')[0]), ...seal });
    }
    return verifier.report();
  }
}

interface Seal {
  payload: string[];
  r: string;
  n: string;
  h: string;
  l?: string;
}

function sealOf(fields: string[]): Seal {
  const payload: string[] = [];
  const seal: Seal = { payload, r: '', n: '', h: '' };
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const name = fields[i] as string;
    const value = fields[i + 1] ?? '';
    if (name === 'r' || name === 'n' || name === 'h' || name === 'l') seal[name] = value;
    else payload.push(value);
  }
  return seal;
}

/** An event as the stream stores it: field names and values, alternating, always in {@link FIELDS} order. */
export function toFields(event: AuditEvent): string[] {
  const values: Record<(typeof FIELDS)[number], string> = {
    t: event.type,
    a: String(event.at),
    o: event.outcome,
    c: event.channel,
    s: event.sessionId ?? '',
    g: event.agent?.id ?? '',
    // A '-' tells "an agent without a workspace" from "no agent".
    w: event.agent ? (event.agent.workspaceId ?? '-') : '',
    k: event.account ?? '',
    m: event.method ?? '',
    f: event.findings?.join(',') ?? '',
    d: event.detail ? JSON.stringify(event.detail) : '',
    u: event.customer?.id ?? '',
    uw: event.customer ? (event.customer.workspaceId ?? '-') : '',
    uc: event.customer?.channel ?? '',
  };
  return FIELDS.flatMap((name) => [name, values[name]]);
}

function fromFields(fields: string[]): AuditEvent {
  // Entries written by earlier versions hold the whole event as JSON in one field, `e`.
  if (fields[0] === 'e') return JSON.parse(fields[1] ?? '{}') as AuditEvent;
  const value: Partial<Record<(typeof FIELDS)[number], string>> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) value[fields[i] as (typeof FIELDS)[number]] = fields[i + 1] ?? '';
  const event: AuditEvent = {
    type: value.t as AuditEvent['type'],
    at: Number(value.a),
    outcome: value.o as AuditEvent['outcome'],
    channel: value.c as AuditEvent['channel'],
  };
  if (value.s) event.sessionId = value.s;
  // An agent acts in the entry's own channel.
  if (value.g)
    event.agent = {
      channel: event.channel,
      ...(value.w && value.w !== '-' ? { workspaceId: value.w } : {}),
      id: value.g,
    };
  if (value.u)
    event.customer = {
      channel: (value.uc || event.channel) as AuditEvent['channel'],
      ...(value.uw && value.uw !== '-' ? { workspaceId: value.uw } : {}),
      id: value.u,
    };
  if (value.k) event.account = value.k;
  if (value.m) event.method = value.m as AuditEvent['method'];
  if (value.f) event.findings = value.f.split(',') as Finding[];
  if (value.d) event.detail = JSON.parse(value.d) as AuditEvent['detail'];
  return event;
}
