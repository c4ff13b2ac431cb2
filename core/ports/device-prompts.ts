import type { Locale } from '../messages/catalog.ts';
import type { ChannelKind } from '../session.ts';

/** What the customer's trusted device shows: who is asking, from where, and the numbers to pick from. */
export interface DevicePromptRequest {
  promptId: string;
  accountId: string;
  deviceIds: string[];
  locale: Locale;
  requester: { agentName: string; company: string; channel: ChannelKind };
  /** Present when number matching is on: the device asks the customer to pick one of these. */
  numberChoices?: number[];
  expiresAt: number;
}

/** Delivers prompts; the answers come back through `POST /v1/device-prompts/:promptId/response`. */
export interface DevicePrompts {
  send(request: DevicePromptRequest): Promise<void>;
}
