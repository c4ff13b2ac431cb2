import webpush from 'web-push';
import type { PushSender, PushSubscriptionKeys } from '../../core/ports/index.ts';

export interface Vapid {
  publicKey: string;
  privateKey: string;
  /** `mailto:` or `https://`: whom the push service can contact about these pushes. */
  subject: string;
}

/** {@link PushSender} by `web-push`: payloads encrypted per RFC 8291 (aes128gcm), VAPID per RFC 8292. */
export class WebPushSender implements PushSender {
  constructor(
    private readonly vapid: Vapid,
    private readonly timeoutMs = 4000,
  ) {}

  async send(subscription: PushSubscriptionKeys, payload: string, ttlSeconds: number): Promise<'sent' | 'gone'> {
    try {
      await webpush.sendNotification(subscription, payload, {
        vapidDetails: this.vapid,
        TTL: ttlSeconds,
        urgency: 'high',
        contentEncoding: 'aes128gcm',
        timeout: this.timeoutMs,
      });
      return 'sent';
    } catch (error) {
      const status = (error as { statusCode?: number }).statusCode;
      if (status === 404 || status === 410) return 'gone';
      throw new Error(status ? `the push service answered ${status}` : `the push service was not reached`, {
        cause: error,
      });
    }
  }
}
