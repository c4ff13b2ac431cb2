import type { PushSubscriptionKeys } from './passkeys.ts';

/** Web Push (RFC 8030, encrypted per RFC 8291, VAPID per RFC 8292) to a browser's subscription. */
export interface PushSender {
  /** Whether pushes may go to this endpoint at all (a known push service): checked before one is kept. */
  accepts(endpoint: string): boolean;
  /**
   * Delivers `payload` (JSON text) for at most `ttlSeconds`. `gone` when the push service says the subscription
   * no longer exists (404 or 410); throws on any other failure.
   */
  send(subscription: PushSubscriptionKeys, payload: string, ttlSeconds: number): Promise<'sent' | 'gone'>;
}
