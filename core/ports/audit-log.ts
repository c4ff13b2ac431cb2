import type { AuditEvent } from '../audit.ts';

/** Append-only. Entries carry a keyed hash of the account id, never the id or email itself. */
export interface AuditLog {
  append(event: AuditEvent): Promise<void>;
}
