import type { Clock } from '../../core/ports/index.ts';
import { newWebhookId, signedHeaders, type WebhookKeys } from '../../core/signing.ts';

export interface SignedWebhookOptions {
  url: string;
  /**
   * Sign every attempt (Standard Webhooks, one `v1,` signature per key, the scheme device answers use too;
   * and the deprecated `x-support-verify-*` headers, for one release).
   */
  keys: WebhookKeys;
  clock: Clock;
  /** Per attempt. */
  timeoutMs?: number;
  /** Attempts in all, for network failures, timeouts, 5xx and 429; other answers are final. */
  attempts?: number;
  /** Wait before the second attempt; each later one waits four times longer. */
  backoffMs?: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

const MAX_RETRY_AFTER_MS = 2000;

type Attempt =
  | { kind: 'delivered' }
  | { kind: 'refused'; error: Error }
  | { kind: 'transient'; error: Error; retryAfterMs?: number };

/**
 * A signed JSON POST to a service of the company's own, retried with backoff where that is safe (a timeout,
 * a network failure, a 5xx, a 429 after its Retry-After). Each attempt is signed afresh with its own
 * `webhook-timestamp`; the body and the `webhook-id` stay the same, so the receiver can recognise a repeat.
 */
export class SignedWebhook {
  constructor(private readonly options: SignedWebhookOptions) {}

  /** `id` is the message's `webhook-id` (a new one by default), the same on every attempt. */
  async post(body: string, name: string, id = newWebhookId()): Promise<void> {
    let wait = this.options.backoffMs ?? 250;
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.attempt(body, name, id);
      if (outcome.kind === 'delivered') return;
      if (outcome.kind === 'refused' || attempt >= (this.options.attempts ?? 3)) throw outcome.error;
      await (this.options.sleep ?? delay)(outcome.retryAfterMs ?? wait);
      wait *= 4;
    }
  }

  private async attempt(body: string, name: string, id: string): Promise<Attempt> {
    let response: Response;
    try {
      const timestamp = Math.floor(this.options.clock.now() / 1000);
      response = await (this.options.fetch ?? fetch)(this.options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...signedHeaders(this.options.keys, id, timestamp, body) },
        body,
        // A redirect would take the signed body wherever it points: it is answered as it is, and refused below.
        redirect: 'manual',
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 4000),
      });
    } catch (error) {
      return { kind: 'transient', error: error as Error };
    }
    if (response.ok) return { kind: 'delivered' };
    const error = new Error(`${name} answered ${response.status}`);
    if (response.status === 429) {
      const seconds = Number(response.headers.get('retry-after') ?? Number.NaN);
      return {
        kind: 'transient',
        error,
        ...(Number.isFinite(seconds) ? { retryAfterMs: Math.min(seconds * 1000, MAX_RETRY_AFTER_MS) } : {}),
      };
    }
    return { kind: response.status >= 500 ? 'transient' : 'refused', error };
  }
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
