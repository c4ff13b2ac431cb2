import {
  AccountNotFoundError,
  ConversationBusyError,
  CustomerUnidentifiedError,
  DeliveryFailedError,
  DirectoryUnavailableError,
  ErrorCode,
  IllegalTransitionError,
  isCodedError,
  NoTrustedDeviceError,
  NotAuthorizedError,
  NotTheCustomerError,
  PinsLockedError,
  RateLimitedError,
  SessionConflictError,
} from '../../core/errors.ts';
import { type Locale, type MessageKey, type MessageParams, renderMessage } from '../../core/messages/catalog.ts';
import { formatDateTime } from '../../core/messages/format.ts';
import type { Session } from '../../core/session.ts';
import type { PinResult } from '../../core/verification.ts';

const t = (key: MessageKey, locale: Locale, params?: MessageParams) => renderMessage(key, locale, params);

/** What to tell whoever submitted a PIN, or undefined to just close the dialog (the card shows the rest). */
export function pinFeedback(
  result: PinResult,
  session: Session,
  who: 'agent' | 'customer',
  agentLocale: Locale | undefined,
): string | undefined {
  const locale = who === 'agent' ? (agentLocale ?? 'en') : session.customerLocale;
  if (result === 'busy') return t('agent.pin_busy', locale);
  if (result !== 'rejected' || session.state !== 'awaiting_pin') return undefined;
  const tries = session.pinTriesLeft ?? 0;
  return who === 'agent'
    ? t('agent.pin_rejected', locale, { tries })
    : t('customer.pin.not_accepted', locale, { tries });
}

/** The session whose card now explains a refusal (a prompt paused, PIN checks locked), if the error carries one. */
export function refusedOnCard(error: unknown): Session | undefined {
  if (error instanceof RateLimitedError || error instanceof PinsLockedError) return error.session;
  return undefined;
}

/** The agent-facing sentence for anything a verification step refused. */
export function explain(error: unknown, locale: Locale): string {
  if (error instanceof AccountNotFoundError) return t('agent.unknown_customer', locale);
  if (error instanceof ConversationBusyError) return t('agent.conversation_busy', locale, { agent: error.agentName });
  if (
    error instanceof NotAuthorizedError ||
    error instanceof NotTheCustomerError ||
    error instanceof CustomerUnidentifiedError
  )
    return t('agent.not_your_verification', locale);
  if (error instanceof NoTrustedDeviceError) return t('agent.method.unavailable_device', locale);
  if (error instanceof DeliveryFailedError) return t('agent.delivery_failed', locale);
  if (error instanceof IllegalTransitionError || error instanceof SessionConflictError)
    return t('agent.no_longer_pending', locale);
  if (error instanceof PinsLockedError)
    return t('agent.available.pin_locked', locale, { until: formatDateTime(error.until, locale) });
  if (error instanceof RateLimitedError) {
    const minutes = Math.max(1, Math.ceil(error.retryAfterMs / 60_000));
    if (error.reason === 'agent-rate') return t('agent.rate_limited', locale, { minutes });
    if (error.reason === 'prompt-pending') return t('agent.prompt_refused.pending', locale);
    if (error.reason === 'prompt-cooldown') return t('agent.prompt_refused.cooldown', locale, { minutes });
    return t('agent.prompt_refused.limit', locale, { minutes });
  }
  if (isCodedError(error) && error.code === ErrorCode.SessionNotFound) return t('agent.no_longer_pending', locale);
  if (error instanceof DirectoryUnavailableError) return t('agent.directory_unavailable', locale);
  // The store being unreachable, or anything unforeseen: nothing was verified or granted, and retrying is safe.
  return t('agent.store_unavailable', locale);
}

/**
 * What to tell, privately, someone who answered on the customer's side and was refused: it is someone
 * else's verification, or the customer must identify first. Anything else reads as for an agent.
 */
export function explainToCustomer(error: unknown, locale: Locale): string {
  if (error instanceof NotTheCustomerError || error instanceof NotAuthorizedError)
    return t('customer.not_yours', locale);
  if (error instanceof CustomerUnidentifiedError) return t('customer.identify_first', locale);
  if (error instanceof IllegalTransitionError || error instanceof SessionConflictError)
    return t('agent.no_longer_pending', locale);
  return explain(error, locale);
}

export type Outcome<T> =
  | { kind: 'value'; value: T }
  | { kind: 'error'; error: unknown }
  | { kind: 'late'; settled: Promise<T> };

/** Races work against a platform's answer window (Slack's 3 s, a Teams invoke's), so a stalled store never leaves a dialog hanging. */
export async function withinBudget<T>(work: Promise<T>, budgetMs: number): Promise<Outcome<T>> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<Outcome<T>>((resolve) => {
    timer = setTimeout(() => resolve({ kind: 'late', settled: work }), budgetMs);
  });
  const done = work.then(
    (value): Outcome<T> => ({ kind: 'value', value }),
    (error: unknown): Outcome<T> => ({ kind: 'error', error }),
  );
  try {
    return await Promise.race([done, late]);
  } finally {
    clearTimeout(timer);
  }
}
