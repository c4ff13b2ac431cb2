import type { SessionState } from '../session.ts';

/** Sent after every committed transition, so whichever replica owns a message can update it. */
export interface SessionUpdate {
  sessionId: string;
  version: number;
  state: SessionState;
  /** When the session next needs a time-based transition, so every replica can set a timer without a read. */
  deadline?: number;
  /**
   * Set when the commit took the session's render turn in the same step (for the committing replica, or found
   * it held by a replica that renders this version too before it lets go): the holder renders, and everyone
   * else only looks again once this lease has run out, in case the holder died.
   */
  turnMs?: number;
}

export type SessionUpdateHandler = (update: SessionUpdate) => void | Promise<void>;

/** Sent after every line added to a support chat, so the customer's connection and the relays hear it anywhere. */
export interface ChatEvent {
  conversationId: string;
  seq: number;
  from: 'customer' | 'agent' | 'bot';
}

export type ChatEventHandler = (event: ChatEvent) => void | Promise<void>;

/** Session-updated and chat events across replicas. Delivery is at most once per subscriber; handlers re-read the store. */
export interface Bus {
  publish(update: SessionUpdate): Promise<void>;
  /** Resolves once the subscription is live; the returned function ends it. */
  subscribe(handler: SessionUpdateHandler): Promise<() => Promise<void>>;
  publishChat(event: ChatEvent): Promise<void>;
  subscribeChat(handler: ChatEventHandler): Promise<() => Promise<void>>;
  /**
   * Resolves once everything this replica published has reached its own subscribers, or after `timeoutMs`
   * (Redis down): a shutting-down replica renders its own last updates before it stops listening.
   */
  flush(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}
