import type { AuditEvent } from '../../core/audit.ts';
import { AUDIT_EVENTS, type AuditEventType, SECURITY_ALERTS } from '../../core/audit.ts';
import type { AuditLog } from '../../core/ports/index.ts';
import type { Logger } from '../log/logger.ts';

// Not an attack, but something an operator must look at: a third party the flow depends on failing.
const OPERATOR_WARNINGS: ReadonlySet<AuditEventType> = new Set(['device_prompt_failed']);

/** Writes every audit event as one JSON log line; security alerts and operator warnings at warn. */
export class LogAuditLog implements AuditLog {
  constructor(private readonly logger: Logger) {}

  async append(event: AuditEvent): Promise<void> {
    const level = SECURITY_ALERTS.has(event.type) || OPERATOR_WARNINGS.has(event.type) ? 'warn' : 'info';
    this.logger[level](
      { audit: { ...event, at: new Date(event.at).toISOString(), owasp: AUDIT_EVENTS[event.type] } },
      SECURITY_ALERTS.has(event.type) ? `security alert: ${event.type}` : `audit: ${event.type}`,
    );
  }
}

/** Sends each event to every log in turn: the stream that is the record, and the log line for operators. */
export class TeeAuditLog implements AuditLog {
  constructor(private readonly logs: readonly AuditLog[]) {}

  async append(event: AuditEvent): Promise<void> {
    for (const log of this.logs) await log.append(event);
  }
}

/** Keeps events in memory: the embedded mode's record, and what tests read back. */
export class MemoryAuditLog implements AuditLog {
  readonly events: AuditEvent[] = [];

  async append(event: AuditEvent): Promise<void> {
    this.events.push(structuredClone(event));
  }

  async read(): Promise<AuditEvent[]> {
    return structuredClone(this.events);
  }
}
