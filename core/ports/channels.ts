import type { Session } from '../session.ts';

/**
 * A chat platform's side of a verification: each bot implements these for its platform, and the server
 * registers them, so a session update reaches Slack, Teams or the web chat without one channel importing
 * another.
 */
export interface AgentChannel {
  /** Posts or updates the agent's message for the session's current state. */
  render(session: Session, messages: MessageBook): Promise<void>;
}

export interface CustomerChannel {
  /** Tells the customer what the session's current state asks of them, if they are in a conversation. */
  render(session: Session, messages: MessageBook): Promise<void>;
}

/**
 * Where a session's messages are, kept with the record of what they show: a render reads where it posted
 * before and writes where it posts now, and the render turn stores both in one step with the version.
 */
export interface MessageBook {
  get(name: string): string | undefined;
  set(name: string, value: string): void;
}
