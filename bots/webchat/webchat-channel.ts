import { type SupportChat, WEBCHAT_REF } from '../../core/chat.ts';
import { type Locale, type MessageKey, renderMessage } from '../../core/messages/catalog.ts';
import { formatDateTime } from '../../core/messages/format.ts';
import type { Accounts, Clock, CustomerChannel } from '../../core/ports/index.ts';
import type { Session } from '../../core/session.ts';
import { customerScript, deniedKey } from '../presentation/verification-view.ts';

export interface WebChatChannelDeps {
  chat: SupportChat;
  accounts: Accounts;
  clock: Clock;
  company: string;
  pinMinutes: number;
}

const OUTCOMES: Partial<Record<Session['state'], MessageKey>> = {
  failed: 'customer.failed',
  expired: 'customer.expired',
  cancelled: 'customer.cancelled',
};

/**
 * Tells a web chat customer what to do and how it ended, as lines from the bot in their conversation; the
 * page also shows the PIN field or the number to pick from the verification state it streams.
 */
export class WebChatCustomerChannel implements CustomerChannel {
  constructor(private readonly deps: WebChatChannelDeps) {}

  async render(session: Session): Promise<void> {
    const conversationId = session.refs?.[WEBCHAT_REF];
    if (!conversationId) return;
    // The language the customer chose (or their browser's), not the account's: they read it in this chat.
    const conversation = await this.deps.chat.get(conversationId).catch(() => undefined);
    const text = await this.line(session, conversation?.locale ?? session.customerLocale);
    if (!text) return;
    // A step that changes nothing the customer sees (what the account allows, who the customer is) renders
    // too: the bot does not say the same thing twice in a row.
    const lastSaid = (await this.deps.chat.transcript(conversationId)).filter((m) => m.from === 'bot').at(-1);
    if (lastSaid?.text !== text) await this.deps.chat.botSays(conversationId, text);
  }

  private async line(session: Session, locale: Locale): Promise<string | undefined> {
    const context = {
      locale,
      customerLocale: locale,
      company: this.deps.company,
      pinMinutes: this.deps.pinMinutes,
      now: this.deps.clock.now(),
    };
    switch (session.state) {
      case 'awaiting_device':
        return customerScript(session, await this.deps.accounts.summary(session.accountId), context);
      case 'awaiting_pin':
        // Said once, on the step that rejected a PIN: fewer tries can also mean the account's day is nearly spent.
        return session.notice === 'pin_rejected'
          ? renderMessage('customer.pin.not_accepted', locale, { tries: session.pinTriesLeft ?? 0 })
          : renderMessage('customer.chat.pin', locale, { minutes: this.deps.pinMinutes });
      case 'verified':
        return renderMessage('customer.verified', locale, {
          agent: session.agent.displayName,
          until: formatDateTime(session.grant?.expiresAt ?? session.updatedAt, locale),
        });
      case 'denied':
        return renderMessage(deniedKey(session), locale);
      default: {
        const key = OUTCOMES[session.state];
        return key ? renderMessage(key, locale) : undefined;
      }
    }
  }
}
