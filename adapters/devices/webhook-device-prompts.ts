import type { Clock, DevicePromptRequest, DevicePrompts } from '../../core/ports/index.ts';
import { SIGNATURE_HEADER, signBody, TIMESTAMP_HEADER } from '../../core/signing.ts';

export interface WebhookDevicePromptsOptions {
  url: string;
  secret: string;
  /** Where the device service sends the customer's answer; `{promptId}` is filled in. */
  responseUrl: string;
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
 * {@link DevicePrompts} through the company's device service: a signed JSON POST to `DEVICE_WEBHOOK_URL`
 * (same HMAC scheme as the answers it sends back), which pushes the prompt to the customer's devices.
 */
export class WebhookDevicePrompts implements DevicePrompts {
  constructor(private readonly options: WebhookDevicePromptsOptions) {}

  /**
   * Delivers the prompt, retrying with backoff where that is safe: the device service gets the same
   * `promptId` each time (signed afresh) and shows a repeated id once, so a retry never means two prompts.
   */
  async send(request: DevicePromptRequest): Promise<void> {
    const { url, responseUrl } = this.options;
    const attempts = this.options.attempts ?? 3;
    const body = JSON.stringify({
      ...request,
      expiresAt: new Date(request.expiresAt).toISOString(),
      responseUrl: responseUrl.replace('{promptId}', encodeURIComponent(request.promptId)),
    });
    let wait = this.options.backoffMs ?? 250;
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.attempt(url, body);
      if (outcome.kind === 'delivered') return;
      if (outcome.kind === 'refused' || attempt >= attempts) throw outcome.error;
      await (this.options.sleep ?? delay)(outcome.retryAfterMs ?? wait);
      wait *= 4;
    }
  }

  private async attempt(url: string, body: string): Promise<Attempt> {
    let response: Response;
    try {
      response = await this.post(url, body);
    } catch (error) {
      return { kind: 'transient', error: error as Error };
    }
    if (response.ok) return { kind: 'delivered' };
    const error = new Error(`device service answered ${response.status}`);
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

  private post(url: string, body: string): Promise<Response> {
    const { secret, clock } = this.options;
    const timestamp = Math.floor(clock.now() / 1000);
    return (this.options.fetch ?? fetch)(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [TIMESTAMP_HEADER]: String(timestamp),
        [SIGNATURE_HEADER]: signBody(secret, timestamp, body),
      },
      body,
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 4000),
    });
  }
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
