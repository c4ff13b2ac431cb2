import type { Session } from './session.ts';

/**
 * Every error support-verify raises on purpose carries a stable string code, so adapters and bots can map
 * it to an HTTP status or a chat message without matching on text.
 */
export enum ErrorCode {
  IllegalTransition = 'sv_illegal_transition',
  SessionNotFound = 'sv_session_not_found',
  SessionConflict = 'sv_session_conflict',
  AccountNotFound = 'sv_account_not_found',
  PolicyOutOfBounds = 'sv_policy_out_of_bounds',
  ConfigInvalid = 'sv_config_invalid',
  UnsafeOutbound = 'sv_unsafe_outbound',
  StoreUnavailable = 'sv_store_unavailable',
  DirectoryUnavailable = 'sv_directory_unavailable',
  RateLimited = 'sv_rate_limited',
  NotAuthorized = 'sv_not_authorized',
  RequestInvalid = 'sv_request_invalid',
  NoTrustedDevice = 'sv_no_trusted_device',
  DeliveryFailed = 'sv_delivery_failed',
  NotTheCustomer = 'sv_not_the_customer',
  CustomerUnidentified = 'sv_customer_unidentified',
  ConversationBusy = 'sv_conversation_busy',
  PinsLocked = 'sv_pins_locked',
  DuplicateRequest = 'sv_duplicate_request',
  PasskeyRefused = 'sv_passkey_refused',
  PasskeyLimit = 'sv_passkey_limit',
  PasskeyNotFound = 'sv_passkey_not_found',
  Unknown = 'sv_unknown',
}

export interface CodedError extends Error {
  code: ErrorCode;
}

abstract class SupportVerifyError extends Error implements CodedError {
  abstract readonly code: ErrorCode;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class IllegalTransitionError extends SupportVerifyError {
  readonly code = ErrorCode.IllegalTransition;
  constructor(
    readonly from: string,
    readonly event: string,
  ) {
    super(`a session in state "${from}" cannot take the event "${event}"`);
  }
}

export class SessionNotFoundError extends SupportVerifyError {
  readonly code = ErrorCode.SessionNotFound;
  constructor(readonly sessionId: string) {
    super(`no verification session ${sessionId}`);
  }
}

/** Another replica changed the session first, and retrying did not settle it. */
export class SessionConflictError extends SupportVerifyError {
  readonly code = ErrorCode.SessionConflict;
  constructor(readonly sessionId: string) {
    super(`verification session ${sessionId} kept changing under us`);
  }
}

export class AccountNotFoundError extends SupportVerifyError {
  readonly code = ErrorCode.AccountNotFound;
  constructor() {
    // The query itself may be an email address: it stays out of the message.
    super('no account matches that email, phone or account id');
  }
}

export class PolicyOutOfBoundsError extends SupportVerifyError {
  readonly code = ErrorCode.PolicyOutOfBounds;
  constructor(readonly problems: string[]) {
    super(`policy out of bounds: ${problems.join('; ')}`);
  }
}

export class ConfigInvalidError extends SupportVerifyError {
  readonly code = ErrorCode.ConfigInvalid;
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
}

export class UnsafeOutboundError extends SupportVerifyError {
  readonly code = ErrorCode.UnsafeOutbound;
  constructor(readonly key: string) {
    super(`refused to send "${key}": it reads as asking for a secret`);
  }
}

/** The store could not answer in time; on the security path this always counts as "no". */
export class StoreUnavailableError extends SupportVerifyError {
  readonly code = ErrorCode.StoreUnavailable;
}

/** The company's account directory did not answer, or answered something unusable: nothing is looked up. */
export class DirectoryUnavailableError extends SupportVerifyError {
  readonly code = ErrorCode.DirectoryUnavailable;
}

export class RateLimitedError extends SupportVerifyError {
  readonly code = ErrorCode.RateLimited;
  constructor(
    readonly reason: string,
    readonly retryAfterMs: number,
    /** The session as it now is, where its card shows the refusal (so no separate message is needed). */
    readonly session?: Session,
  ) {
    super(`rate limited (${reason}); retry in ${Math.ceil(retryAfterMs / 1000)} s`);
  }
}

export class NotAuthorizedError extends SupportVerifyError {
  readonly code = ErrorCode.NotAuthorized;
}

export class RequestInvalidError extends SupportVerifyError {
  readonly code = ErrorCode.RequestInvalid;
  constructor(readonly problems: string[]) {
    super(`invalid request: ${problems.join('; ')}`);
  }
}

export class NoTrustedDeviceError extends SupportVerifyError {
  readonly code = ErrorCode.NoTrustedDevice;
  constructor() {
    super('the account has no trusted device to prompt; use the support PIN');
  }
}

/** A prompt or message could not be handed to the service that delivers it. */
export class DeliveryFailedError extends SupportVerifyError {
  readonly code = ErrorCode.DeliveryFailed;
}

/** Someone in a shared conversation answered a verification that is for another person; nothing was counted. */
export class NotTheCustomerError extends SupportVerifyError {
  readonly code = ErrorCode.NotTheCustomer;
  constructor() {
    super('this verification is for someone else in the conversation');
  }
}

/** In a shared conversation the customer must say who they are (a button) before their answers count. */
export class CustomerUnidentifiedError extends SupportVerifyError {
  readonly code = ErrorCode.CustomerUnidentified;
  constructor() {
    super('the customer has not identified themselves in this conversation yet');
  }
}

/** The conversation already has a verification running; it is never overwritten. */
export class ConversationBusyError extends SupportVerifyError {
  readonly code = ErrorCode.ConversationBusy;
  constructor(
    /** The display name of the agent whose verification runs, to tell the second agent who to talk to. */
    readonly agentName: string,
    readonly sessionId: string,
  ) {
    super('a verification is already running in this conversation');
  }
}

/** PIN checks for the account are locked after too many wrong PINs: no PIN is issued or checked until then. */
export class PinsLockedError extends SupportVerifyError {
  readonly code = ErrorCode.PinsLocked;
  constructor(
    readonly until: number,
    /** The session as it now is, its card showing the lock; absent outside a verification (the portal). */
    readonly session?: Session,
  ) {
    super('PIN checks for this account are locked after too many wrong PINs');
  }
}

/** A platform delivered the same request again (its one-time claim was made before): nothing was done. */
export class DuplicateRequestError extends SupportVerifyError {
  readonly code = ErrorCode.DuplicateRequest;
  constructor(readonly claim: string) {
    super('this request was received already');
  }
}

/**
 * A WebAuthn answer that does not verify: no ceremony was started or it ran out, it was used already, or the
 * browser's answer fails a check (challenge, origin, RP id, user verification, signature). Nothing changed.
 */
export class PasskeyRefusedError extends SupportVerifyError {
  readonly code = ErrorCode.PasskeyRefused;
}

/** The account has as many passkeys as it may keep; one must be removed before another is registered. */
export class PasskeyLimitError extends SupportVerifyError {
  readonly code = ErrorCode.PasskeyLimit;
  constructor(readonly max: number) {
    super(`an account keeps at most ${max} trusted devices; remove one first`);
  }
}

/** No passkey by that id on this account (never registered, or removed). */
export class PasskeyNotFoundError extends SupportVerifyError {
  readonly code = ErrorCode.PasskeyNotFound;
  constructor() {
    super('no such trusted device on this account');
  }
}

export class UnknownError extends SupportVerifyError {
  readonly code = ErrorCode.Unknown;
}

export function isCodedError(error: unknown): error is CodedError {
  return (
    error instanceof Error &&
    typeof (error as Partial<CodedError>).code === 'string' &&
    Object.values(ErrorCode).includes((error as CodedError).code)
  );
}

/** Wraps anything thrown into a CodedError, keeping the original as `cause`. */
export function asCodedError(error: unknown): CodedError {
  if (isCodedError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new UnknownError(message, { cause: error });
}
