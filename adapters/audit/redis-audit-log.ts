import type { AuditEvent } from '../../core/audit.ts';
import type { Finding } from '../../core/guard/inbound.ts';
import type { AuditLog } from '../../core/ports/index.ts';
import { guarded, type RedisClient } from '../redis/connect.ts';
import { storeKeys } from '../store/keys.ts';

// Every entry carries the same fields in the same order (empty when absent): a stream then stores the names
// once per block instead of once per entry, which is most of what an audit entry would otherwise cost.
const FIELDS = ['t', 'a', 'o', 'c', 's', 'g', 'w', 'k', 'm', 'f', 'd'] as const;

/** Appends every audit event to a Redis stream, the durable, append-only record. */
export class RedisAuditLog implements AuditLog {
  constructor(private readonly redis: RedisClient) {}

  async append(event: AuditEvent): Promise<void> {
    await guarded('audit append', () => this.redis.xadd(storeKeys.auditStream, '*', ...toFields(event)));
  }

  /** Every entry in order, for export and tests. */
  async read(): Promise<AuditEvent[]> {
    const entries = await guarded('audit read', () => this.redis.xrange(storeKeys.auditStream, '-', '+'));
    return entries.map(([, fields]) => fromFields(fields));
  }
}

function toFields(event: AuditEvent): string[] {
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
  if (value.g) event.agent = { id: value.g, ...(value.w && value.w !== '-' ? { workspaceId: value.w } : {}) };
  if (value.k) event.account = value.k;
  if (value.m) event.method = value.m as AuditEvent['method'];
  if (value.f) event.findings = value.f.split(',') as Finding[];
  if (value.d) event.detail = JSON.parse(value.d) as AuditEvent['detail'];
  return event;
}
