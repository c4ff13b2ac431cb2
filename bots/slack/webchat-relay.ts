import type { types, webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import type { SupportChat } from '../../core/chat.ts';
import { forwardCustomerLines } from '../../core/chat-relay.ts';
import { type Locale, renderMessage } from '../../core/messages/catalog.ts';
import type { Bus, ChatEvent, SessionStore } from '../../core/ports/index.ts';
import type { RenderTurns } from '../../core/render-turns.ts';
import { escapeMrkdwn, truncate } from './blocks.ts';

export const WEBCHAT_VERIFY_ACTION = 'sv_webchat_verify';

export interface SlackWebChatRelayDeps {
  client: webApi.WebClient;
  store: SessionStore;
  chat: SupportChat;
  bus: Bus;
  turns: RenderTurns;
  /** The channel each web chat conversation becomes a thread in. */
  channel: string;
  /** The agents' language, for the thread's notes (the customer's own lines are relayed as written). */
  agentLocale: Locale;
  logger: Logger;
}

// As long as a conversation can last with messages now and then, with room to spare.
const THREAD_TTL_MS = 24 * 60 * 60_000;

/**
 * Web chat conversations as threads in a Slack channel: the first customer line opens the thread (with a
 * "Verify this customer" button), every customer line follows as a reply, in order and once, from whichever
 * replica takes the turn; the agents' replies in the thread go back to the customer (see the listeners).
 */
export class SlackWebChatRelay {
  private unsubscribe: (() => Promise<void>) | undefined;

  constructor(private readonly deps: SlackWebChatRelayDeps) {}

  async start(): Promise<void> {
    this.unsubscribe = await this.deps.bus.subscribeChat((event) => this.relay(event));
  }

  async stop(): Promise<void> {
    await this.unsubscribe?.();
  }

  /** The conversation a thread in the relay channel belongs to. */
  conversationFor(channel: string, threadTs: string): Promise<string | undefined> {
    if (channel !== this.deps.channel) return Promise.resolve(undefined);
    return this.deps.store.getFlag(`k:slack-thread:${channel}:${threadTs}`, 'conversation');
  }

  async relay(event: ChatEvent): Promise<void> {
    const done = await forwardCustomerLines(this.deps.turns, this.deps.chat, 'slack', event, async (line) => {
      await this.deps.client.chat.postMessage({
        channel: this.deps.channel,
        thread_ts: await this.thread(event.conversationId),
        // The notification's text, unformatted (`mrkdwn: false`); the message shows the blocks.
        text: truncate(
          `${renderMessage('label.chat.relay_customer', this.deps.agentLocale)}: ${escapeMrkdwn(line.text)}`,
          3000,
        ),
        mrkdwn: false,
        blocks: customerLineBlocks(line.text, this.deps.agentLocale),
        unfurl_links: false,
        unfurl_media: false,
      });
    });
    if (!done) this.deps.logger.warn({ conversationId: event.conversationId }, 'web chat relay: turn never came free');
  }

  private async thread(conversationId: string): Promise<string> {
    const conversation = await this.deps.chat.get(conversationId);
    const existing = conversation.relays?.slack;
    if (existing) return existing;
    const text = renderMessage('label.chat.relay_new', this.deps.agentLocale, { locale: conversation.locale });
    const posted = await this.deps.client.chat.postMessage({
      channel: this.deps.channel,
      text,
      blocks: relayRootBlocks(text, conversationId, this.deps.agentLocale),
    });
    const ts = String(posted.ts ?? '');
    await this.deps.store.setFlag(
      `k:slack-thread:${this.deps.channel}:${ts}`,
      'conversation',
      conversationId,
      THREAD_TTL_MS,
    );
    await this.deps.chat.setRelay(conversationId, 'slack', ts);
    return ts;
  }
}

// Block Kit's limit for a section's text.
const SECTION_TEXT_MAX = 3000;

/**
 * A customer's web chat line as agents see it in the thread: the bot's own label, then the words exactly as
 * typed, in `plain_text` with emoji shortcodes left alone, so no newline, `*bold*`, `:white_check_mark:` or
 * quote can make it read like the bot's verdict; outcomes appear only on the bot's own card.
 */
export function customerLineBlocks(text: string, locale: Locale = 'en'): types.KnownBlock[] {
  const parts: string[] = [];
  for (let at = 0; at < text.length; at += SECTION_TEXT_MAX) parts.push(text.slice(at, at + SECTION_TEXT_MAX));
  return [
    {
      type: 'context',
      elements: [
        { type: 'mrkdwn', text: `:speech_balloon: ${renderMessage('label.chat.relay_customer_wrote', locale)}` },
      ],
    },
    ...parts.map(
      (part): types.KnownBlock => ({ type: 'section', text: { type: 'plain_text', text: part, emoji: false } }),
    ),
  ];
}

function relayRootBlocks(text: string, conversationId: string, locale: Locale): types.KnownBlock[] {
  return [
    { type: 'section', text: { type: 'mrkdwn', text: `:speech_balloon: ${text}` } },
    {
      type: 'actions',
      elements: [
        {
          type: 'button',
          text: { type: 'plain_text', text: renderMessage('label.chat.relay_verify', locale) },
          action_id: WEBCHAT_VERIFY_ACTION,
          value: conversationId,
          style: 'primary',
        },
      ],
    },
    {
      type: 'context',
      elements: [{ type: 'mrkdwn', text: renderMessage('label.chat.relay_hint', locale) }],
    },
  ];
}
