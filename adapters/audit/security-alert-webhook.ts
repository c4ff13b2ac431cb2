import { randomUUID } from 'node:crypto';
import { AUDIT_EVENTS, type AuditEvent, SECURITY_ALERTS } from '../../core/audit.ts';
import { FINDING_KINDS } from '../../core/guard/index.ts';
import type { AuditLog } from '../../core/ports/index.ts';
import { CHANNEL_KINDS } from '../../core/session.ts';
import { SignedWebhook, type SignedWebhookOptions } from '../http/signed-webhook.ts';

export interface SecurityAlertWebhookOptions extends SignedWebhookOptions {
  /** A delivery that failed after its retries: the alert is still in the audit trail and the log. */
  onFailure?(error: unknown, event: AuditEvent): void;
}

const identity = {
  type: 'object',
  additionalProperties: false,
  required: ['channel', 'id'],
  properties: { channel: { enum: [...CHANNEL_KINDS] }, workspaceId: { type: 'string' }, id: { type: 'string' } },
} as const;

/** The body of one alert, as `append` writes it: the audit event, with an id and its OWASP name. */
export const SECURITY_ALERT_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'alert', 'owasp', 'type', 'at', 'outcome', 'channel'],
  properties: {
    id: { type: 'string', format: 'uuid', description: 'The same on every retry: drop repeats.' },
    alert: { enum: [...SECURITY_ALERTS] },
    owasp: { enum: [...new Set([...SECURITY_ALERTS].map((type) => AUDIT_EVENTS[type]))] },
    type: { enum: [...SECURITY_ALERTS], description: 'The same as `alert`.' },
    at: { type: 'string', format: 'date-time' },
    outcome: { enum: ['success', 'failure', 'info'] },
    channel: { enum: [...CHANNEL_KINDS] },
    sessionId: { type: 'string' },
    agent: identity,
    customer: identity,
    account: { type: 'string', description: 'A keyed hash of the account id, never the id or email.' },
    method: { enum: ['device', 'pin'] },
    findings: { type: 'array', items: { enum: [...FINDING_KINDS] } },
    detail: {
      type: 'object',
      additionalProperties: { type: ['string', 'number', 'boolean'] },
      description: 'Non-secret facts: counts, reasons, limits.',
    },
  },
} as const;

/**
 * Sends every security alert (a refused prompt, a denial, fraud reported, a lock-out, an unauthorized agent…)
 * to `SECURITY_WEBHOOK_URL`, signed like device prompts (Standard Webhooks, with `SECURITY_WEBHOOK_SECRETS`), beside the audit trail. Delivery runs in the
 * background with retries: an alert never slows the verification that raised it.
 */
export class SecurityAlertWebhook implements AuditLog {
  private readonly webhook: SignedWebhook;
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly options: SecurityAlertWebhookOptions) {
    this.webhook = new SignedWebhook({ backoffMs: 1000, ...options });
  }

  async append(event: AuditEvent): Promise<void> {
    if (!SECURITY_ALERTS.has(event.type)) return;
    // One id per alert, the same on every retry (in the body and as `webhook-id`), so the receiver can drop repeats.
    const id = randomUUID();
    const body = JSON.stringify({
      id,
      alert: event.type,
      owasp: AUDIT_EVENTS[event.type],
      ...event,
      at: new Date(event.at).toISOString(),
    });
    const delivery = this.webhook
      .post(body, 'security webhook', `msg_${id}`)
      .catch((error: unknown) => this.options.onFailure?.(error, event))
      .finally(() => this.pending.delete(delivery));
    this.pending.add(delivery);
  }

  /** Resolves once every alert sent so far was delivered or given up on; for shutdown and tests. */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }
}
