import type { SessionState } from '../session.ts';

/** Sent after every committed transition, so whichever replica owns a message can update it. */
export interface SessionUpdate {
  sessionId: string;
  version: number;
  state: SessionState;
  /** When the session next needs a time-based transition, so every replica can set a timer without a read. */
  deadline?: number;
}

export type SessionUpdateHandler = (update: SessionUpdate) => void | Promise<void>;

/** Session-updated events across replicas. Delivery is at most once per subscriber; handlers re-read the store. */
export interface Bus {
  publish(update: SessionUpdate): Promise<void>;
  /** Resolves once the subscription is live; the returned function ends it. */
  subscribe(handler: SessionUpdateHandler): Promise<() => Promise<void>>;
  close(): Promise<void>;
}
