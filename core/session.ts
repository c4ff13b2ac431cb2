import { IllegalTransitionError } from './errors.ts';
import type { Locale } from './messages/catalog.ts';

export type SessionState =
  | 'started'
  | 'awaiting_device'
  | 'awaiting_pin'
  | 'verified'
  | 'denied'
  | 'failed'
  | 'expired'
  | 'cancelled'
  | 'closed';

export const SESSION_STATES: readonly SessionState[] = [
  'started',
  'awaiting_device',
  'awaiting_pin',
  'verified',
  'denied',
  'failed',
  'expired',
  'cancelled',
  'closed',
];

/** States a session never leaves. A verified session still ends once more, as `closed`. */
export const FINAL_STATES: ReadonlySet<SessionState> = new Set(['denied', 'failed', 'expired', 'cancelled', 'closed']);

export type Method = 'device' | 'pin';
export const CHANNEL_KINDS = ['slack', 'teams', 'webchat', 'playground', 'api'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

/**
 * Who someone is: a platform's user id means something only within its channel and its workspace (the Slack
 * team that installed the app, the Entra tenant), so no check ever compares a bare id.
 */
export interface Identity {
  channel: ChannelKind;
  /** The Slack team (or Enterprise Grid org) that installed the app, the Entra tenant; absent where there is none. */
  workspaceId?: string;
  /** The user within the workspace (in Teams, the Entra object id where the platform gives one). */
  id: string;
}

/** Whether two identities are the same person: channel, workspace and user all equal. */
export function sameIdentity(a: Identity, b: Identity): boolean {
  return a.channel === b.channel && (a.workspaceId ?? '') === (b.workspaceId ?? '') && a.id === b.id;
}

export interface AgentRef extends Identity {
  displayName: string;
  locale: Locale;
}

/** The customer a verification is for, where they take part in the conversation themselves. */
export interface CustomerRef extends Identity {
  /** As the platform shows them, for the agent's card. */
  displayName?: string;
}

export interface DevicePromptRef {
  id: string;
  expiresAt: number;
  /** The number the agent's side shows and the customer must pick on the device; absent when matching is off. */
  matchNumber?: number;
}

/**
 * What this account allows right now, read when the verification started (and again when a step was
 * refused), so the agent is offered only what can work and told why the rest cannot.
 */
export interface Availability {
  /** PIN checks are locked (too many wrong PINs in a day) until then. */
  pinLockedUntil?: number;
  /** Wrong PINs the account may still take before its PIN checks lock, where that is fewer than a session's tries. */
  pinFailuresLeft?: number;
  /** Why no device prompt can be sent now, and until when where that is known. */
  device?: { blockedBy: 'no_device' | 'cooldown' | 'quota' | 'pending'; until?: number };
  /** An earlier grant on this account, still active when this verification started. */
  activeGrant?: { agentName: string; mine: boolean; until: number };
}

export interface Grant {
  agentId: string;
  expiresAt: number;
}

/** Why a session reached the state it is in, for the agent's message and the audit trail. */
export type EndReason =
  | 'device_confirmed'
  | 'pin_accepted'
  | 'device_denied'
  | 'fraud_reported'
  | 'number_mismatch'
  | 'pin_tries_exhausted'
  | 'pin_locked'
  | 'prompt_expired'
  | 'session_expired'
  | 'cancelled_by_agent'
  | 'conversation_closed'
  | 'grant_expired'
  | 'grant_revoked'
  | 'ended_by_denial'
  | 'ended_by_fraud_report'
  | 'ended_by_pin_lock';

/**
 * One verification of one account by one agent. Times are epoch milliseconds. `version` grows by one with
 * every transition; stores use it for compare-and-set.
 */
export interface Session {
  id: string;
  version: number;
  state: SessionState;
  accountId: string;
  customerLocale: Locale;
  agent: AgentRef;
  createdAt: number;
  updatedAt: number;
  expiresAt: number;
  method?: Method;
  prompt?: DevicePromptRef;
  pinTriesLeft?: number;
  grant?: Grant;
  reason?: EndReason;
  /** Something the agent should know about the last step; cleared by the next transition. */
  notice?: SessionNotice;
  /** What the account allows now (see {@link Availability}); absent when everything is. */
  availability?: Availability;
  /**
   * The customer who alone may answer in the conversation (their PIN messages, modals and dialogs). Absent
   * where the agent speaks for the customer, and in a shared conversation until the customer identifies.
   */
  customer?: CustomerRef;
  /** The conversation this verification holds while it runs (one at a time per conversation). */
  conversation?: string;
  /** Opaque, channel-owned references (message ts, activity id…) so any replica can update the same message. */
  refs?: Record<string, string>;
}

/**
 * `device_unreachable`: the device service could not be reached, so the customer never saw the prompt.
 * `pin_rejected`: the PIN just tried was not accepted.
 */
export type SessionNotice = 'device_unreachable' | 'pin_rejected';

/** Why a grant ends early: the account was refused, reported or locked in another verification. */
export type AccountAlert = 'device_denied' | 'fraud_reported' | 'number_mismatch' | 'pin_locked';

export type SessionEvent =
  | { type: 'choose_device'; prompt: DevicePromptRef }
  | { type: 'prompt_undeliverable'; promptId: string }
  | { type: 'choose_pin'; triesLeft: number }
  | { type: 'customer_identified'; customer: CustomerRef }
  | { type: 'device_confirmed'; promptId: string; grantExpiresAt: number }
  | { type: 'device_denied'; promptId: string; reason: 'device_denied' | 'fraud_reported' | 'number_mismatch' }
  | { type: 'prompt_expired'; promptId: string }
  | { type: 'pin_accepted'; grantExpiresAt: number }
  | { type: 'pin_rejected'; triesLeft: number }
  | { type: 'pin_locked' }
  | { type: 'cancel' }
  | { type: 'expire' }
  | { type: 'conversation_closed' }
  | { type: 'revoke' }
  | { type: 'grant_expired' }
  | { type: 'availability_changed'; availability: Availability }
  | { type: 'account_alert'; alert: AccountAlert };

export type SessionEventType = SessionEvent['type'];

const OPEN: SessionState[] = ['started', 'awaiting_device', 'awaiting_pin'];

/** Which states each event may leave from. Anything not listed is an illegal transition. */
export const ALLOWED_FROM: Readonly<Record<SessionEventType, readonly SessionState[]>> = {
  // Switching method mid-way is allowed: a customer without their phone at hand can still read a PIN.
  choose_device: OPEN,
  choose_pin: OPEN,
  customer_identified: OPEN,
  prompt_undeliverable: ['awaiting_device'],
  device_confirmed: ['awaiting_device'],
  device_denied: ['awaiting_device'],
  prompt_expired: ['awaiting_device'],
  pin_accepted: ['awaiting_pin'],
  pin_rejected: ['awaiting_pin'],
  pin_locked: ['awaiting_pin'],
  cancel: OPEN,
  expire: OPEN,
  conversation_closed: [...OPEN, 'verified'],
  revoke: ['verified'],
  grant_expired: ['verified'],
  availability_changed: OPEN,
  // A denial, a fraud report or a PIN lock in another verification of the account ends this grant.
  account_alert: ['verified'],
};

export const SESSION_EVENT_TYPES = Object.keys(ALLOWED_FROM) as SessionEventType[];

/**
 * The one place that decides what happens to a session. Pure: it returns the next session (version + 1)
 * or throws {@link IllegalTransitionError}; stores apply the result with compare-and-set.
 */
export function transition(session: Session, event: SessionEvent, now: number): Session {
  if (!ALLOWED_FROM[event.type].includes(session.state)) throw new IllegalTransitionError(session.state, event.type);
  const lapsed = now >= session.expiresAt && OPEN.includes(session.state);
  if (lapsed && event.type !== 'expire' && event.type !== 'conversation_closed' && event.type !== 'cancel') {
    throw new IllegalTransitionError(session.state, `${event.type} after the session expired`);
  }
  const { notice: _shownOnce, ...current } = session;
  const base: Session = { ...current, version: session.version + 1, updatedAt: now };

  switch (event.type) {
    case 'choose_device':
      return { ...base, state: 'awaiting_device', method: 'device', prompt: event.prompt };
    case 'prompt_undeliverable': {
      if (session.prompt?.id !== event.promptId) throw new IllegalTransitionError(session.state, 'a stale prompt');
      // Back to choosing a method: the agent can send it again or switch to the PIN.
      const { method: _method, prompt: _prompt, ...rest } = base;
      return { ...rest, state: 'started', notice: 'device_unreachable' };
    }
    case 'choose_pin':
      return { ...base, state: 'awaiting_pin', method: 'pin', prompt: undefined, pinTriesLeft: event.triesLeft };
    case 'customer_identified':
      // Once bound, the customer never changes: the first to identify is the one whose answers count.
      if (session.customer && !sameIdentity(session.customer, event.customer))
        throw new IllegalTransitionError(session.state, 'identifying a second customer');
      return { ...base, customer: session.customer ?? event.customer };
    case 'device_confirmed':
      assertCurrentPrompt(session, event.type, event.promptId, now);
      return end(base, 'verified', 'device_confirmed', { agentId: session.agent.id, expiresAt: event.grantExpiresAt });
    case 'device_denied':
      assertCurrentPrompt(session, event.type, event.promptId, now);
      return end(base, 'denied', event.reason);
    case 'prompt_expired':
      if (session.prompt?.id !== event.promptId) throw new IllegalTransitionError(session.state, 'a stale prompt');
      return end(base, 'expired', 'prompt_expired');
    case 'pin_accepted':
      return end(base, 'verified', 'pin_accepted', { agentId: session.agent.id, expiresAt: event.grantExpiresAt });
    case 'pin_rejected':
      return event.triesLeft > 0
        ? { ...base, pinTriesLeft: event.triesLeft, notice: 'pin_rejected' }
        : end({ ...base, pinTriesLeft: 0 }, 'failed', 'pin_tries_exhausted');
    case 'pin_locked':
      return end(base, 'failed', 'pin_locked');
    case 'cancel':
      return end(base, 'cancelled', 'cancelled_by_agent');
    case 'expire':
      return end(base, 'expired', 'session_expired');
    case 'conversation_closed':
      return session.state === 'verified'
        ? end({ ...base, grant: undefined }, 'closed', 'conversation_closed')
        : end(base, 'cancelled', 'conversation_closed');
    case 'revoke':
      return end({ ...base, grant: undefined }, 'closed', 'grant_revoked');
    case 'grant_expired':
      return end({ ...base, grant: undefined }, 'closed', 'grant_expired');
    case 'availability_changed': {
      const { availability: _previous, ...rest } = base;
      return Object.keys(event.availability).length > 0 ? { ...rest, availability: event.availability } : rest;
    }
    case 'account_alert':
      return end({ ...base, grant: undefined }, 'closed', ALERT_REASONS[event.alert]);
  }
}

const ALERT_REASONS: Readonly<Record<AccountAlert, EndReason>> = {
  device_denied: 'ended_by_denial',
  number_mismatch: 'ended_by_denial',
  fraud_reported: 'ended_by_fraud_report',
  pin_locked: 'ended_by_pin_lock',
};

function end(base: Session, state: SessionState, reason: EndReason, grant?: Grant): Session {
  const next: Session = { ...base, state, reason, prompt: undefined };
  if (grant) next.grant = grant;
  return next;
}

function assertCurrentPrompt(session: Session, event: SessionEventType, promptId: string, now: number): void {
  if (session.prompt?.id !== promptId) throw new IllegalTransitionError(session.state, `${event} for a stale prompt`);
  if (now >= session.prompt.expiresAt)
    throw new IllegalTransitionError(session.state, `${event} after the prompt expired`);
}

/** Whether the grant of a verified session lets `who` see the account now: only the verifying agent, while it lasts. */
export function grantIsActive(session: Session, who: Identity, now: number): boolean {
  return (
    session.state === 'verified' &&
    sameIdentity(session.agent, who) &&
    session.grant?.agentId === who.id &&
    now < session.grant.expiresAt
  );
}

/** Whether a session can still be answered (it holds its conversation while it can). */
export function isOpen(session: Session): boolean {
  return OPEN.includes(session.state);
}

/** The time-based event a session is due for at `now`, if any: prompt, session or grant lapsing. */
export function dueEvent(session: Session, now: number): SessionEvent | undefined {
  if (OPEN.includes(session.state) && now >= session.expiresAt) return { type: 'expire' };
  if (session.state === 'awaiting_device' && session.prompt && now >= session.prompt.expiresAt) {
    return { type: 'prompt_expired', promptId: session.prompt.id };
  }
  if (session.state === 'verified' && session.grant && now >= session.grant.expiresAt) return { type: 'grant_expired' };
  return undefined;
}

/** When a time-based event next falls due, if ever: what a replica sets a timer for. */
export function nextDeadline(session: Session): number | undefined {
  if (OPEN.includes(session.state)) return Math.min(session.expiresAt, session.prompt?.expiresAt ?? session.expiresAt);
  if (session.state === 'verified') return session.grant?.expiresAt;
  return undefined;
}
