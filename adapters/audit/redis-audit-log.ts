import type { AuditEvent } from '../../core/audit.ts';
import type { AuditLog } from '../../core/ports/index.ts';
import { guarded, type RedisClient } from '../redis/connect.ts';
import { storeKeys } from '../store/keys.ts';

/** Appends every audit event to a Redis stream, the durable, append-only record. */
export class RedisAuditLog implements AuditLog {
  constructor(private readonly redis: RedisClient) {}

  async append(event: AuditEvent): Promise<void> {
    await guarded('audit append', () => this.redis.xadd(storeKeys.auditStream, '*', 'e', JSON.stringify(event)));
  }

  /** Every entry in order, for export and tests. */
  async read(): Promise<AuditEvent[]> {
    const entries = await guarded('audit read', () => this.redis.xrange(storeKeys.auditStream, '-', '+'));
    return entries.map(([, fields]) => JSON.parse(fields[1] ?? '{}') as AuditEvent);
  }
}
