import type { webApi } from '@slack/bolt';
import type { Locale } from '../../core/messages/catalog.ts';
import type { Accounts, AgentChannel, Clock, CustomerChannel, MessageBook } from '../../core/ports/index.ts';
import type { Session } from '../../core/session.ts';
import type { Verification } from '../../core/verification.ts';
import type { FrontDoorDeps } from '../front-door.ts';
import { agentView } from '../presentation/verification-view.ts';
import { type AgentCard, renderAgentCard, renderCustomerMessage } from './blocks.ts';
import { customerConversation, type SlackMessageRef, type SlackMessageRefs } from './message-refs.ts';

export interface SlackChannelDeps {
  client: webApi.WebClient;
  refs: SlackMessageRefs;
  verification: Verification;
  accounts: Accounts;
  clock: Clock;
  company: string;
  pinMinutes: number;
  /** With the built-in passkeys: the confirmation link offered to the customer in a shared conversation. */
  promptLinks?: FrontDoorDeps['promptLinks'];
}

/** The agent's card for a session, with the profile only while the agent's grant lasts. */
export async function agentCardFor(deps: SlackChannelDeps, session: Session, locale: Locale): Promise<AgentCard> {
  // The customer sees the instructions where they are: a Slack Connect channel or the web chat.
  const customerHere = customerConversation(session) !== undefined || session.refs?.webchat !== undefined;
  return agentView(deps, session, locale, customerHere);
}

/**
 * The agent's private card in their DM with the app: posted on the first render, then updated in place
 * (`chat.update`) on every change. Called only within a session's render turn, so it is posted once.
 */
export class SlackAgentChannel implements AgentChannel {
  constructor(private readonly deps: SlackChannelDeps) {}

  async render(session: Session, messages: MessageBook): Promise<void> {
    if (session.agent.channel !== 'slack') return;
    const { text, blocks } = renderAgentCard(await agentCardFor(this.deps, session, session.agent.locale));
    const ref = readRef(messages, AGENT_MESSAGE);
    if (ref) {
      await this.deps.client.chat.update({ channel: ref.channel, ts: ref.ts, text, blocks });
      return;
    }
    const posted = await this.deps.client.chat.postMessage({ channel: session.agent.id, text, blocks });
    if (posted.channel && posted.ts)
      messages.set(AGENT_MESSAGE, JSON.stringify({ channel: posted.channel, ts: posted.ts }));
  }
}

/** Tells the customer in a Slack Connect conversation what to do, and how it ended. */
export class SlackCustomerChannel implements CustomerChannel {
  constructor(private readonly deps: SlackChannelDeps) {}

  async render(session: Session, messages: MessageBook): Promise<void> {
    const conversation = customerConversation(session);
    if (!conversation) return;
    const account = await this.deps.accounts.summary(session.accountId);
    const confirmUrl = this.deps.promptLinks?.urlFor(session);
    const message = renderCustomerMessage(session, account, {
      locale: session.customerLocale,
      company: this.deps.company,
      pinMinutes: this.deps.pinMinutes,
      now: this.deps.clock.now(),
      ...(confirmUrl ? { confirmUrl } : {}),
    });
    if (!message) return;
    const existing = readRef(messages, CUSTOMER_MESSAGE);
    if (existing) {
      await this.deps.client.chat.update({ channel: existing.channel, ts: existing.ts, ...message });
      return;
    }
    const posted = await this.deps.client.chat.postMessage({ channel: conversation.channel, ...message });
    if (posted.channel && posted.ts)
      messages.set(CUSTOMER_MESSAGE, JSON.stringify({ channel: posted.channel, ts: posted.ts }));
  }
}

// Where the session's Slack messages are, in its render record (see MessageBook).
const AGENT_MESSAGE = 'slack-agent';
const CUSTOMER_MESSAGE = 'slack-customer';

function readRef(messages: MessageBook, name: string): SlackMessageRef | undefined {
  const raw = messages.get(name);
  return raw === undefined ? undefined : (JSON.parse(raw) as SlackMessageRef);
}
