import type { Bus, SessionUpdate, SessionUpdateHandler } from '../../core/ports/index.ts';

/** {@link Bus} within one process: the embedded mode has one replica, so every update stays here. */
export class InProcessBus implements Bus {
  private readonly handlers = new Set<SessionUpdateHandler>();

  constructor(private readonly onHandlerError: (error: unknown) => void = () => {}) {}

  async publish(update: SessionUpdate): Promise<void> {
    // Handlers run after the publisher's turn, as they would on another replica.
    for (const handler of this.handlers) {
      queueMicrotask(() => {
        Promise.resolve()
          .then(() => handler(update))
          .catch(this.onHandlerError);
      });
    }
  }

  async subscribe(handler: SessionUpdateHandler): Promise<() => Promise<void>> {
    this.handlers.add(handler);
    return async () => {
      this.handlers.delete(handler);
    };
  }

  async close(): Promise<void> {
    this.handlers.clear();
  }
}
