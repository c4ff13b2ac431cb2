import { randomBytes } from 'node:crypto';
import type { Bus, ChatEvent, ChatEventHandler, SessionUpdate, SessionUpdateHandler } from '../../core/ports/index.ts';
import { SESSION_STATES, type SessionState } from '../../core/session.ts';
import { guarded, type RedisClient, subscriberFor } from '../redis/connect.ts';
import { storeKeys } from '../store/keys.ts';

const SUBSCRIBE_WAIT_MS = 2000;

/**
 * A session update as another process publishes it on {@link storeKeys.busChannel} for this bus, from inside a
 * script that commits it (the session store's): `message` is exactly what {@link RedisBus.publish} would send.
 * Call `settle(false)` when it was not published after all (the commit was refused or failed).
 */
export interface OutgoingUpdate {
  channel: string;
  message: string;
  settle(published: boolean): void;
}

/**
 * {@link Bus} on Redis pub/sub. Publishing uses the shared client; subscribing needs a connection of its
 * own, which is created on the first subscription. Messages are validated before any handler sees them.
 */
export class RedisBus implements Bus {
  private subscriber: RedisClient | undefined;
  private readonly handlers = new Set<SessionUpdateHandler>();
  private readonly chatHandlers = new Set<ChatEventHandler>();
  // Each message carries its publisher's id, so this replica can tell when its own have come back.
  private readonly origin = randomBytes(6).toString('hex');
  private inTransit = 0;
  private readonly waiting = new Set<() => void>();

  constructor(
    private readonly publisher: RedisClient,
    private readonly onHandlerError: (error: unknown) => void = () => {},
  ) {}

  async publish(update: SessionUpdate): Promise<void> {
    await this.send(storeKeys.busChannel, update);
  }

  /**
   * The update as it is sent, for a script on this bus's own Redis connection (`client`) to PUBLISH in the step
   * that commits it; undefined for any other connection, which must call {@link publish} instead.
   */
  outgoing(client: RedisClient, update: SessionUpdate): OutgoingUpdate | undefined {
    if (client !== this.publisher) return undefined;
    const counted = this.subscriber !== undefined;
    if (counted) this.inTransit++;
    return {
      channel: storeKeys.busChannel,
      message: this.encode(update),
      settle: (published) => {
        if (counted && !published) this.arrived();
      },
    };
  }

  subscribe(handler: SessionUpdateHandler): Promise<() => Promise<void>> {
    return this.add(this.handlers, handler);
  }

  async publishChat(event: ChatEvent): Promise<void> {
    await this.send(storeKeys.chatChannel, event);
  }

  async flush(timeoutMs = 1000): Promise<void> {
    if (!this.subscriber || this.inTransit === 0) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiting.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.waiting.add(done);
    });
  }

  private async send(channel: string, value: SessionUpdate | ChatEvent): Promise<void> {
    const counted = this.subscriber !== undefined;
    if (counted) this.inTransit++;
    try {
      await guarded('publish', () => this.publisher.publish(channel, this.encode(value)));
    } catch (error) {
      if (counted) this.arrived();
      throw error;
    }
  }

  /** The one wire form of everything this bus sends: the value and its publisher's id. */
  private encode(value: SessionUpdate | ChatEvent): string {
    return JSON.stringify({ ...value, o: this.origin });
  }

  private arrived(): void {
    this.inTransit = Math.max(0, this.inTransit - 1);
    if (this.inTransit === 0) for (const done of [...this.waiting]) done();
  }

  subscribeChat(handler: ChatEventHandler): Promise<() => Promise<void>> {
    return this.add(this.chatHandlers, handler);
  }

  private async add<T>(handlers: Set<T>, handler: T): Promise<() => Promise<void>> {
    await this.listen();
    handlers.add(handler);
    return async () => {
      handlers.delete(handler);
    };
  }

  // One subscriber connection carries both channels.
  private async listen(): Promise<void> {
    if (this.subscriber) return;
    this.subscriber = subscriberFor(this.publisher);
    this.subscriber.on('message', (channel: string, message: string) => {
      if (channel === storeKeys.chatChannel) this.deliver(this.chatHandlers, parseChatEvent(message));
      else this.deliver(this.handlers, parseUpdate(message));
      if (message.includes(`"o":"${this.origin}"`)) this.arrived();
    });
    // Completes whenever Redis is reachable (ioredis subscribes again after every reconnect); start-up
    // waits for it briefly, never for an outage.
    const subscribed = this.subscriber.subscribe(storeKeys.busChannel, storeKeys.chatChannel).catch(() => undefined);
    await Promise.race([subscribed, new Promise((resolve) => setTimeout(resolve, SUBSCRIBE_WAIT_MS).unref())]);
  }

  async close(): Promise<void> {
    this.handlers.clear();
    this.chatHandlers.clear();
    await this.subscriber?.quit().catch(() => this.subscriber?.disconnect());
    this.subscriber = undefined;
  }

  // Messages are validated before any handler sees them; one that does not parse is dropped.
  private deliver<T>(handlers: Set<(value: T) => void | Promise<void>>, value: T | undefined): void {
    if (value === undefined) return;
    for (const handler of handlers) {
      Promise.resolve()
        .then(() => handler(value))
        .catch(this.onHandlerError);
    }
  }
}

function parseChatEvent(message: string): ChatEvent | undefined {
  try {
    const value = JSON.parse(message) as Partial<ChatEvent>;
    if (
      typeof value.conversationId === 'string' &&
      Number.isInteger(value.seq) &&
      (value.from === 'customer' || value.from === 'agent' || value.from === 'bot')
    )
      return { conversationId: value.conversationId, seq: value.seq as number, from: value.from };
  } catch {
    // Not ours, or corrupted: ignored.
  }
  return undefined;
}

function parseUpdate(message: string): SessionUpdate | undefined {
  try {
    const value = JSON.parse(message) as Partial<SessionUpdate>;
    if (
      typeof value.sessionId === 'string' &&
      Number.isInteger(value.version) &&
      SESSION_STATES.includes(value.state as SessionState) &&
      (value.deadline === undefined || Number.isFinite(value.deadline)) &&
      (value.turnMs === undefined || (Number.isFinite(value.turnMs) && (value.turnMs as number) > 0))
    ) {
      return {
        sessionId: value.sessionId,
        version: value.version as number,
        state: value.state as SessionState,
        ...(value.deadline === undefined ? {} : { deadline: value.deadline }),
        ...(value.turnMs === undefined ? {} : { turnMs: value.turnMs }),
      };
    }
  } catch {
    // Not ours, or corrupted: ignored, like any message on a channel we do not understand.
  }
  return undefined;
}
