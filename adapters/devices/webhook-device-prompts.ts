import type { DevicePromptRequest, DevicePrompts } from '../../core/ports/index.ts';
import { CHANNEL_KINDS } from '../../core/session.ts';
import { SignedWebhook, type SignedWebhookOptions } from '../http/signed-webhook.ts';

export interface WebhookDevicePromptsOptions extends SignedWebhookOptions {
  /** Where the device service sends the customer's answer; `{promptId}` is filled in. */
  responseUrl: string;
}

/** The body of a device prompt, as `send` writes it. */
export const DEVICE_PROMPT_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['promptId', 'accountId', 'deviceIds', 'locale', 'requester', 'expiresAt', 'responseUrl'],
  properties: {
    promptId: { type: 'string', description: 'The same on every retry: show a repeated id once.' },
    accountId: { type: 'string' },
    deviceIds: { type: 'array', items: { type: 'string' }, minItems: 1 },
    locale: { enum: ['en', 'nl'] },
    requester: {
      type: 'object',
      additionalProperties: false,
      required: ['agentName', 'company', 'channel'],
      properties: {
        agentName: { type: 'string' },
        company: { type: 'string' },
        channel: { enum: [...CHANNEL_KINDS] },
      },
    },
    numberChoices: {
      type: 'array',
      items: { type: 'integer', minimum: 0, maximum: 99 },
      description: 'With number matching: ask the customer to pick the number their agent gives them.',
    },
    expiresAt: { type: 'string', format: 'date-time' },
    responseUrl: { type: 'string', format: 'uri', description: 'Where to POST the signed answer.' },
  },
} as const;

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
