import type { Clock, DevicePromptRequest, DevicePrompts } from '../../core/ports/index.ts';
import { SIGNATURE_HEADER, signBody, TIMESTAMP_HEADER } from '../../core/signing.ts';

export interface WebhookDevicePromptsOptions {
  url: string;
  secret: string;
  /** Where the device service sends the customer's answer; `{promptId}` is filled in. */
  responseUrl: string;
  clock: Clock;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/**
 * {@link DevicePrompts} through the company's device service: a signed JSON POST to `DEVICE_WEBHOOK_URL`
 * (same HMAC scheme as the answers it sends back), which pushes the prompt to the customer's devices.
 */
export class WebhookDevicePrompts implements DevicePrompts {
  constructor(private readonly options: WebhookDevicePromptsOptions) {}

  async send(request: DevicePromptRequest): Promise<void> {
    const { url, secret, clock, responseUrl } = this.options;
    const body = JSON.stringify({
      ...request,
      expiresAt: new Date(request.expiresAt).toISOString(),
      responseUrl: responseUrl.replace('{promptId}', encodeURIComponent(request.promptId)),
    });
    const timestamp = Math.floor(clock.now() / 1000);
    const response = await (this.options.fetch ?? fetch)(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [TIMESTAMP_HEADER]: String(timestamp),
        [SIGNATURE_HEADER]: signBody(secret, timestamp, body),
      },
      body,
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 5000),
    });
    if (!response.ok) throw new Error(`device service answered ${response.status}`);
  }
}
