import type { Finding } from './guard/inbound.ts';
import type { ChannelKind, Method } from './session.ts';

/**
 * Every auditable event, with its OWASP Logging Vocabulary name where one fits (`authn_login_fail_max`,
 * `authn_token_reuse`, `authz_change`, `excess_rate_limit_exceeded`, …); the vocabulary's own `authn_` / `input_` /
 * `session_` prefixes for the few with no counterpart there (a push prompt sent, a secret redacted).
 */
export const AUDIT_EVENTS = {
  verification_started: 'authn_verification_started',
  method_chosen: 'authn_method_chosen',
  device_prompt_sent: 'authn_push_sent',
  device_prompt_refused: 'excess_rate_limit_exceeded',
  device_prompt_failed: 'authn_push_delivery_fail',
  device_prompt_confirmed: 'authn_login_success',
  device_prompt_denied: 'authn_login_fail',
  fraud_reported: 'authn_fraud_reported',
  device_response_rejected: 'input_validation_fail',
  pin_issued: 'authn_token_created',
  pin_wrong: 'authn_login_fail',
  pin_accepted: 'authn_login_success',
  pin_locked: 'authn_login_fail_max',
  pin_reused: 'authn_token_reuse',
  session_expired: 'session_expired',
  session_cancelled: 'session_cancelled',
  grant_issued: 'authz_change',
  grant_revoked: 'authz_change',
  grant_expired: 'session_expired',
  secret_redacted: 'input_secret_redacted',
  customer_identified: 'authn_customer_identified',
  customer_refused: 'authz_fail',
  agent_unauthorized: 'authz_fail',
  agent_rate_exceeded: 'excess_rate_limit_exceeded',
  portal_key_rejected: 'authn_token_invalid',
  portal_rate_exceeded: 'excess_rate_limit_exceeded',
  device_registered: 'authn_device_registered',
  device_removed: 'authn_device_removed',
  device_registration_refused: 'authn_device_registration_fail',
} as const;

export type AuditEventType = keyof typeof AUDIT_EVENTS;
export type AuditOutcome = 'success' | 'failure' | 'info';

/** The events a security team is alerted on. */
export const SECURITY_ALERTS: ReadonlySet<AuditEventType> = new Set([
  'device_prompt_refused',
  'device_prompt_denied',
  'fraud_reported',
  'pin_locked',
  'agent_unauthorized',
  'agent_rate_exceeded',
  'portal_rate_exceeded',
]);

export interface AuditIdentity {
  channel: ChannelKind;
  workspaceId?: string;
  id: string;
}

/**
 * One audit entry. `account` is a keyed hash of the account id, never the id or email. `detail` holds
 * only non-secret facts (counts, reasons, finding kinds).
 */
export interface AuditEvent {
  type: AuditEventType;
  at: number;
  outcome: AuditOutcome;
  channel: ChannelKind;
  sessionId?: string;
  /** The verifying agent: channel, workspace (Slack team, Entra tenant) and user. */
  agent?: AuditIdentity;
  /** The customer the session is for, or (for `customer_refused`) whoever tried to answer in their place. */
  customer?: AuditIdentity;
  account?: string;
  method?: Method;
  findings?: Finding[];
  detail?: Readonly<Record<string, string | number | boolean>>;
}
