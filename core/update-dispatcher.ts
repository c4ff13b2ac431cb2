import type {
  AgentChannel,
  Bus,
  Clock,
  Committed,
  CustomerChannel,
  MessageBook,
  SessionStore,
  SessionUpdate,
} from './ports/index.ts';
import { type CommitTurn, RenderTurns } from './render-turns.ts';
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
  /** How often this replica applies the deadlines that are due (an unanswered prompt must visibly expire). */
  sweepMs?: number;
  onError?(error: unknown, what: string): void;
}

const SWEEP_MS = 1000;

/**
 * Turns committed session changes into updated messages, and applies deadlines. Deadlines live in the store
 * ({@link Verification.settleDue}): every replica sweeps the due ones, so each is applied once, by whichever
 * replica is alive, within a sweep of its time, even when the one that set it has gone. One replica at a time
 * renders the latest version ({@link RenderTurns}), so each state is shown once and the messages always end
 * on the latest state. A commit on this replica takes that turn in its own step and renders here at once;
 * the other replicas, hearing its update, only look again once the turn's lease has run out.
 */
export class UpdateDispatcher {
  private sweeper: ReturnType<typeof setInterval> | undefined;
  private sweeping: Promise<void> | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private unsubscribe: (() => Promise<void>) | undefined;
  private detach: (() => void) | undefined;
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
      this.enqueue(update.sessionId, () => this.handle(update));
    });
    this.detach = this.deps.verification.renderCommits({
      lease: () => this.turns.lease(),
      committed: (session: Session, turn: CommitTurn, taken: NonNullable<Committed['turn']>) =>
        this.enqueue(session.id, async () => {
          // After the committing request has had its turn to answer: the render is not part of the answer.
          await new Promise((resolve) => setImmediate(resolve));
          await this.turns.follow(session.id, session.version, turn.token, taken, (s, messages) =>
            this.render(s, messages),
          );
        }),
    });
    this.sweeper = setInterval(() => {
      // One sweep at a time: a slow store must not pile sweeps up.
      this.sweeping ??= this.deps.verification
        .settleDue()
        .then(() => undefined)
        .catch((error: unknown) => this.deps.onError?.(error, 'deadline'))
        .finally(() => {
          this.sweeping = undefined;
        });
    }, this.deps.sweepMs ?? SWEEP_MS);
    this.sweeper.unref();
  }

  async stop(): Promise<void> {
    this.detach?.();
    await this.unsubscribe?.();
    this.turns.close();
    clearInterval(this.sweeper);
    await this.sweeping;
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Resolves when every update received so far has been handled; for tests and shutdown. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private enqueue(sessionId: string, task: () => Promise<void>): void {
    const previous = this.queues.get(sessionId) ?? Promise.resolve();
    const work = previous.then(task).catch((error: unknown) => this.deps.onError?.(error, 'session update'));
    this.queues.set(sessionId, work);
    this.inFlight.add(work);
    void work.finally(() => {
      this.inFlight.delete(work);
      if (this.queues.get(sessionId) === work) this.queues.delete(sessionId);
    });
  }

  private async handle(update: SessionUpdate): Promise<void> {
    const render = (session: Session, messages: MessageBook) => this.render(session, messages);
    // Its commit took the turn: the holder renders (this replica, for its own), the others only stand by.
    if (update.turnMs !== undefined) this.turns.watch(update.sessionId, update.version, update.turnMs, render);
    else await this.turns.show(update.sessionId, update.version, render);
  }

  private async render(session: Session, messages: MessageBook): Promise<void> {
    const targets = [this.deps.agentChannels[session.agent.channel], ...this.deps.customerChannels];
    await Promise.all(
      targets.map((channel) =>
        channel?.render(session, messages).catch((error: unknown) => this.deps.onError?.(error, 'render')),
      ),
    );
  }
}
