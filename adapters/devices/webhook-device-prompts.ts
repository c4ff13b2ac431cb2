import type { DevicePromptRequest, DevicePrompts } from '../../core/ports/index.ts';
import { SignedWebhook, type SignedWebhookOptions } from '../http/signed-webhook.ts';

export interface WebhookDevicePromptsOptions extends SignedWebhookOptions {
  /** Where the device service sends the customer's answer; `{promptId}` is filled in. */
  responseUrl: string;
}

/**
 * {@link DevicePrompts} through the company's device service: a JSON POST to `DEVICE_WEBHOOK_URL` signed in the
 * Standard Webhooks format with every `DEVICE_WEBHOOK_SECRETS` key (the scheme of the answers it sends back),
 * which pushes the prompt to the customer's devices.
 */
export class WebhookDevicePrompts implements DevicePrompts {
  private readonly webhook: SignedWebhook;

  constructor(private readonly options: WebhookDevicePromptsOptions) {
    this.webhook = new SignedWebhook(options);
  }

  /**
   * Delivers the prompt, retrying with backoff where that is safe: the device service gets the same
   * `promptId` and `webhook-id` each time (signed afresh) and shows a repeated id once, so a retry never means
   * two prompts.
   */
  async send(request: DevicePromptRequest): Promise<void> {
    const body = JSON.stringify({
      ...request,
      expiresAt: new Date(request.expiresAt).toISOString(),
      responseUrl: this.options.responseUrl.replace('{promptId}', encodeURIComponent(request.promptId)),
    });
    await this.webhook.post(body, 'device service');
  }
}
