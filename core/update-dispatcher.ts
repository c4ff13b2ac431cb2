import type {
  AgentChannel,
  Bus,
  Clock,
  CustomerChannel,
  MessageBook,
  SessionStore,
  SessionUpdate,
} from './ports/index.ts';
import { RenderTurns } from './render-turns.ts';
import type { ChannelKind, Session } from './session.ts';
import type { Verification } from './verification.ts';

export interface UpdateDispatcherDeps {
  bus: Bus;
  store: SessionStore;
  verification: Verification;
  clock: Clock;
  /** The agent's side of each platform; a session is rendered where its agent works. */
  agentChannels: Partial<Record<ChannelKind, AgentChannel>>;
  /** Every customer side; each renders only the sessions it has a conversation for. */
  customerChannels: CustomerChannel[];
  /** Shared with anything else that renders a session's messages, so renders never overlap. */
  turns?: RenderTurns;
  onError?(error: unknown, what: string): void;
}

// Fire a little after the deadline so the transition is certainly due when the timer runs.
const DEADLINE_GRACE_MS = 250;

/**
 * Turns committed session changes into updated messages. Every replica hears every update and keeps a
 * timer for the session's next deadline (an unanswered prompt must visibly expire even if nobody acts);
 * one replica at a time renders the latest version ({@link RenderTurns}), so each state is shown once and
 * the messages always end on the latest state.
 */
export class UpdateDispatcher {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<void>>();
  private unsubscribe: (() => Promise<void>) | undefined;
  private readonly turns: RenderTurns;
  // Updates of one session are handled in order here, so this replica never competes with itself for a turn.
  private readonly queues = new Map<string, Promise<void>>();

  constructor(private readonly deps: UpdateDispatcherDeps) {
    this.turns =
      deps.turns ??
      new RenderTurns(deps.store, { clock: deps.clock, onError: (error) => deps.onError?.(error, 'render') });
  }

  async start(): Promise<void> {
    this.unsubscribe = await this.deps.bus.subscribe((update) => {
      const previous = this.queues.get(update.sessionId) ?? Promise.resolve();
      const work = previous
        .then(() => this.handle(update))
        .catch((error: unknown) => this.deps.onError?.(error, 'session update'));
      this.queues.set(update.sessionId, work);
      this.inFlight.add(work);
      void work.finally(() => {
        this.inFlight.delete(work);
        if (this.queues.get(update.sessionId) === work) this.queues.delete(update.sessionId);
      });
    });
  }

  async stop(): Promise<void> {
    await this.unsubscribe?.();
    this.turns.close();
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Resolves when every update received so far has been handled; for tests and shutdown. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private async handle(update: SessionUpdate): Promise<void> {
    this.schedule(update);
    await this.turns.show(update.sessionId, update.version, (session, messages) => this.render(session, messages));
  }

  private async render(session: Session, messages: MessageBook): Promise<void> {
    const targets = [this.deps.agentChannels[session.agent.channel], ...this.deps.customerChannels];
    await Promise.all(
      targets.map((channel) =>
        channel?.render(session, messages).catch((error: unknown) => this.deps.onError?.(error, 'render')),
      ),
    );
  }

  private schedule(update: SessionUpdate): void {
    const existing = this.timers.get(update.sessionId);
    if (existing) clearTimeout(existing);
    this.timers.delete(update.sessionId);
    if (update.deadline === undefined) return;
    const delay = Math.max(0, update.deadline - this.deps.clock.now()) + DEADLINE_GRACE_MS;
    const timer = setTimeout(() => {
      this.timers.delete(update.sessionId);
      // Every replica fires; compare-and-set lets one of them make the transition, which publishes anew.
      this.deps.verification.settle(update.sessionId).catch((error: unknown) => this.deps.onError?.(error, 'deadline'));
    }, delay);
    timer.unref();
    this.timers.set(update.sessionId, timer);
  }
}
