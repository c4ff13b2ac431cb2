import type { Agent } from 'node:https';
import webpush from 'web-push';
import type { PushSender, PushSubscriptionKeys } from '../../core/ports/index.ts';

export interface Vapid {
  publicKey: string;
  privateKey: string;
  /** `mailto:` or `https://`: whom the push service can contact about these pushes. */
  subject: string;
}

/**
 * The browsers' push services (Chrome and Edge's FCM, Firefox's autopush, Safari's and Windows'): a subscription's
 * endpoint is the customer's to send, so only hosts under these are ever called (no request to anywhere else).
 */
export const PUSH_SERVICE_HOSTS = [
  'fcm.googleapis.com',
  'android.googleapis.com',
  'push.services.mozilla.com',
  'notify.windows.com',
  'push.apple.com',
] as const;

export interface WebPushSenderOptions {
  /** Host names (each also covering its subdomains) whose endpoints are pushed to. */
  hosts?: readonly string[];
  timeoutMs?: number;
  /** For a push service whose certificate is not publicly trusted (a test's). */
  agent?: Agent;
}

/** {@link PushSender} by `web-push`: payloads encrypted per RFC 8291 (aes128gcm), VAPID per RFC 8292. */
export class WebPushSender implements PushSender {
  private readonly hosts: readonly string[];

  constructor(
    private readonly vapid: Vapid,
    private readonly options: WebPushSenderOptions = {},
  ) {
    this.hosts = options.hosts ?? PUSH_SERVICE_HOSTS;
  }

  accepts(endpoint: string): boolean {
    let url: URL;
    try {
      url = new URL(endpoint);
    } catch {
      return false;
    }
    const host = url.hostname.toLowerCase();
    return url.protocol === 'https:' && this.hosts.some((allowed) => host === allowed || host.endsWith(`.${allowed}`));
  }

  async send(subscription: PushSubscriptionKeys, payload: string, ttlSeconds: number): Promise<'sent' | 'gone'> {
    if (!this.accepts(subscription.endpoint)) throw new Error('not a known push service: nothing was sent');
    try {
      await webpush.sendNotification(subscription, payload, {
        vapidDetails: this.vapid,
        TTL: ttlSeconds,
        urgency: 'high',
        contentEncoding: 'aes128gcm',
        timeout: this.options.timeoutMs ?? 4000,
        ...(this.options.agent ? { agent: this.options.agent } : {}),
      });
      return 'sent';
    } catch (error) {
      const status = (error as { statusCode?: number }).statusCode;
      if (status === 404 || status === 410) return 'gone';
      throw new Error(status ? `the push service answered ${status}` : 'the push service was not reached', {
        cause: error,
      });
    }
  }
}
