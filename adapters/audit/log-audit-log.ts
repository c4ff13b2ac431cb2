import type { AuditEvent } from '../../core/audit.ts';
import { AUDIT_EVENTS, type AuditEventType, SECURITY_ALERTS } from '../../core/audit.ts';
import type { AuditLog } from '../../core/ports/index.ts';
import type { Logger } from '../log/logger.ts';
import { AuditChain, type ChainReport, ChainVerifier, type SealedEntry } from './audit-chain.ts';
import { toFields } from './redis-audit-log.ts';

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

/**
 * Keeps events in memory: the embedded mode's record, and what tests read back. Given the audit key, it seals
 * each entry into a chain as the Redis stream does, so `npm run audit -- verify` can check it there too.
 */
export class MemoryAuditLog implements AuditLog {
  readonly events: AuditEvent[] = [];
  private readonly sealed: SealedEntry[] = [];
  private readonly chain: AuditChain | undefined;
  private verifier: ChainVerifier | undefined;
  private verified = 0;

  constructor(private readonly key?: string) {
    this.chain = key ? new AuditChain(key) : undefined;
  }

  async append(event: AuditEvent): Promise<void> {
    this.events.push(structuredClone(event));
    if (!this.chain) return;
    const payload = toFields(event).filter((_, i) => i % 2 === 1);
    const seal = this.chain.seal(payload);
    this.chain.confirmed(event.at);
    this.sealed.push({ id: `${event.at}-${this.sealed.length}`, at: event.at, payload, ...seal });
  }

  /**
   * Checks every entry's seal and sequence, as `RedisAuditLog.verify` does for the stream. The entries are
   * append-only in this process, so each is checked once, when first asked: asking again costs only the new ones.
   */
  verify(): ChainReport {
    if (!this.key) return { entries: this.events.length, segments: 0, problems: ['entries are not sealed (no key)'] };
    this.verifier ??= new ChainVerifier(this.key, 0);
    for (; this.verified < this.sealed.length; this.verified++)
      this.verifier.check(this.sealed[this.verified] as SealedEntry);
    const report = this.verifier.report();
    return { ...report, problems: [...report.problems] };
  }

  async read(): Promise<AuditEvent[]> {
    return structuredClone(this.events);
  }
}
