import { createHash, randomBytes, randomInt } from 'node:crypto';
import type { AuditEvent, AuditEventType } from './audit.ts';
import { ACCOUNT_FLAGS, AVAILABILITY_READS, accountScope, availabilityFrom, pinTriesFor } from './availability.ts';
import {
  AccountNotFoundError,
  ConversationBusyError,
  CustomerUnidentifiedError,
  DeliveryFailedError,
  DuplicateRequestError,
  IllegalTransitionError,
  NoTrustedDeviceError,
  NotAuthorizedError,
  NotTheCustomerError,
  PinsLockedError,
  RateLimitedError,
  RequestInvalidError,
  SessionConflictError,
  SessionNotFoundError,
} from './errors.ts';
import type { Finding } from './guard/inbound.ts';
import { type MessageKey, renderMessage } from './messages/catalog.ts';
import { formatDateTime } from './messages/format.ts';
import { FIXED_LIMITS, type Policies } from './policies.ts';
import {
  type Accounts,
  type Announcement,
  type AuditLog,
  type Bus,
  CLAIMED,
  type Clock,
  type Committed,
  type Deadlines,
  type DevicePrompts,
  type LimitedProfile,
  type Mailer,
  type Pins,
  type ScopedWrite,
  type SessionStore,
  type SessionUpdate,
  scheduleNext,
} from './ports/index.ts';
import type { CommitTurn } from './render-turns.ts';
import {
  type AccountAlert,
  type AgentRef,
  ALLOWED_FROM,
  type Availability,
  type ChannelKind,
  type CustomerRef,
  dueEvent,
  FINAL_STATES,
  grantIsActive,
  type Identity,
  isOpen,
  nextDeadline,
  type Session,
  type SessionEvent,
  sameIdentity,
  transition,
} from './session.ts';

export interface VerificationDeps {
  store: SessionStore;
  /** Every session's next deadline, where any replica can apply it. */
  deadlines: Deadlines;
  bus: Bus;
  accounts: Accounts;
  devicePrompts: DevicePrompts;
  pins: Pins;
  mailer: Mailer;
  audit: AuditLog;
  clock: Clock;
  policies: Readonly<Policies>;
  /** The company name customers see on prompts and emails. */
  company: string;
  /** Keyed hash of an account id: the only form of it in store keys and audit entries. */
  hashAccount(accountId: string): string;
  /** Failures of work done after the answer (emails); they never change an outcome. */
  onBackgroundError?(error: unknown, what: string): void;
  /** A whole number in [min, max). */
  randomInt?(min: number, max: number): number;
}

/**
 * Renders this replica's own commits (the update dispatcher, while it runs): each commit takes the session's
 * render turn for it in the same step, and hands over what that gave once the transition's side effects are done.
 */
export interface CommitRenderer {
  lease(): CommitTurn;
  committed(session: Session, turn: CommitTurn, taken: NonNullable<Committed['turn']>): void;
}

/** A commit's announcement, and who renders with the turn it takes. */
interface Pending {
  announce: Announcement;
  renderer?: CommitRenderer;
}

/** A commit's allowance was refused: nothing was written (see {@link Announcement.allowance}). */
class AllowanceRefused extends Error {
  constructor(
    readonly refusedBy: string,
    readonly retryAfterMs: number,
  ) {
    super(`refused by ${refusedBy}`);
  }
}

/** `busy`: another check of this session's PIN was in flight; nothing was counted, re-read the session. */
export type PinResult = 'accepted' | 'rejected' | 'locked' | 'busy';
export type DeviceDecision = 'confirmed' | 'denied' | 'fraud';
/**
 * Who takes a step. An agent's steps count only from the verifying agent; a customer's only from the customer
 * the session is for (named by the agent, identified by a button, or the web chat conversation itself).
 */
export type Actor = { kind: 'agent'; who: Identity } | { kind: 'customer'; who: Identity };

export interface StartInput {
  agent: AgentRef;
  query: string;
  refs?: Record<string, string>;
  /** The customer, when they are in the conversation and the agent named them (or the web chat is theirs). */
  customer?: CustomerRef;
  /**
   * The conversation the verification runs in (a web chat, a Slack Connect channel, a Teams chat), scoped by
   * the caller (`webchat:<id>`, `slack:<team>:<channel>`): while one runs there, another is refused.
   */
  conversation?: string;
  /**
   * The request's one-time claim (a platform's delivery id), made in the same step as the agent's count: a
   * repeat is refused with {@link DuplicateRequestError} and counts nothing.
   */
  once?: { key: string; ttlMs: number };
  /** {@link Verification.admit} counted this start already (a channel that answers only once it has). */
  admitted?: boolean;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
// Sessions outlive their deadlines a little so late updates still find them and App Home can list them.
const RETENTION_MS = HOUR;
const MAX_CAS_ATTEMPTS = 8;
const PIN_PATTERN = /^\d{4}$/u;

const flags = {
  pending: ACCOUNT_FLAGS.pending,
  cooldown: ACCOUNT_FLAGS.cooldown,
  pinLock: ACCOUNT_FLAGS.pinLock,
  running: 'running',
  /** An account's verified sessions, newest first: what a denial, a fraud report or a PIN lock ends. */
  grants: 'grants',
} as const;
const GRANTS_PER_ACCOUNT = 10;
// A conversation rarely sees more than one verification in a grant's time; these are what its end closes.
const SESSIONS_PER_CONVERSATION = 5;
const RECENT_PER_AGENT = 20;
const RECENT_DAYS = 7;
// Bounds how long a crashed replica's PIN check can hold a session; a live check takes milliseconds.
const PIN_CHECK_HOLD_MS = 10_000;

/**
 * The verification flow: every step an agent, a customer's device or a customer takes, each applied
 * through the pure {@link transition} with compare-and-set, audited, published on the bus, and mailed to
 * the account's address once it ends.
 */
export class Verification {
  private readonly background = new Set<Promise<void>>();
  private readonly randomInt: (min: number, max: number) => number;
  private readonly renderers: CommitRenderer[] = [];

  constructor(private readonly deps: VerificationDeps) {
    this.randomInt = deps.randomInt ?? randomInt;
  }

  /**
   * From now on this replica's commits take the render turn for `renderer` (the latest one attached, while
   * several are); the returned function detaches it. Without one, commits announce without taking the turn.
   */
  renderCommits(renderer: CommitRenderer): () => void {
    this.renderers.push(renderer);
    return () => {
      const index = this.renderers.lastIndexOf(renderer);
      if (index >= 0) this.renderers.splice(index, 1);
    };
  }

  /**
   * Counts a start by `agent` against its hourly limit, and makes the request's one-time claim (`once`) in the
   * same step; {@link start} does it first unless told it was done. Rejects with {@link RateLimitedError} (audited)
   * or, for a repeated request, {@link DuplicateRequestError}.
   */
  async admit(agent: Identity, once?: StartInput['once']): Promise<void> {
    const { store, clock, policies } = this.deps;
    const allowance = await store.take(agentScope(agent), {
      counters: [{ name: 'starts-1h', limit: policies.agentVerificationsPerHour, windowMs: HOUR }],
      ...(once ? { claim: once } : {}),
    });
    if (allowance.granted) return;
    if (allowance.refusedBy === CLAIMED && once) throw new DuplicateRequestError(once.key);
    await this.deps.audit.append({
      type: 'agent_rate_exceeded',
      at: clock.now(),
      outcome: 'failure',
      channel: agent.channel,
      agent: auditIdentity(agent),
      detail: { limitPerHour: policies.agentVerificationsPerHour },
    });
    throw new RateLimitedError('agent-rate', allowance.retryAfterMs);
  }

  async start(input: StartInput): Promise<Session> {
    const { store, accounts, clock, policies } = this.deps;
    // Counted before the lookup: an insider sweeping through accounts is stopped whether or not they exist.
    if (!input.admitted) await this.admit(input.agent, input.once);
    const account = await accounts.find(input.query);
    if (!account) throw new AccountNotFoundError();
    const availability = await this.availabilityOf(account.id, account.devices.filter((d) => d.trusted).length, {
      agent: input.agent,
    });
    const now = clock.now();
    const session: Session = {
      id: store.newSessionId(this.accountScope(account.id)),
      version: 1,
      state: 'started',
      accountId: account.id,
      customerLocale: account.locale,
      agent: input.agent,
      createdAt: now,
      updatedAt: now,
      expiresAt: now + policies.sessionMinutes * MINUTE,
      ...(input.customer ? { customer: input.customer } : {}),
      ...(input.conversation ? { conversation: input.conversation } : {}),
      ...(input.refs && Object.keys(input.refs).length > 0 ? { refs: input.refs } : {}),
      ...(Object.keys(availability).length > 0 ? { availability } : {}),
    };
    if (input.customer && sameIdentity(input.customer, input.agent))
      throw new RequestInvalidError(['the agent cannot be the customer']);
    if (input.conversation) await this.holdConversation(input.conversation, session);
    const pending = this.announcement(session, [
      {
        op: 'remember',
        scope: agentScope(input.agent),
        name: 'recent',
        value: session.id,
        max: RECENT_PER_AGENT,
        ttlMs: RECENT_DAYS * 24 * HOUR,
      },
      // The conversation's recent sessions, open or verified: what ends when the conversation does.
      ...(input.conversation
        ? [
            {
              op: 'remember' as const,
              scope: conversationScope(input.conversation),
              name: 'sessions',
              value: session.id,
              max: SESSIONS_PER_CONVERSATION,
              ttlMs: (policies.sessionMinutes + policies.grantMinutes) * MINUTE + RETENTION_MS,
            },
          ]
        : []),
    ]);
    let committed: Committed;
    try {
      committed = await store.create(session, this.ttl(session, now), pending.announce);
    } catch (error) {
      if (input.conversation)
        await store.clearFlag(conversationScope(input.conversation), flags.running, session.id).catch(() => undefined);
      throw error;
    }
    await this.audit('verification_started', session, 'info');
    await this.announced(session, pending, committed);
    return session;
  }

  async get(sessionId: string): Promise<Session> {
    return this.load(sessionId);
  }

  /** The verification running in a conversation (see {@link StartInput.conversation}), if one still can be answered. */
  async runningIn(conversation: string): Promise<Session | undefined> {
    const holderId = await this.deps.store.getFlag(conversationScope(conversation), flags.running);
    const holder = holderId ? await this.load(holderId).catch(() => undefined) : undefined;
    return holder && isOpen(holder) ? holder : undefined;
  }

  /**
   * The session, for the person it is for: refuses (and audits) anyone else in the conversation, the agent
   * included, before anything is counted. For opening a customer's PIN dialog.
   */
  async forCustomer(sessionId: string, who: Identity): Promise<Session> {
    return this.load(sessionId, { kind: 'customer', who });
  }

  /**
   * Someone in a shared conversation says they are the customer (a button on the customer's message). The
   * first to do so is bound and the agent's card shows who; anyone after them is refused and audited.
   */
  async identifyCustomer(sessionId: string, customer: CustomerRef): Promise<Session> {
    const session = await this.load(sessionId);
    assertAllowed(session, 'customer_identified');
    if (sameIdentity(customer, session.agent)) throw new NotAuthorizedError('the verifying agent is not the customer');
    if (session.customer) {
      if (sameIdentity(session.customer, customer)) return session;
      await this.customerRefused(session, customer);
      throw new NotTheCustomerError();
    }
    try {
      return await this.apply(session, (current) => {
        if (current.customer && !sameIdentity(current.customer, customer)) throw new NotTheCustomerError();
        return { type: 'customer_identified', customer };
      });
    } catch (error) {
      if (error instanceof NotTheCustomerError) await this.customerRefused(session, customer);
      throw error;
    }
  }

  /** The agent's most recent verifications, newest first, as they are now (for App Home and the like). */
  async recent(agent: Identity, limit = 10): Promise<Session[]> {
    const ids = (await this.deps.store.recall(agentScope(agent), 'recent')).slice(0, limit);
    const sessions = await Promise.all(ids.map((id) => this.load(id).catch(() => undefined)));
    return sessions.filter((s): s is Session => s !== undefined);
  }

  /** Someone who is not set up as an agent tried to verify: refused by the channel, audited here. */
  async agentUnauthorized(input: { channel: ChannelKind; agentId: string; workspaceId?: string }): Promise<void> {
    await this.deps.audit.append({
      type: 'agent_unauthorized',
      at: this.deps.clock.now(),
      outcome: 'failure',
      channel: input.channel,
      agent: auditIdentity({
        channel: input.channel,
        id: input.agentId,
        ...(input.workspaceId ? { workspaceId: input.workspaceId } : {}),
      }),
    });
  }

  /** `current`: the session as the caller just read it (one read fewer); every write still compares versions. */
  async chooseDevice(sessionId: string, actor: Actor, current?: Session): Promise<Session> {
    const { store, accounts, devicePrompts, clock, policies } = this.deps;
    const session = await this.load(sessionId, actor, current);
    assertAllowed(session, 'choose_device');
    const account = await accounts.summary(session.accountId);
    const devices = account?.devices.filter((d) => d.trusted) ?? [];
    if (!account || devices.length === 0) throw new NoTrustedDeviceError();

    const now = clock.now();
    const prompt = {
      id: `${session.id}.${randomBytes(6).toString('hex')}`,
      expiresAt: Math.min(now + policies.devicePromptSeconds * 1000, session.expiresAt),
    };
    const scope = this.accountScope(session.accountId);
    // Counted in the transition's own step: a prompt is counted exactly when the session moves to it.
    const allowance = {
      blockedBy: [flags.cooldown],
      counters: [
        { name: 'prompts-15m', limit: policies.devicePromptsPer15Minutes, windowMs: 15 * MINUTE },
        { name: 'prompts-day', limit: FIXED_LIMITS.devicePromptsPerDay, windowMs: 24 * HOUR },
      ],
      hold: { name: flags.pending, value: holdFor(prompt.id), ttlMs: prompt.expiresAt - now },
    };
    const numberChoices = policies.numberMatching ? this.numberChoices() : undefined;
    const matchNumber = numberChoices?.[this.randomInt(0, numberChoices.length)];
    let next: Session;
    try {
      next = await this.apply(
        session,
        { type: 'choose_device', prompt: { ...prompt, ...(matchNumber ? { matchNumber } : {}) } },
        { scope, allowance },
      );
    } catch (error) {
      if (error instanceof AllowanceRefused) {
        await this.audit('device_prompt_refused', session, 'failure', { refusedBy: error.refusedBy });
        // The card then says why and stops offering the prompt: the refusal belongs to the state it explains.
        const shown = await this.refreshAvailability(session, devices.length);
        throw new RateLimitedError(error.refusedBy, error.retryAfterMs, shown);
      }
      await store.clearFlag(scope, flags.pending, holdFor(prompt.id));
      throw error;
    }
    try {
      await devicePrompts.send({
        promptId: prompt.id,
        accountId: account.id,
        deviceIds: devices.map((d) => d.id),
        locale: account.locale,
        requester: { agentName: session.agent.displayName, company: this.deps.company, channel: session.agent.channel },
        ...(numberChoices ? { numberChoices } : {}),
        expiresAt: prompt.expiresAt,
      });
    } catch (error) {
      // The customer never saw it: put the card back to choosing a method with a note, so the agent can send it
      // again or switch to the PIN on whichever replica and channel they use. That transition frees the
      // account's prompt slot (afterTransition); if it cannot be made, the slot is freed here.
      await this.audit('device_prompt_failed', next, 'failure', {
        cause: String((error as Error).message).slice(0, 200),
      });
      await this.apply(next, { type: 'prompt_undeliverable', promptId: prompt.id }).catch(() =>
        store.clearFlag(scope, flags.pending, holdFor(prompt.id)),
      );
      throw new DeliveryFailedError('the device prompt could not be delivered', { cause: error });
    }
    await this.audit('device_prompt_sent', next, 'info', { numberMatching: matchNumber !== undefined });
    return next;
  }

  async choosePin(sessionId: string, actor: Actor, current?: Session): Promise<Session> {
    const session = await this.load(sessionId, actor, current);
    assertAllowed(session, 'choose_pin');
    const account = await this.deps.accounts.summary(session.accountId);
    const shown = await this.refreshAvailability(session, account?.devices.filter((d) => d.trusted).length ?? 0);
    const until = shown.availability?.pinLockedUntil;
    if (until !== undefined) {
      // Refused before a PIN is asked for, uncounted, and the lock is not re-armed; each try is audited.
      await this.audit('pin_locked', shown, 'failure', { refused: true });
      throw new PinsLockedError(until, shown);
    }
    // The tries shown are the tries there are: fewer where the account's day has fewer wrong PINs left.
    const triesLeft = pinTriesFor(
      shown.availability ?? {},
      session.pinTriesLeft ?? this.deps.policies.pinTriesPerSession,
    );
    const next = await this.apply(shown, { type: 'choose_pin', triesLeft });
    await this.audit('method_chosen', next, 'info');
    return next;
  }

  /**
   * Checks a support PIN for the session. Every try is counted atomically before the PIN is looked at, so
   * concurrent guesses on any number of replicas never get more tries than the policies allow; and only
   * one check per session runs at a time, so a duplicate of the right PIN cannot fail the session while the
   * first is being accepted.
   */
  async submitPin(sessionId: string, pin: string, actor: Actor): Promise<{ session: Session; result: PinResult }> {
    if (!PIN_PATTERN.test(pin)) throw new RequestInvalidError(['a support PIN is exactly 4 digits']);
    const { store, pins, policies } = this.deps;
    const session = await this.load(sessionId, actor);
    assertAllowed(session, 'pin_rejected');
    const scope = this.accountScope(session.accountId);
    const triesCounter = `pin-tries:${session.id}`;
    const checking = {
      name: `pin-check:${session.id}`,
      value: randomBytes(8).toString('hex'),
      ttlMs: PIN_CHECK_HOLD_MS,
    };
    const attempt = await store.take(scope, {
      blockedBy: [flags.pinLock],
      counters: [
        { name: triesCounter, limit: policies.pinTriesPerSession, windowMs: this.ttl(session) },
        {
          name: 'pin-failures',
          limit: policies.pinFailuresPerAccountPerDay,
          windowMs: FIXED_LIMITS.pinFailureWindowHours * HOUR,
        },
      ],
      hold: checking,
    });
    if (!attempt.granted) {
      if (attempt.refusedBy === checking.name) return { session: await this.load(sessionId), result: 'busy' };
      // Another try used the last one; its transition ends the session.
      if (attempt.refusedBy === triesCounter) return { session: await this.load(sessionId), result: 'rejected' };
      // Locked, or the day's failures used up: refused without counting, and the lock is not re-armed, so it
      // runs 24 h from the try that caused it however often someone tries during it.
      const next = await this.applyIfLegal(session, () => ({ type: 'pin_locked' }));
      return { session: next, result: 'locked' };
    }

    try {
      // An error here leaves both counters counted: an unknown outcome is a failed try, never a success.
      if (await pins.check(session.accountId, pin)) {
        await store.refund(scope, 'pin-failures');
        const next = await this.applyIfLegal(session, () => ({
          type: 'pin_accepted',
          grantExpiresAt: this.deps.clock.now() + policies.grantMinutes * MINUTE,
        }));
        return { session: next, result: next.state === 'verified' ? 'accepted' : 'rejected' };
      }
      const [sessionTries = 0, accountFailures = 0] = attempt.counts;
      if (accountFailures >= policies.pinFailuresPerAccountPerDay) return await this.lockPins(session, scope);
      const triesLeft = Math.max(0, policies.pinTriesPerSession - sessionTries);
      if (triesLeft === 0) await pins.revoke(session.accountId);
      // A lock raised meanwhile by another try may have ended the session: this try was still checked and
      // counted, so it is audited as wrong all the same.
      let ended = false;
      const next = await this.applyIfLegal(session, (current) => {
        ended = current.state !== 'awaiting_pin';
        if (ended) return undefined;
        return { type: 'pin_rejected', triesLeft: Math.min(current.pinTriesLeft ?? triesLeft, triesLeft) };
      });
      if (ended) await this.audit('pin_wrong', next, 'failure', { afterSessionEnded: true });
      return { session: next, result: 'rejected' };
    } finally {
      await store.clearFlag(scope, checking.name, checking.value);
    }
  }

  /** A trusted device's answer, already authenticated by the caller (HMAC, timestamp, single use). */
  async deviceResponse(
    promptId: string,
    decision: DeviceDecision,
    matchedNumber?: number,
    current?: Session,
  ): Promise<Session> {
    const sessionId = promptId.split('.')[0] ?? '';
    const session = await this.load(sessionId, undefined, current);
    if (session.prompt?.id !== promptId)
      throw new IllegalTransitionError(session.state, 'a response to a stale prompt');
    const now = this.deps.clock.now();
    const expected = session.prompt.matchNumber;
    if (decision === 'confirmed' && (expected === undefined || matchedNumber === expected)) {
      return this.apply(session, {
        type: 'device_confirmed',
        promptId,
        grantExpiresAt: now + this.deps.policies.grantMinutes * MINUTE,
      });
    }
    const reason =
      decision === 'fraud' ? 'fraud_reported' : decision === 'denied' ? 'device_denied' : 'number_mismatch';
    return this.apply(session, { type: 'device_denied', promptId, reason });
  }

  async cancel(sessionId: string, actor: Actor, current?: Session): Promise<Session> {
    return this.apply(await this.load(sessionId, actor, current), { type: 'cancel' });
  }

  async revoke(sessionId: string, actor: Actor): Promise<Session> {
    return this.apply(await this.load(sessionId, actor), { type: 'revoke' });
  }

  /** The support conversation closed: an open check is cancelled, a grant ends. */
  async conversationClosed(sessionId: string): Promise<Session> {
    return this.apply(await this.load(sessionId), { type: 'conversation_closed' });
  }

  /**
   * A conversation ended (a web chat closed, a shared channel archived or left, a chat that removed the bot):
   * its verifications, open or verified, end with it. With `leaving`, only when that person is the session's
   * customer or agent (anyone else leaving changes nothing). Resolves with the sessions it ended.
   */
  async closeConversation(conversation: string, leaving?: Identity): Promise<Session[]> {
    const ids = await this.deps.store.recall(conversationScope(conversation), 'sessions');
    const ended: Session[] = [];
    for (const id of ids) {
      const session = await this.load(id).catch(() => undefined);
      if (!session || !(isOpen(session) || session.state === 'verified')) continue;
      const party =
        !leaving ||
        sameIdentity(leaving, session.agent) ||
        (session.customer && sameIdentity(leaving, session.customer));
      if (party) ended.push(await this.apply(session, { type: 'conversation_closed' }));
    }
    return ended;
  }

  /** What a grant unlocks, for the verifying agent only and only while the grant lasts. */
  async profile(sessionId: string, agent: Identity): Promise<LimitedProfile> {
    return this.grantedProfile(await this.load(sessionId), agent);
  }

  /** As {@link profile}, for a session just read from the store (a render has one; no second read). */
  async grantedProfile(session: Session, agent: Identity): Promise<LimitedProfile> {
    if (!grantIsActive(session, agent, this.deps.clock.now())) {
      throw new NotAuthorizedError('no active grant for this agent on this session');
    }
    const profile = await this.deps.accounts.profile(session.accountId);
    if (!profile) throw new AccountNotFoundError();
    return profile;
  }

  /** The account portal asks for a PIN for a signed-in customer. */
  async issuePin(accountId: string, channel: ChannelKind = 'api'): Promise<{ pin: string; expiresAt: number }> {
    const account = await this.deps.accounts.summary(accountId);
    if (!account) throw new AccountNotFoundError();
    // A PIN issued while checks are locked could never work: say so instead.
    const { pinLockedUntil } = await this.availabilityOf(account.id, 1);
    if (pinLockedUntil !== undefined) throw new PinsLockedError(pinLockedUntil);
    const issued = await this.deps.pins.issue(account.id);
    await this.deps.audit.append({
      type: 'pin_issued',
      at: this.deps.clock.now(),
      outcome: 'info',
      channel,
      account: this.deps.hashAccount(account.id),
    });
    return issued;
  }

  /**
   * A channel hid secrets a customer (or an agent) typed: audited with the kinds found, never the text.
   * The channel answers with the `customer.secret_warning` message.
   */
  async secretRedacted(input: { channel: ChannelKind; findings: Finding[]; sessionId?: string }): Promise<void> {
    if (input.findings.length === 0) return;
    const session = input.sessionId ? await this.deps.store.get(input.sessionId) : undefined;
    await this.deps.audit.append({
      type: 'secret_redacted',
      at: this.deps.clock.now(),
      outcome: 'info',
      channel: input.channel,
      findings: input.findings,
      ...(session
        ? {
            sessionId: session.id,
            account: this.deps.hashAccount(session.accountId),
            agent: auditIdentity(session.agent),
          }
        : {}),
    });
  }

  /** Applies whatever time-based transition is due, so a session read after its deadline reads as ended. */
  async settle(sessionId: string): Promise<Session> {
    return this.load(sessionId);
  }

  /**
   * Applies the deadlines that are due, on whichever replica claims them: each is applied once (a transition
   * is compare-and-set), and one claimed by a replica that died is due again once its lease runs out.
   * Resolves with how many were claimed.
   */
  async settleDue(max = 100, leaseMs = 30_000): Promise<number> {
    const ids = await this.deps.deadlines.claimDue(this.deps.clock.now(), max, leaseMs);
    for (const id of ids) {
      const session = await this.load(id).catch((error: unknown) => {
        if (error instanceof SessionNotFoundError) return undefined;
        throw error;
      });
      // A transition has set the next deadline already; otherwise the claim's lease must not stand for it.
      await scheduleNext(this.deps.deadlines, id, session ? nextDeadline(session) : undefined);
    }
    return ids.length;
  }

  /**
   * What the account allows now: PIN lock and wrong PINs left, device prompts blocked and why, and (for a
   * new verification by `agent`) an earlier grant still active. One read of the account's flags.
   */
  private async availabilityOf(
    accountId: string,
    trustedDevices: number,
    forStart?: { agent: Identity },
    ownPending?: string,
  ): Promise<Availability> {
    const { store, clock, policies } = this.deps;
    const scope = this.accountScope(accountId);
    const { values: peeked, lists } = await store.peekWithLists(
      scope,
      AVAILABILITY_READS,
      forStart ? [flags.grants] : [],
    );
    const grantIds = lists[0] ?? [];
    const now = clock.now();
    const availability = availabilityFrom(peeked, {
      policies,
      now,
      trustedDevices,
      ...(ownPending ? { ownPending } : {}),
    });
    for (const id of grantIds) {
      const granted = await store.get(id).catch(() => undefined);
      if (!granted?.grant || granted.state !== 'verified' || granted.grant.expiresAt <= now) continue;
      availability.activeGrant = {
        agentName: granted.agent.displayName,
        mine: forStart !== undefined && sameIdentity(granted.agent, forStart.agent),
        until: granted.grant.expiresAt,
      };
      break;
    }
    return availability;
  }

  /** Re-reads what the account allows and puts it on the session (so its card shows it), when it changed. */
  private async refreshAvailability(session: Session, trustedDevices: number): Promise<Session> {
    const own = session.prompt ? holdFor(session.prompt.id) : undefined;
    const fresh = await this.availabilityOf(session.accountId, trustedDevices, undefined, own);
    // The earlier grant is what the agent was told at the start; it does not change the methods.
    const { activeGrant } = session.availability ?? {};
    const availability = activeGrant ? { ...fresh, activeGrant } : fresh;
    if (JSON.stringify(availability) === JSON.stringify(session.availability ?? {})) return session;
    return this.applyIfLegal(session, () => ({ type: 'availability_changed', availability }));
  }

  /**
   * A denial, a fraud report or a PIN lock: every active grant on the account ends now, whoever holds it,
   * each with its reason on the agent's card and in the audit trail.
   */
  private async endGrantsFor(session: Session, alert: AccountAlert): Promise<void> {
    const ids = await this.deps.store.recall(this.accountScope(session.accountId), flags.grants);
    for (const id of ids) {
      if (id === session.id) continue;
      const granted = await this.deps.store.get(id);
      if (granted?.state !== 'verified') continue;
      await this.applyIfLegal(granted, (current) =>
        current.state === 'verified' ? { type: 'account_alert', alert } : undefined,
      );
    }
  }

  /** Resolves when every email and other after-the-answer task has finished; for shutdown and tests. */
  async idle(): Promise<void> {
    while (this.background.size > 0) await Promise.allSettled([...this.background]);
  }

  private async load(sessionId: string, actor?: Actor, current?: Session): Promise<Session> {
    const session = current?.id === sessionId ? current : await this.deps.store.get(sessionId);
    if (!session) throw new SessionNotFoundError(sessionId);
    if (actor?.kind === 'agent' && !sameIdentity(actor.who, session.agent)) {
      throw new NotAuthorizedError('only the agent who started this verification can act on it');
    }
    if (actor?.kind === 'customer') await this.assertCustomer(session, actor.who);
    const due = dueEvent(session, this.deps.clock.now());
    return due ? this.applyIfLegal(session, (current) => dueEvent(current, this.deps.clock.now())) : session;
  }

  /** Only the customer the session is for may answer; checked before anything is counted. */
  private async assertCustomer(session: Session, who: Identity): Promise<void> {
    if (sameIdentity(who, session.agent)) throw new NotAuthorizedError('the verifying agent is not the customer');
    if (!session.customer) throw new CustomerUnidentifiedError();
    if (!sameIdentity(session.customer, who)) {
      await this.customerRefused(session, who);
      throw new NotTheCustomerError();
    }
  }

  private async customerRefused(session: Session, who: Identity): Promise<void> {
    await this.audit('customer_refused', session, 'failure', {}, who);
  }

  /**
   * Takes the conversation for this session, atomically; a holder that has ended (or whose replica died
   * before it could let go) is cleared and the hold tried once more.
   */
  private async holdConversation(conversation: string, session: Session): Promise<void> {
    const { store } = this.deps;
    const scope = conversationScope(conversation);
    for (let attempt = 0; attempt < 2; attempt++) {
      const held = await store.take(scope, {
        counters: [],
        hold: { name: flags.running, value: session.id, ttlMs: this.ttl(session) },
      });
      if (held.granted) return;
      const holderId = await store.getFlag(scope, flags.running);
      const holder = holderId ? await this.load(holderId).catch(() => undefined) : undefined;
      if (holder && isOpen(holder)) throw new ConversationBusyError(holder.agent.displayName, holder.id);
      if (holderId) await store.clearFlag(scope, flags.running, holderId);
    }
    throw new SessionConflictError(session.id);
  }

  private async lockPins(session: Session, scope: string): Promise<{ session: Session; result: PinResult }> {
    const { store, pins } = this.deps;
    await store.setFlag(scope, flags.pinLock, '1', FIXED_LIMITS.pinLockHours * HOUR);
    await pins.revoke(session.accountId);
    const next = await this.applyIfLegal(session, () => ({ type: 'pin_locked' }));
    return { session: next, result: 'locked' };
  }

  /** Compare-and-set with re-reads; the winner runs the side effects of the transition exactly once. */
  private async apply(
    session: Session,
    event: SessionEvent | ((current: Session) => SessionEvent),
    allowance?: Announcement['allowance'],
  ): Promise<Session> {
    let current = session;
    for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
      const now = this.deps.clock.now();
      const applied = typeof event === 'function' ? event(current) : event;
      const next = transition(current, applied, now);
      const pending = this.announcement(next, this.commitWrites(current, next));
      if (allowance) pending.announce.allowance = allowance;
      const committed = await this.deps.store.replace(next, this.ttl(next, now), pending.announce);
      if (committed?.refused) throw new AllowanceRefused(committed.refused.refusedBy, committed.refused.retryAfterMs);
      if (committed) {
        await this.afterTransition(current, applied, next, () => this.announced(next, pending, committed));
        return next;
      }
      const fresh = await this.deps.store.get(session.id);
      if (!fresh) throw new SessionNotFoundError(session.id);
      current = fresh;
    }
    throw new SessionConflictError(session.id);
  }

  /** As {@link apply}, but a session that another replica already moved on is returned as it now is. */
  private async applyIfLegal(
    session: Session,
    event: (current: Session) => SessionEvent | undefined,
  ): Promise<Session> {
    let latest = session;
    try {
      return await this.apply(session, (current) => {
        latest = current;
        const next = event(current);
        if (!next) throw new IllegalTransitionError(current.state, 'nothing due');
        return next;
      });
    } catch (error) {
      if (error instanceof IllegalTransitionError) return (await this.deps.store.get(session.id)) ?? latest;
      throw error;
    }
  }

  private async afterTransition(
    prev: Session,
    event: SessionEvent,
    next: Session,
    announced: () => Promise<void>,
  ): Promise<void> {
    const alert = prev.state !== next.state ? alertOf(next) : undefined;
    const detail: AuditEvent['detail'] =
      event.type === 'account_alert'
        ? { endedBy: event.alert }
        : next.pinTriesLeft !== undefined
          ? { triesLeft: next.pinTriesLeft }
          : {};
    // Appended together, in order, so a log that batches writes them in one go.
    await Promise.all(auditFor(event, prev).map(([type, outcome]) => this.audit(type, next, outcome, detail)));
    if (alert) await this.endGrantsFor(next, alert);
    await announced();
    if (next.state === 'verified' || (FINAL_STATES.has(next.state) && prev.state !== 'verified')) {
      this.inBackground(this.mailOutcome(next), 'outcome email');
    }
  }

  private async mailOutcome(session: Session): Promise<void> {
    const account = await this.deps.accounts.summary(session.accountId);
    if (!account) return;
    const locale = account.locale;
    const channel =
      session.agent.channel === 'teams' ? 'Microsoft Teams' : session.agent.channel === 'slack' ? 'Slack' : 'web chat';
    const common = {
      name: account.displayName,
      agent: session.agent.displayName,
      company: this.deps.company,
      channel,
      when: formatDateTime(session.updatedAt, locale),
    };
    const verified = session.state === 'verified';
    const outcome: MessageKey =
      session.state === 'denied'
        ? 'mail.outcome.denied'
        : session.state === 'expired'
          ? 'mail.outcome.expired'
          : session.state === 'cancelled'
            ? 'mail.outcome.cancelled'
            : 'mail.outcome.failed';
    await this.deps.mailer.send({
      to: account.email,
      locale,
      subject: renderMessage(verified ? 'mail.verified.subject' : 'mail.attempt.subject', locale, common),
      text: verified
        ? renderMessage('mail.verified.body', locale, {
            ...common,
            method: renderMessage(session.method === 'device' ? 'mail.method.device' : 'mail.method.pin', locale),
            until: formatDateTime(session.grant?.expiresAt ?? session.updatedAt, locale),
          })
        : renderMessage('mail.attempt.body', locale, { ...common, outcome: renderMessage(outcome, locale) }),
    });
  }

  private inBackground(task: Promise<void>, what: string): void {
    const tracked = task.catch((error: unknown) => this.deps.onBackgroundError?.(error, what));
    this.background.add(tracked);
    void tracked.finally(() => this.background.delete(tracked));
  }

  private async audit(
    type: AuditEventType,
    session: Session,
    outcome: AuditEvent['outcome'],
    detail: AuditEvent['detail'] = {},
    customer: Identity | undefined = session.customer,
  ): Promise<void> {
    await this.deps.audit.append({
      type,
      at: this.deps.clock.now(),
      outcome,
      channel: session.agent.channel,
      sessionId: session.id,
      agent: auditIdentity(session.agent),
      ...(customer ? { customer: auditIdentity(customer) } : {}),
      account: this.deps.hashAccount(session.accountId),
      ...(session.method ? { method: session.method } : {}),
      ...(detail && Object.keys(detail).length > 0 ? { detail } : {}),
    });
  }

  /** What a transition writes besides the session, in the commit's step (see {@link ScopedWrite}). */
  private commitWrites(prev: Session, next: Session): ScopedWrite[] {
    const scope = this.accountScope(next.accountId);
    const writes: ScopedWrite[] = [];
    if (prev.prompt && prev.prompt.id !== next.prompt?.id)
      writes.push({ op: 'clear', scope, name: flags.pending, expected: holdFor(prev.prompt.id) });
    // Decided or ended: the conversation is free for the next verification.
    if (next.conversation && isOpen(prev) && !isOpen(next))
      writes.push({ op: 'clear', scope: conversationScope(next.conversation), name: flags.running, expected: next.id });
    const alert = prev.state !== next.state ? alertOf(next) : undefined;
    // A refusal on the device pauses prompts; any alert (a PIN lock too) ends the account's grants (afterTransition).
    if (alert && alert !== 'pin_locked') {
      const ttlMs = this.deps.policies.denyCooldownMinutes * MINUTE;
      writes.push({ op: 'set', scope, name: flags.cooldown, value: alert, ttlMs });
    }
    if (next.state === 'verified' && next.grant) {
      const ttlMs = next.grant.expiresAt - next.updatedAt;
      writes.push({ op: 'remember', scope, name: flags.grants, value: next.id, max: GRANTS_PER_ACCOUNT, ttlMs });
    }
    return writes;
  }

  /**
   * What a commit of `session` announces in its own step: the update every replica hears, its writes and next
   * deadline, and the render turn for this replica's renderer, if one runs here (the update then says so).
   */
  private announcement(session: Session, writes: ScopedWrite[]): Pending {
    const renderer = this.renderers.at(-1);
    const turn = renderer?.lease();
    const deadline = nextDeadline(session);
    const update: SessionUpdate = {
      sessionId: session.id,
      version: session.version,
      state: session.state,
      ...(deadline === undefined ? {} : { deadline }),
      ...(turn ? { turnMs: turn.turnMs } : {}),
    };
    const announce: Announcement = {
      bus: this.deps.bus,
      update,
      ...(turn ? { turn } : {}),
      ...(writes.length > 0 ? { writes } : {}),
      deadline: { schedule: this.deps.deadlines, at: deadline },
    };
    return { announce, ...(renderer ? { renderer } : {}) };
  }

  /** Once a commit's side effects are done: its next deadline, and this replica's render with the turn it took. */
  private async announced(session: Session, pending: Pending, committed: Committed): Promise<void> {
    const { turn } = pending.announce;
    if (turn && committed.turn) pending.renderer?.committed(session, turn, committed.turn);
  }

  private accountScope(accountId: string): string {
    return accountScope(this.deps.hashAccount(accountId));
  }

  private ttl(session: Session, now = this.deps.clock.now()): number {
    return Math.max(session.expiresAt, session.grant?.expiresAt ?? 0) - now + RETENTION_MS;
  }

  /** Three distinct two-digit numbers; the customer must pick the one the agent's side shows. */
  private numberChoices(): number[] {
    const choices = new Set<number>();
    while (choices.size < 3) choices.add(this.randomInt(10, 100));
    return [...choices];
  }
}

/** Where an agent's recent sessions are kept: hashed, so any platform's ids fit in a key's hash tag. */
function agentScope(agent: Identity): string {
  const key = `${agent.channel}\u0000${agent.workspaceId ?? ''}\u0000${agent.id}`;
  return `g:${createHash('sha256').update(key).digest('hex').slice(0, 32)}`;
}

/** A conversation's scope, hashed: the caller's key is already scoped (`slack:<team>:<channel>`), and may be long. */
function conversationScope(conversation: string): string {
  return `v:${createHash('sha256').update(conversation).digest('hex').slice(0, 32)}`;
}

/** An identity as audit entries carry it: channel, workspace and user, never a bare id. */
function auditIdentity(who: Identity): NonNullable<AuditEvent['agent']> {
  return { channel: who.channel, ...(who.workspaceId ? { workspaceId: who.workspaceId } : {}), id: who.id };
}

/** The account's pending-prompt hold names the prompt by its random part: short, and unique per account. */
function holdFor(promptId: string): string {
  return promptId.slice(promptId.lastIndexOf('.') + 1);
}

/** The alert a session's end raises for the account's other grants, if any. */
function alertOf(session: Session): AccountAlert | undefined {
  switch (session.reason) {
    case 'device_denied':
    case 'fraud_reported':
    case 'number_mismatch':
    case 'pin_locked':
      return session.reason;
    default:
      return undefined;
  }
}

function assertAllowed(session: Session, event: SessionEvent['type']): void {
  if (!ALLOWED_FROM[event].includes(session.state)) throw new IllegalTransitionError(session.state, event);
}

/** The audit entries a committed transition produces. */
function auditFor(event: SessionEvent, prev: Session): Array<[AuditEventType, AuditEvent['outcome']]> {
  switch (event.type) {
    case 'device_confirmed':
      return [
        ['device_prompt_confirmed', 'success'],
        ['grant_issued', 'success'],
      ];
    case 'pin_accepted':
      return [
        ['pin_accepted', 'success'],
        ['grant_issued', 'success'],
      ];
    case 'device_denied':
      return [[event.reason === 'fraud_reported' ? 'fraud_reported' : 'device_prompt_denied', 'failure']];
    case 'pin_rejected':
      return [['pin_wrong', 'failure']];
    case 'pin_locked':
      return [['pin_locked', 'failure']];
    case 'prompt_expired':
    case 'expire':
      return [['session_expired', 'failure']];
    case 'cancel':
      return [['session_cancelled', 'info']];
    case 'conversation_closed':
      return [[prev.state === 'verified' ? 'grant_revoked' : 'session_cancelled', 'info']];
    case 'revoke':
      return [['grant_revoked', 'info']];
    case 'grant_expired':
      return [['grant_expired', 'info']];
    case 'customer_identified':
      return [['customer_identified', 'info']];
    case 'account_alert':
      return [['grant_revoked', 'info']];
    case 'availability_changed':
      return [];
    case 'choose_device':
    case 'choose_pin':
    case 'prompt_undeliverable':
      // Audited by the caller once the prompt is delivered (or failed) or the method recorded.
      return [];
  }
}
