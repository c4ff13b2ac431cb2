import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { accountScope } from '../../core/availability.ts';
import type { Clock, Pins, SessionStore } from '../../core/ports/index.ts';

export interface BuiltinPinsOptions {
  store: SessionStore;
  clock: Clock;
  /** Secret mixed into every PIN hash, so a store dump cannot be brute-forced offline without it. */
  pepper: string;
  validMinutes: number;
  hashAccount(accountId: string): string;
  randomInt?(min: number, max: number): number;
}

const FLAG = 'support-pin';
// A well-formed hash that never matches, so unknown and expired PINs cost the same comparison as wrong ones.
const NO_PIN = '0'.repeat(64);

/**
 * The built-in {@link Pins} authority. A PIN is kept only as HMAC-SHA256(pepper, account + PIN), one per
 * account (a new PIN replaces the old), compared in constant time and consumed with compare-and-delete, so
 * it succeeds once even when many replicas check it at the same moment.
 */
export class BuiltinPins implements Pins {
  private readonly random: (min: number, max: number) => number;

  constructor(private readonly options: BuiltinPinsOptions) {
    this.random = options.randomInt ?? randomInt;
  }

  async issue(accountId: string): Promise<{ pin: string; expiresAt: number }> {
    const { store, clock, validMinutes } = this.options;
    let pin: string;
    do pin = String(this.random(0, 10_000)).padStart(4, '0');
    while (isGuessable(pin));
    const ttlMs = validMinutes * 60_000;
    await store.setFlag(this.scope(accountId), FLAG, this.hash(accountId, pin), ttlMs);
    return { pin, expiresAt: clock.now() + ttlMs };
  }

  async check(accountId: string, pin: string): Promise<boolean> {
    const scope = this.scope(accountId);
    const stored = (await this.options.store.getFlag(scope, FLAG)) ?? NO_PIN;
    const candidate = this.hash(accountId, pin);
    const matches = timingSafeEqual(
      Buffer.from(candidate, 'hex'),
      Buffer.from(stored.padEnd(64, '0').slice(0, 64), 'hex'),
    );
    // Only the caller whose delete succeeds wins: one success ever per PIN.
    return matches && stored !== NO_PIN && (await this.options.store.clearFlag(scope, FLAG, stored));
  }

  async revoke(accountId: string): Promise<void> {
    await this.options.store.clearFlag(this.scope(accountId), FLAG);
  }

  private scope(accountId: string): string {
    return accountScope(this.options.hashAccount(accountId));
  }

  private hash(accountId: string, pin: string): string {
    return createHmac('sha256', this.options.pepper).update(`${accountId}\u0000${pin}`).digest('hex');
  }
}

/** PINs a bystander or a guesser tries first: one digit repeated, or a straight run up or down. */
export function isGuessable(pin: string): boolean {
  const digits = [...pin].map(Number);
  const steps = new Set(digits.slice(1).map((d, i) => d - (digits[i] ?? 0)));
  return steps.size === 1 && [0, 1, -1].includes([...steps][0] ?? 99);
}
