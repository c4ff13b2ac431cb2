import type { Clock, DevicePromptRequest, DevicePrompts } from '../../core/ports/index.ts';
import {
  newWebhookId,
  standardSignature,
  WEBHOOK_ID_HEADER,
  WEBHOOK_SIGNATURE_HEADER,
  WEBHOOK_TIMESTAMP_HEADER,
  type WebhookKeys,
} from '../../core/signing.ts';

export type SimulatedAnswer = { decision: 'confirmed' | 'denied' | 'fraud'; matchedNumber?: number };

/**
 * A trusted device for the embedded mode: it keeps the prompts it receives so the playground can show
 * them, and answers through the real signed route (Standard Webhooks, with the first key), exactly as a device
 * service would.
 */
export class SimulatedDevice implements DevicePrompts {
  private readonly prompts = new Map<string, DevicePromptRequest>();
  private readonly listeners = new Set<(prompt: DevicePromptRequest) => void>();
  private baseUrl: string | undefined;

  constructor(
    private readonly keys: WebhookKeys,
    private readonly clock: Clock,
  ) {}

  /** The server's own address, known once it listens. */
  attach(baseUrl: string): void {
    this.baseUrl = baseUrl.replace(/\/$/u, '');
  }

  async send(request: DevicePromptRequest): Promise<void> {
    this.prompts.set(request.promptId, request);
    for (const listener of this.listeners) listener(request);
  }

  /** Prompts not yet answered or expired, newest first. */
  pending(accountId?: string): DevicePromptRequest[] {
    const now = this.clock.now();
    return [...this.prompts.values()]
      .filter((p) => p.expiresAt > now && (!accountId || p.accountId === accountId))
      .reverse();
  }

  onPrompt(listener: (prompt: DevicePromptRequest) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Answers a prompt through `POST /v1/device-prompts/:promptId/response`; returns the HTTP status. */
  async answer(promptId: string, answer: SimulatedAnswer): Promise<number> {
    if (!this.baseUrl) throw new Error('the simulated device is not attached to a server yet');
    const body = JSON.stringify({ promptId, ...answer });
    const timestamp = Math.floor(this.clock.now() / 1000);
    const id = newWebhookId();
    const key = this.keys.all[0] ?? this.keys.legacy;
    const response = await fetch(`${this.baseUrl}/v1/device-prompts/${encodeURIComponent(promptId)}/response`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [WEBHOOK_ID_HEADER]: id,
        [WEBHOOK_TIMESTAMP_HEADER]: String(timestamp),
        [WEBHOOK_SIGNATURE_HEADER]: standardSignature(key, id, timestamp, body),
      },
      body,
    });
    if (response.ok) this.prompts.delete(promptId);
    return response.status;
  }
}
