import { PolicyOutOfBoundsError } from './errors.ts';

/** The verification policies. Every number here is configurable only within {@link POLICY_BOUNDS}. */
export interface Policies {
  /** How long a support PIN stays valid after it is generated. */
  pinValidMinutes: number;
  /** Wrong PIN tries allowed per PIN and session; then the PIN is void and the session fails. */
  pinTriesPerSession: number;
  /** Wrong PIN tries allowed per account in 24 h, across new PINs; then PIN checks lock for 24 h. */
  pinFailuresPerAccountPerDay: number;
  /** How long a device prompt waits for the customer. */
  devicePromptSeconds: number;
  /** Device prompts allowed per account in 15 minutes (push-bombing guard). */
  devicePromptsPer15Minutes: number;
  /** Whether the device asks the customer to pick the number the agent's side shows. */
  numberMatching: boolean;
  /** No new device prompt for this long after "Don't confirm" or "Report fraud". */
  denyCooldownMinutes: number;
  /** How long the verifying agent may see the account after success. */
  grantMinutes: number;
  /** How long a verification session may stay open. */
  sessionMinutes: number;
  /** New verifications one agent may start in an hour; past it they are refused and security is alerted. */
  agentVerificationsPerHour: number;
  /** Support PINs one portal API key may have issued per minute; past it the API answers 429. */
  portalPinsPerMinute: number;
}

export type NumericPolicy = { [K in keyof Policies]: Policies[K] extends number ? K : never }[keyof Policies];

export const DEFAULT_POLICIES: Readonly<Policies> = Object.freeze({
  pinValidMinutes: 10,
  pinTriesPerSession: 3,
  pinFailuresPerAccountPerDay: 10,
  devicePromptSeconds: 120,
  devicePromptsPer15Minutes: 3,
  numberMatching: true,
  denyCooldownMinutes: 30,
  grantMinutes: 15,
  sessionMinutes: 30,
  agentVerificationsPerHour: 30,
  portalPinsPerMinute: 120,
});

/** Inclusive bounds (docs/architecture.md#configurable-policies); the config schema is generated from this table. */
export const POLICY_BOUNDS: Readonly<Record<NumericPolicy, { min: number; max: number }>> = Object.freeze({
  pinValidMinutes: { min: 1, max: 10 },
  pinTriesPerSession: { min: 1, max: 5 },
  pinFailuresPerAccountPerDay: { min: 3, max: 20 },
  devicePromptSeconds: { min: 30, max: 300 },
  devicePromptsPer15Minutes: { min: 1, max: 10 },
  denyCooldownMinutes: { min: 5, max: 1440 },
  grantMinutes: { min: 1, max: 60 },
  sessionMinutes: { min: 5, max: 120 },
  agentVerificationsPerHour: { min: 5, max: 200 },
  portalPinsPerMinute: { min: 10, max: 6000 },
});

/** Limits that are fixed (docs/architecture.md#fixed-limits): not configurable at all. */
export const FIXED_LIMITS = Object.freeze({
  pinDigits: 4,
  pinLockHours: 24,
  pendingDevicePromptsPerAccount: 1,
  devicePromptsPerDay: 5,
  pinFailureWindowHours: 24,
});

/**
 * Merges overrides onto the defaults and refuses any value outside its bounds, listing every problem at
 * once. The result is frozen: policies never change while a process runs.
 */
export function resolvePolicies(overrides: Partial<Policies> = {}): Readonly<Policies> {
  const merged: Policies = { ...DEFAULT_POLICIES, ...overrides };
  const problems: string[] = [];
  for (const [name, { min, max }] of Object.entries(POLICY_BOUNDS) as [NumericPolicy, { min: number; max: number }][]) {
    const value = merged[name];
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max} (got ${String(value)})`);
    }
  }
  if (typeof merged.numberMatching !== 'boolean') problems.push('numberMatching must be true or false');
  if (problems.length > 0) throw new PolicyOutOfBoundsError(problems);
  return Object.freeze(merged);
}
