import type { Clock } from '../../core/ports/index.ts';
import { SIGNATURE_HEADER, signBody, TIMESTAMP_HEADER } from '../../core/signing.ts';

export interface SignedWebhookOptions {
  url: string;
  /** Signs every body (HMAC-SHA256 over timestamp and body, the scheme device answers use too). */
  secret: string;
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
 * a network failure, a 5xx, a 429 after its Retry-After). Each attempt is signed afresh; the body stays the
 * same, so the receiver can recognise a repeat by the id inside it.
 */
export class SignedWebhook {
  constructor(private readonly options: SignedWebhookOptions) {}

  async post(body: string, name: string): Promise<void> {
    let wait = this.options.backoffMs ?? 250;
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.attempt(body, name);
      if (outcome.kind === 'delivered') return;
      if (outcome.kind === 'refused' || attempt >= (this.options.attempts ?? 3)) throw outcome.error;
      await (this.options.sleep ?? delay)(outcome.retryAfterMs ?? wait);
      wait *= 4;
    }
  }

  private async attempt(body: string, name: string): Promise<Attempt> {
    let response: Response;
    try {
      const timestamp = Math.floor(this.options.clock.now() / 1000);
      response = await (this.options.fetch ?? fetch)(this.options.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [TIMESTAMP_HEADER]: String(timestamp),
          [SIGNATURE_HEADER]: signBody(this.options.secret, timestamp, body),
        },
        body,
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
