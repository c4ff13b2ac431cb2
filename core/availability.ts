import { FIXED_LIMITS, type Policies } from './policies.ts';
import type { PeekedValue } from './ports/index.ts';
import type { Availability } from './session.ts';

/**
 * The store scope of an account (`a:` and its keyed hash): its flags, counters, PIN and passkeys, and the hash slot
 * its sessions are minted beside. One name everywhere, or they would land apart.
 */
export function accountScope(accountHash: string): string {
  return `a:${accountHash}`;
}

/** The account's flags and counters that decide what a verification can offer, by their store names. */
export const ACCOUNT_FLAGS = {
  pending: 'prompt-pending',
  cooldown: 'prompt-cooldown',
  pinLock: 'pin-lock',
  pinFailures: 'pin-failures',
  prompts15m: 'prompts-15m',
  promptsDay: 'prompts-day',
} as const;

/** What {@link availabilityFrom} reads, in this order, in one peek. */
export const AVAILABILITY_READS = [
  ACCOUNT_FLAGS.pinLock,
  ACCOUNT_FLAGS.pinFailures,
  ACCOUNT_FLAGS.cooldown,
  ACCOUNT_FLAGS.pending,
  ACCOUNT_FLAGS.prompts15m,
  ACCOUNT_FLAGS.promptsDay,
] as const;

/**
 * Turns the account's flags and counters into what the agent may be offered now. Pure: `peeked` is what
 * the store held for {@link AVAILABILITY_READS}, in order.
 */
export function availabilityFrom(
  peeked: ReadonlyArray<PeekedValue | undefined>,
  input: {
    policies: Readonly<Policies>;
    now: number;
    trustedDevices: number;
    /** The pending-prompt hold of the session asking, which does not block itself. */
    ownPending?: string;
  },
): Availability {
  const [lock, failures, cooldown, pending, prompts15m, promptsDay] = peeked;
  const { policies, now } = input;
  const availability: Availability = {};
  const failuresLeft = policies.pinFailuresPerAccountPerDay - Number(failures?.value ?? 0);
  if (lock) availability.pinLockedUntil = now + lock.ttlMs;
  // The day's wrong PINs used up: the next try would lock, so it is as good as locked until they lapse.
  else if (failures && failuresLeft <= 0) availability.pinLockedUntil = now + failures.ttlMs;
  else if (failuresLeft < policies.pinTriesPerSession) availability.pinFailuresLeft = failuresLeft;

  if (input.trustedDevices === 0) availability.device = { blockedBy: 'no_device' };
  else if (cooldown) availability.device = { blockedBy: 'cooldown', until: now + cooldown.ttlMs };
  else if (pending && pending.value !== input.ownPending)
    availability.device = { blockedBy: 'pending', until: now + pending.ttlMs };
  else {
    const quota = [
      [prompts15m, policies.devicePromptsPer15Minutes],
      [promptsDay, FIXED_LIMITS.devicePromptsPerDay],
    ] as const;
    const spent = quota.find(([counter, limit]) => counter && Number(counter.value) >= limit)?.[0];
    if (spent) availability.device = { blockedBy: 'quota', until: now + spent.ttlMs };
  }
  return availability;
}

/** Tries a new PIN entry may have: a session's, or fewer where the account's day has fewer wrong PINs left. */
export function pinTriesFor(availability: Availability, sessionTries: number): number {
  return Math.min(sessionTries, availability.pinFailuresLeft ?? sessionTries);
}
