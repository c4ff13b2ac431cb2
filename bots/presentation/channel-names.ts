import type { ChannelKind } from '../../core/session.ts';

/** How a channel is named to a customer: its product name, the same in English and Dutch. */
export const CHANNEL_NAMES: Readonly<Record<ChannelKind, string>> = {
  teams: 'Microsoft Teams',
  slack: 'Slack',
  webchat: 'web chat',
  playground: 'playground',
  api: 'API',
};
