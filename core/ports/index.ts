export type { AccountSummary, Accounts, LimitedProfile, TrustedDevice } from './accounts.ts';
export type { AuditLog } from './audit-log.ts';
export type { Bus, ChatEvent, ChatEventHandler, SessionUpdate, SessionUpdateHandler } from './bus.ts';
export type { AgentChannel, CustomerChannel, MessageBook } from './channels.ts';
export { type Clock, systemClock } from './clock.ts';
export { type Deadlines, scheduleNext } from './deadlines.ts';
export type { DevicePromptRequest, DevicePrompts } from './device-prompts.ts';
export type { Mail, Mailer } from './mailer.ts';
export type { Passkey, PasskeyRegistry, PasskeyUse, PushSubscriptionKeys } from './passkeys.ts';
export type { Pins } from './pins.ts';
export type { PushSender } from './push.ts';
export type {
  Allowance,
  AllowanceResult,
  Announcement,
  Committed,
  CounterRule,
  PeekedValue,
  RenderPass,
  RenderRecord,
  RenderTurn,
  ScopedWrite,
  SessionStore,
} from './session-store.ts';
export { CLAIMED } from './session-store.ts';
export type { CeremonyOptions, VerifiedPasskey, WebAuthnParty } from './webauthn.ts';
