import type { SessionStore } from '../../core/ports/index.ts';

export interface SlackMessageRef {
  channel: string;
  ts: string;
}

export interface SlackConversationRef {
  teamId: string;
  channel: string;
}

// As long as a session can be acted on (session lifetime plus the longest grant), with room to spare.
const REF_TTL_MS = 4 * 60 * 60_000;

/**
 * Where a verification's Slack messages live, kept beside the session (same hash slot) so that any replica
 * can update them, and which session a shared conversation is in the middle of.
 */
export class SlackMessageRefs {
  constructor(private readonly store: SessionStore) {}

  agentMessage(sessionId: string): Promise<SlackMessageRef | undefined> {
    return this.read(`s:${sessionId}`, 'slack-agent');
  }

  setAgentMessage(sessionId: string, ref: SlackMessageRef): Promise<void> {
    return this.store.setFlag(`s:${sessionId}`, 'slack-agent', JSON.stringify(ref), REF_TTL_MS);
  }

  customerConversation(sessionId: string): Promise<SlackConversationRef | undefined> {
    return this.read(`s:${sessionId}`, 'slack-customer-conversation');
  }

  async setCustomerConversation(sessionId: string, ref: SlackConversationRef): Promise<void> {
    await this.store.setFlag(`s:${sessionId}`, 'slack-customer-conversation', JSON.stringify(ref), REF_TTL_MS);
    await this.store.setFlag(conversationScope(ref), 'session', sessionId, REF_TTL_MS);
  }

  customerMessage(sessionId: string): Promise<SlackMessageRef | undefined> {
    return this.read(`s:${sessionId}`, 'slack-customer-message');
  }

  setCustomerMessage(sessionId: string, ref: SlackMessageRef): Promise<void> {
    return this.store.setFlag(`s:${sessionId}`, 'slack-customer-message', JSON.stringify(ref), REF_TTL_MS);
  }

  /** Only one replica posts the customer's message; the others update it once it exists. */
  claimCustomerPost(sessionId: string): Promise<boolean> {
    return this.store.claim(`slack-customer-post:${sessionId}`, REF_TTL_MS);
  }

  /** The verification a shared conversation is in the middle of, if any. */
  sessionIn(ref: SlackConversationRef): Promise<string | undefined> {
    return this.store.getFlag(conversationScope(ref), 'session');
  }

  private async read<T>(scope: string, name: string): Promise<T | undefined> {
    const value = await this.store.getFlag(scope, name);
    return value === undefined ? undefined : (JSON.parse(value) as T);
  }
}

function conversationScope(ref: SlackConversationRef): string {
  return `k:slack:${ref.teamId}:${ref.channel}`;
}
