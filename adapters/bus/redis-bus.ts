import type { Redis } from 'ioredis';
import type { Bus, ChatEvent, ChatEventHandler, SessionUpdate, SessionUpdateHandler } from '../../core/ports/index.ts';
import { SESSION_STATES, type SessionState } from '../../core/session.ts';
import { guarded } from '../redis/connect.ts';
import { storeKeys } from '../store/keys.ts';

const SUBSCRIBE_WAIT_MS = 2000;

/**
 * {@link Bus} on Redis pub/sub. Publishing uses the shared client; subscribing needs a connection of its
 * own, which is created on the first subscription. Messages are validated before any handler sees them.
 */
export class RedisBus implements Bus {
  private subscriber: Redis | undefined;
  private readonly handlers = new Set<SessionUpdateHandler>();
  private readonly chatHandlers = new Set<ChatEventHandler>();

  constructor(
    private readonly publisher: Redis,
    private readonly onHandlerError: (error: unknown) => void = () => {},
  ) {}

  async publish(update: SessionUpdate): Promise<void> {
    await guarded('publish', () => this.publisher.publish(storeKeys.busChannel, JSON.stringify(update)));
  }

  subscribe(handler: SessionUpdateHandler): Promise<() => Promise<void>> {
    return this.add(this.handlers, handler);
  }

  async publishChat(event: ChatEvent): Promise<void> {
    await guarded('publish', () => this.publisher.publish(storeKeys.chatChannel, JSON.stringify(event)));
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
    // The subscriber queues while offline: a subscription made during an outage resumes when Redis returns.
    this.subscriber = this.publisher.duplicate({ enableOfflineQueue: true });
    this.subscriber.on('error', () => {});
    this.subscriber.on('message', (channel: string, message: string) =>
      channel === storeKeys.chatChannel
        ? this.deliver(this.chatHandlers, parseChatEvent(message))
        : this.deliver(this.handlers, parseUpdate(message)),
    );
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
      (value.deadline === undefined || Number.isFinite(value.deadline))
    ) {
      return {
        sessionId: value.sessionId,
        version: value.version as number,
        state: value.state as SessionState,
        ...(value.deadline === undefined ? {} : { deadline: value.deadline }),
      };
    }
  } catch {
    // Not ours, or corrupted: ignored, like any message on a channel we do not understand.
  }
  return undefined;
}
