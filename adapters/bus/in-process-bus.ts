import type { Bus, ChatEvent, ChatEventHandler, SessionUpdate, SessionUpdateHandler } from '../../core/ports/index.ts';

/** {@link Bus} within one process: the embedded mode has one replica, so every update stays here. */
export class InProcessBus implements Bus {
  private readonly handlers = new Set<SessionUpdateHandler>();
  private readonly chatHandlers = new Set<ChatEventHandler>();

  constructor(private readonly onHandlerError: (error: unknown) => void = () => {}) {}

  async publish(update: SessionUpdate): Promise<void> {
    this.deliver(this.handlers, update);
  }

  async subscribe(handler: SessionUpdateHandler): Promise<() => Promise<void>> {
    return this.add(this.handlers, handler);
  }

  async publishChat(event: ChatEvent): Promise<void> {
    this.deliver(this.chatHandlers, event);
  }

  async subscribeChat(handler: ChatEventHandler): Promise<() => Promise<void>> {
    return this.add(this.chatHandlers, handler);
  }

  async flush(): Promise<void> {
    // Delivery is a microtask away; one turn of the event loop lets every queued handler start.
    await new Promise((resolve) => setImmediate(resolve));
  }

  async close(): Promise<void> {
    this.handlers.clear();
    this.chatHandlers.clear();
  }

  private deliver<T>(handlers: Set<(value: T) => void | Promise<void>>, value: T): void {
    // Handlers run after the publisher's turn, as they would on another replica.
    for (const handler of handlers) {
      queueMicrotask(() => {
        Promise.resolve()
          .then(() => handler(value))
          .catch(this.onHandlerError);
      });
    }
  }

  private add<T>(handlers: Set<T>, handler: T): () => Promise<void> {
    handlers.add(handler);
    return async () => {
      handlers.delete(handler);
    };
  }
}
