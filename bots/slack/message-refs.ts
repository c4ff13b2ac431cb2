import type { SessionStore } from '../../core/ports/index.ts';
import type { Session } from '../../core/session.ts';

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
const CUSTOMER_CONVERSATION = 'slack-customer-conversation';

/** The session refs that say the customer is in this Slack Connect conversation. */
export function customerConversationRefs(ref: SlackConversationRef): Record<string, string> {
  return { [CUSTOMER_CONVERSATION]: JSON.stringify(ref) };
}

/** The Slack Connect conversation the customer is in, from the session's refs (set when it started). */
export function customerConversation(session: Session): SlackConversationRef | undefined {
  const raw = session.refs?.[CUSTOMER_CONVERSATION];
  return raw ? (JSON.parse(raw) as SlackConversationRef) : undefined;
}

/**
 * Which session a shared conversation is in the middle of, so the guard there knows a PIN is expected.
 * (Where a session's own messages are is kept in its render record; see SlackAgentChannel.)
 */
export class SlackMessageRefs {
  constructor(private readonly store: SessionStore) {}

  setSessionIn(ref: SlackConversationRef, sessionId: string): Promise<void> {
    return this.store.setFlag(conversationScope(ref), 'session', sessionId, REF_TTL_MS);
  }

  /** The verification a shared conversation is in the middle of, if any. */
  sessionIn(ref: SlackConversationRef): Promise<string | undefined> {
    return this.store.getFlag(conversationScope(ref), 'session');
  }
}

function conversationScope(ref: SlackConversationRef): string {
  return `k:slack:${ref.teamId}:${ref.channel}`;
}
