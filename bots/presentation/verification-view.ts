import { NotAuthorizedError } from '../../core/errors.ts';
import { type Locale, type MessageKey, type MessageParams, renderMessage } from '../../core/messages/catalog.ts';
import type { AccountSummary, Accounts, Clock, LimitedProfile } from '../../core/ports/index.ts';
import type { Session } from '../../core/session.ts';
import type { Verification } from '../../core/verification.ts';

const t = (key: MessageKey, locale: Locale, params?: MessageParams) => renderMessage(key, locale, params);

export interface RenderContext {
  locale: Locale;
  company: string;
  pinMinutes: number;
  now: number;
  /** The language the customer reads in, where it is not the account's (a web chat in the browser's language). */
  customerLocale?: Locale;
  /** With the built-in passkeys: the pending prompt's confirmation page, offered as a button in the customer's chat. */
  confirmUrl?: string;
}

export interface AgentCard extends RenderContext {
  session: Session;
  /** What the agent may know before verification: name and device names, never serials. */
  account: AccountSummary | undefined;
  /** Present only while the verifying agent's grant is active. */
  profile?: LimitedProfile;
  /** The customer is in the conversation where the verification started (Slack Connect, a Teams chat). */
  customerInChannel: boolean;
}

export function firstTrustedDevice(account: AccountSummary | undefined): string {
  return account?.devices.find((d) => d.trusted)?.name ?? 'device';
}

/** The words the customer hears or reads for the current method, in the customer's language. */
export function customerScript(
  session: Session,
  account: AccountSummary | undefined,
  ctx: RenderContext,
  escapeText: (text: string) => string = (text) => text,
): string {
  const locale = ctx.customerLocale ?? session.customerLocale;
  if (session.state === 'awaiting_device') {
    const params = {
      agent: escapeText(session.agent.displayName),
      company: escapeText(ctx.company),
      device: escapeText(firstTrustedDevice(account)),
    };
    return session.prompt?.matchNumber === undefined
      ? t('customer.device.instructions_plain', locale, params)
      : t('customer.device.instructions', locale, { ...params, number: session.prompt.matchNumber });
  }
  return t('customer.pin.instructions', locale, {
    agent: escapeText(session.agent.displayName),
    minutes: ctx.pinMinutes,
  });
}

/** What the customer is told about a denied verification: refused, reported, or the wrong number picked. */
export function deniedKey(session: Session): MessageKey {
  if (session.reason === 'fraud_reported') return 'customer.fraud_reported';
  if (session.reason === 'number_mismatch') return 'customer.number_mismatch';
  return 'customer.denied';
}

/** What the agent reads once a verification has ended, for every way it can end. */
export function endedText(session: Session, locale: Locale, time: (epochMs: number) => string): string {
  switch (session.reason) {
    case 'fraud_reported':
      return t('agent.denied.fraud', locale);
    case 'number_mismatch':
      return t('agent.denied.number_mismatch', locale);
    case 'device_denied':
      return t('agent.denied', locale);
    case 'pin_locked':
      return t('agent.failed.locked', locale);
    case 'pin_tries_exhausted':
      return t('agent.failed.tries', locale);
    case 'prompt_expired':
    case 'session_expired':
      return t('agent.expired', locale);
    case 'grant_revoked':
      return t('agent.closed.revoked', locale);
    case 'ended_by_denial':
      return t('agent.closed.denial', locale);
    case 'ended_by_fraud_report':
      return t('agent.closed.fraud', locale);
    case 'ended_by_pin_lock':
      return t('agent.closed.pin_lock', locale);
    case 'grant_expired':
      return t('agent.closed.expired', locale, { until: time(session.updatedAt) });
    case 'conversation_closed':
      return session.state === 'closed' ? t('agent.closed.conversation', locale) : t('agent.cancelled', locale);
    default:
      return t('agent.cancelled', locale);
  }
}

/** What the agent's card may offer now: only what can work, with a line for each thing that cannot. */
export interface Offers {
  device: boolean;
  pin: boolean;
  /** Why something is not offered, or what the agent should know first, in the agent's language. */
  lines: string[];
}

/** The methods a card offers for `session` and the lines that explain the rest (see `Session.availability`). */
export function offersFor(
  session: Session,
  account: AccountSummary | undefined,
  locale: Locale,
  time: (epochMs: number) => string,
): Offers {
  const availability = session.availability ?? {};
  const trusted = account?.devices.some((d) => d.trusted) ?? false;
  const lines: string[] = [];
  const grant = availability.activeGrant;
  if (grant)
    lines.push(
      grant.mine
        ? t('agent.available.grant_mine', locale, { until: time(grant.until) })
        : t('agent.available.grant_theirs', locale, { agent: grant.agentName, until: time(grant.until) }),
    );
  const blocked = availability.device;
  const device = trusted && blocked === undefined;
  if (!trusted || blocked?.blockedBy === 'no_device') lines.push(t('agent.method.unavailable_device', locale));
  else if (blocked) {
    const key =
      blocked.blockedBy === 'cooldown'
        ? 'agent.available.device_cooldown'
        : blocked.blockedBy === 'pending'
          ? 'agent.available.device_pending'
          : 'agent.available.device_quota';
    lines.push(t(key, locale, { until: time(blocked.until ?? session.expiresAt) }));
  }
  const pin = availability.pinLockedUntil === undefined;
  if (!pin) lines.push(t('agent.available.pin_locked', locale, { until: time(availability.pinLockedUntil ?? 0) }));
  else if (availability.pinFailuresLeft !== undefined)
    lines.push(t('agent.available.pin_failures_left', locale, { tries: availability.pinFailuresLeft }));
  if (!device && !pin) lines.push(t('agent.available.none', locale));
  return { device, pin, lines };
}

export interface AgentViewDeps {
  verification: Verification;
  accounts: Accounts;
  clock: Clock;
  company: string;
  pinMinutes: number;
}

/** The agent's view of a session, with the profile only while the agent's grant lasts. */
export async function agentView(
  deps: AgentViewDeps,
  session: Session,
  locale: Locale,
  customerInChannel: boolean,
): Promise<AgentCard> {
  const account = await deps.accounts.summary(session.accountId);
  let profile: LimitedProfile | undefined;
  if (session.state === 'verified') {
    profile = await deps.verification.grantedProfile(session, session.agent).catch((error: unknown) => {
      if (error instanceof NotAuthorizedError) return undefined;
      throw error;
    });
  }
  return {
    session,
    account,
    ...(profile ? { profile } : {}),
    customerInChannel,
    locale,
    company: deps.company,
    pinMinutes: deps.pinMinutes,
    now: deps.clock.now(),
  };
}
