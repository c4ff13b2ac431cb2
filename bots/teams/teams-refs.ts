import type { ConversationReference } from 'botbuilder';
import type { SessionStore } from '../../core/ports/index.ts';
import type { Session } from '../../core/session.ts';

/** A message the bot sent, and how to reach its conversation again from any replica. */
export interface TeamsMessageRef {
  reference: Partial<ConversationReference>;
  activityId: string;
}

/** Where a Teams verification was asked for; stored with the session itself, so its first render can post. */
export interface TeamsOrigin {
  reference: Partial<ConversationReference>;
  /** The agent's Teams user id, for the card's refresh. */
  agentTeamsId: string;
  /** A personal chat with the bot; anywhere else the conversation is shared and may hold the customer. */
  personal: boolean;
}

const ORIGIN = 'teams';

/** The session refs that carry a Teams origin. */
export function teamsOriginRefs(origin: TeamsOrigin): Record<string, string> {
  return { [ORIGIN]: JSON.stringify(origin) };
}

export function teamsOrigin(session: Session): TeamsOrigin | undefined {
  const raw = session.refs?.[ORIGIN];
  return raw ? (JSON.parse(raw) as TeamsOrigin) : undefined;
}

// As long as a session can be acted on (session lifetime plus the longest grant), with room to spare.
const REF_TTL_MS = 4 * 60 * 60_000;

/**
 * Which session a Teams conversation is in the middle of. (Where a session's own messages are is kept in its
 * render record, so any replica can update them proactively; see TeamsAgentChannel.)
 */
export class TeamsRefs {
  constructor(private readonly store: SessionStore) {}

  /** Marks `conversationId` as being in the middle of this verification (the guard expects a PIN there). */
  setSessionIn(conversationId: string, sessionId: string): Promise<void> {
    return this.store.setFlag(conversationScope(conversationId), 'session', sessionId, REF_TTL_MS);
  }

  /** The verification a conversation is in the middle of, if any. */
  sessionIn(conversationId: string): Promise<string | undefined> {
    return this.store.getFlag(conversationScope(conversationId), 'session');
  }
}

function conversationScope(conversationId: string): string {
  return `k:teams:${conversationId}`;
}
