import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { AuditEvent } from '../../core/audit.ts';
import type { AuditLog } from '../../core/ports/index.ts';

/** The Prometheus registry and the instruments support-verify reports on `GET /metrics`. */
export class Metrics {
  readonly registry = new Registry();
  readonly auditEvents = new Counter({
    name: 'support_verify_audit_events_total',
    help: 'Audit events by type and outcome (verifications started, prompts, PIN results, grants, alerts).',
    labelNames: ['type', 'outcome', 'channel'] as const,
    registers: [this.registry],
  });
  readonly httpRequests = new Histogram({
    name: 'support_verify_http_request_duration_seconds',
    help: 'HTTP requests by route and status.',
    labelNames: ['route', 'method', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 3],
    registers: [this.registry],
  });
  readonly storeFailures = new Counter({
    name: 'support_verify_store_unavailable_total',
    help: 'Requests refused because the store could not answer (fail closed).',
    registers: [this.registry],
  });
  readonly slackRefused = new Counter({
    name: 'support_verify_slack_requests_refused_total',
    help: 'Slack requests refused before any listener ran (bad or stale signature, too large, malformed).',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly unauthenticatedRefused = new Counter({
    name: 'support_verify_unauthenticated_refusals_total',
    help: 'Requests refused because they proved nothing about their sender (wrong portal key, unsigned device answer); audited per source per minute, counted here one by one.',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });
  readonly backgroundFailures = new Counter({
    name: 'support_verify_background_failures_total',
    help: 'Work after the answer that failed, such as outcome emails.',
    labelNames: ['what'] as const,
    registers: [this.registry],
  });

  constructor(options: { processMetrics?: boolean } = {}) {
    // Unprefixed, as prom-client names them, so stock Node.js dashboards and alerts work unchanged.
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  /** `support_verify_store_up`: 1 while the store answers, asked at each scrape (an alert rule's input). */
  watchStore(reachable: () => Promise<boolean>): void {
    new Gauge({
      name: 'support_verify_store_up',
      help: 'Whether the session store (Redis) answered a ping within a second at this scrape (1) or not (0).',
      registers: [this.registry],
      async collect() {
        this.set((await reachable()) ? 1 : 0);
      },
    });
  }

  async text(): Promise<string> {
    return this.registry.metrics();
  }
}

/** Counts every audit event on its way to the real log, so metrics never diverge from the record. */
export class CountingAuditLog implements AuditLog {
  constructor(
    private readonly inner: AuditLog,
    private readonly metrics: Metrics,
  ) {}

  async append(event: AuditEvent): Promise<void> {
    await this.inner.append(event);
    this.metrics.auditEvents.inc({ type: event.type, outcome: event.outcome, channel: event.channel });
  }
}
