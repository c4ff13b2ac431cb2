import { CardFactory, type CloudAdapter, type ConversationReference } from 'botbuilder';
import type { Logger } from 'pino';
import type { SupportChat } from '../../core/chat.ts';
import { forwardCustomerLines } from '../../core/chat-relay.ts';
import { type Locale, renderMessage } from '../../core/messages/catalog.ts';
import type { Bus, ChatEvent, SessionStore } from '../../core/ports/index.ts';
import type { RenderTurns } from '../../core/render-turns.ts';

export interface TeamsRelayTarget {
  serviceUrl: string;
  /** The channel's id, `19:…@thread.tacv2`. */
  channelId: string;
  tenantId: string;
}

export interface TeamsWebChatRelayDeps {
  adapter: CloudAdapter;
  appId: string;
  store: SessionStore;
  chat: SupportChat;
  bus: Bus;
  turns: RenderTurns;
  target: TeamsRelayTarget;
  /** The agents' language, for the thread's notes (the customer's own lines are relayed as written). */
  agentLocale: Locale;
  logger: Logger;
}

// As long as a conversation can last with messages now and then, with room to spare.
const THREAD_TTL_MS = 24 * 60 * 60_000;

/**
 * Web chat conversations as conversations (threads) in a Teams channel: the first customer line starts one,
 * every customer line follows in order and once, from whichever replica takes the turn. Agents answer in the
 * thread (the bot reads it through resource-specific consent) and can `verify` the chatting customer there.
 */
export class TeamsWebChatRelay {
  private unsubscribe: (() => Promise<void>) | undefined;

  constructor(private readonly deps: TeamsWebChatRelayDeps) {}

  async start(): Promise<void> {
    this.unsubscribe = await this.deps.bus.subscribeChat((event) => this.relay(event));
  }

  async stop(): Promise<void> {
    await this.unsubscribe?.();
  }

  /** The web chat conversation a relayed thread belongs to (replies carry the thread's `19:…;messageid=…` id). */
  conversationFor(teamsConversationId: string): Promise<string | undefined> {
    return this.deps.store.getFlag(`k:teams-thread:${teamsConversationId}`, 'conversation');
  }

  async relay(event: ChatEvent): Promise<void> {
    const done = await forwardCustomerLines(this.deps.turns, this.deps.chat, 'teams', event, async (line) => {
      const reference = await this.thread(event.conversationId);
      await this.deps.adapter.continueConversationAsync(this.deps.appId, reference, async (context) => {
        await context.sendActivity({
          type: 'message',
          summary: renderMessage('label.chat.relay_customer', this.deps.agentLocale),
          attachments: [CardFactory.adaptiveCard(renderCustomerLineCard(line.text, this.deps.agentLocale))],
        });
      });
    });
    if (!done)
      this.deps.logger.warn({ conversationId: event.conversationId }, 'web chat relay (Teams): turn never came free');
  }

  private async thread(conversationId: string): Promise<Partial<ConversationReference>> {
    const conversation = await this.deps.chat.get(conversationId);
    const existing = conversation.relays?.teams;
    if (existing) return JSON.parse(existing) as Partial<ConversationReference>;
    const { serviceUrl, channelId, tenantId } = this.deps.target;
    let reference: Partial<ConversationReference> | undefined;
    await this.deps.adapter.createConversationAsync(
      this.deps.appId,
      'msteams',
      serviceUrl,
      '',
      {
        isGroup: true,
        bot: { id: this.deps.appId, name: 'Support Verify' },
        tenantId,
        channelData: { channel: { id: channelId }, tenant: { id: tenantId } },
        activity: {
          type: 'message',
          text: `${renderMessage('label.chat.relay_new', this.deps.agentLocale, { locale: conversation.locale })} ${renderMessage('label.chat.relay_teams_verify', this.deps.agentLocale)}`,
        },
      } as never,
      async (context) => {
        reference = {
          channelId: 'msteams',
          serviceUrl,
          conversation: {
            id: context.activity.conversation.id,
            isGroup: true,
            conversationType: 'channel',
            tenantId,
            name: '',
          },
          bot: { id: this.deps.appId, name: 'Support Verify' },
        };
      },
    );
    if (!reference?.conversation?.id) throw new Error('Teams did not create the conversation');
    await this.deps.store.setFlag(
      `k:teams-thread:${reference.conversation.id}`,
      'conversation',
      conversationId,
      THREAD_TTL_MS,
    );
    await this.deps.chat.setRelay(conversationId, 'teams', JSON.stringify(reference));
    return reference;
  }
}

/**
 * A customer's web chat line as agents see it in the thread: the bot's label, then the words in a TextRun,
 * which Adaptive Cards never read as Markdown (a TextBlock would: `**Verified**`, lists, links), newlines kept,
 * so the line cannot read like the bot's verdict; outcomes appear only on the bot's own card.
 */
export function renderCustomerLineCard(text: string, locale: Locale = 'en'): Record<string, unknown> {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body: [
      {
        type: 'TextBlock',
        text: renderMessage('label.chat.relay_customer_wrote', locale),
        size: 'Small',
        isSubtle: true,
        wrap: true,
      },
      {
        type: 'Container',
        style: 'emphasis',
        items: [{ type: 'RichTextBlock', inlines: [{ type: 'TextRun', text }] }],
      },
    ],
  };
}
