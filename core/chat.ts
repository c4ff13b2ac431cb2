import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { ConversationGuard } from './conversation-guard.ts';
import { NotAuthorizedError, RateLimitedError, RequestInvalidError, SessionNotFoundError } from './errors.ts';
import type { Finding } from './guard/index.ts';
import { assertSafeOutbound } from './guard/outbound.ts';
import { type Locale, renderMessage } from './messages/catalog.ts';
import type { Bus, Clock, Deadlines, SessionStore } from './ports/index.ts';
import type { Identity } from './session.ts';
import type { PinResult, StartInput, Verification } from './verification.ts';

/** The session ref that ties a verification to the web chat conversation it runs in. */
export const WEBCHAT_REF = 'webchat';

/** A web chat customer is whoever holds the conversation's token: the conversation is their identity. */
export function webChatCustomer(conversationId: string): Identity {
  return { channel: 'webchat', id: conversationId };
}

/**
 * What a verification started from a relayed web chat thread carries: its customer, the conversation it
 * holds while it runs (so a second agent cannot take it over), and the ref its renders find the chat by.
 */
export function webChatStart(conversationId: string): Required<Pick<StartInput, 'customer' | 'conversation' | 'refs'>> {
  return {
    customer: webChatCustomer(conversationId),
    conversation: `webchat:${conversationId}`,
    refs: { [WEBCHAT_REF]: conversationId },
  };
}

/** One line of a support chat, as stored and as shown: customer text only ever in its redacted form. */
export interface ChatMessage {
  seq: number;
  from: 'customer' | 'agent' | 'bot';
  text: string;
  at: number;
  /** The agent's display name, for their lines. */
  author?: string;
}

export interface ChatConversation {
  id: string;
  locale: Locale;
  createdAt: number;
  /** The verification running in this conversation, when an agent started one from it. */
  sessionId?: string;
  /** Where the conversation is relayed to agents (a Slack thread, a Teams conversation), by relay name. */
  relays?: Record<string, string>;
}

export interface ChatLimits {
  /** A conversation ends this long after its last message. */
  idleMinutes: number;
  messagesPerMinute: number;
  conversationsPerHourPerClient: number;
  maxMessageLength: number;
  /** How many messages a conversation keeps (the transcript shown after a reload). */
  transcriptSize: number;
}

export const DEFAULT_CHAT_LIMITS: Readonly<ChatLimits> = {
  idleMinutes: 30,
  messagesPerMinute: 20,
  conversationsPerHourPerClient: 10,
  maxMessageLength: 2000,
  transcriptSize: 200,
};

export interface SupportChatDeps {
  store: SessionStore;
  bus: Bus;
  clock: Clock;
  verification: Verification;
  /** Keys the conversation tokens; a secret of at least 32 characters. */
  tokenKey: string;
  /** When each conversation ends for quiet, where any replica can end its verification then. */
  idleEnds: Deadlines;
  /** How often this replica ends the conversations gone quiet. */
  sweepMs?: number;
  limits?: Partial<ChatLimits>;
  onSecretRedacted?(input: { findings: Finding[]; sessionId?: string }): Promise<void>;
}

const MINUTE = 60_000;
// Links outlive any conversation's idle time; the conversation itself ends with its metadata.
const LINK_TTL_MS = 24 * 60 * MINUTE;
const RELAYS = ['slack', 'teams'] as const;
const scope = (id: string) => `c:${id}`;

/**
 * The customer's support chat, independent of any web framework: conversations, their transcripts, the guard
 * on every customer line, rate limits, and the PIN a customer gives while one is expected. Every change is
 * announced on the bus, so the customer's live connection and the agents' relays on any replica hear it.
 */
export class SupportChat {
  readonly limits: Readonly<ChatLimits>;
  private readonly guard: ConversationGuard;
  private sweeper: ReturnType<typeof setInterval> | undefined;
  private sweeping: Promise<void> | undefined;

  constructor(private readonly deps: SupportChatDeps) {
    this.limits = { ...DEFAULT_CHAT_LIMITS, ...deps.limits };
    this.guard = new ConversationGuard(deps.store, deps.clock);
  }

  /** Opens a conversation for a client (an address or similar key), within the per-client limit. */
  async open(clientKey: string, locale: Locale): Promise<{ conversation: ChatConversation; token: string }> {
    const allowance = await this.deps.store.take(`k:chat-client:${clientKey}`, {
      counters: [{ name: 'opened', limit: this.limits.conversationsPerHourPerClient, windowMs: 60 * MINUTE }],
    });
    if (!allowance.granted) throw new RateLimitedError('chat-conversations', allowance.retryAfterMs);
    const conversation: ChatConversation = { id: randomUUID(), locale, createdAt: this.deps.clock.now() };
    await this.save(conversation);
    await this.append(conversation, { from: 'bot', text: renderMessage('customer.chat.welcome', locale) });
    return { conversation, token: this.token(conversation.id) };
  }

  /** The conversation a token opens; refuses a wrong token and an ended conversation alike. */
  async authorize(conversationId: string, token: string): Promise<ChatConversation> {
    const expected = Buffer.from(this.token(conversationId));
    const given = Buffer.from(token);
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      throw new NotAuthorizedError('not this conversation’s token');
    return this.get(conversationId);
  }

  async get(conversationId: string): Promise<ChatConversation> {
    const [raw, sessionId, ...relayRefs] = await Promise.all([
      this.deps.store.getFlag(scope(conversationId), 'meta'),
      this.deps.store.getFlag(scope(conversationId), 'session'),
      ...RELAYS.map((relay) => this.deps.store.getFlag(scope(conversationId), `relay:${relay}`)),
    ]);
    if (!raw) throw new SessionNotFoundError(conversationId);
    const relays = Object.fromEntries(
      RELAYS.map((relay, i) => [relay, relayRefs[i]]).filter(([, ref]) => ref !== undefined),
    ) as Record<string, string>;
    const { id, locale, createdAt } = JSON.parse(raw) as ChatConversation;
    return {
      id,
      locale,
      createdAt,
      ...(sessionId ? { sessionId } : {}),
      ...(Object.keys(relays).length > 0 ? { relays } : {}),
    };
  }

  /** The transcript after `afterSeq`, oldest first. */
  async transcript(conversationId: string, afterSeq = 0): Promise<ChatMessage[]> {
    const lines = await this.deps.store.recall(scope(conversationId), 'lines');
    return lines
      .map((line) => JSON.parse(line) as ChatMessage)
      .filter((m) => m.seq > afterSeq)
      .sort((a, b) => a.seq - b.seq);
  }

  /**
   * A customer's line: scanned by the guard first, so only the redacted text is stored, relayed or logged; a
   * PIN is taken, never shown, while the conversation's verification expects one.
   */
  async customerSays(
    conversation: ChatConversation,
    text: string,
  ): Promise<{ message: ChatMessage; warned: boolean; pin?: PinResult }> {
    const trimmed = text.trim();
    if (trimmed.length === 0) throw new RequestInvalidError(['a message needs some text']);
    if (trimmed.length > this.limits.maxMessageLength)
      throw new RequestInvalidError([`a message is at most ${this.limits.maxMessageLength} characters`]);
    await this.countMessage(conversation);
    const session = conversation.sessionId
      ? await this.deps.verification.get(conversation.sessionId).catch(() => undefined)
      : undefined;
    // The marker is in the customer's language, for them and for the agent who reads the relayed line.
    const scan = await this.guard.line(scope(conversation.id), 'customer', trimmed, {
      expectingPin: session?.state === 'awaiting_pin',
      locale: conversation.locale,
    });
    const message = await this.append(conversation, { from: 'customer', text: scan.redacted });
    const warned = scan.findings.length > 0 || scan.earlyPin;
    if (scan.findings.length > 0) {
      await this.deps.onSecretRedacted?.({ findings: scan.findings, ...(session ? { sessionId: session.id } : {}) });
      await this.append(conversation, {
        from: 'bot',
        text: renderMessage('customer.secret_warning', conversation.locale),
      });
    } else if (scan.earlyPin) {
      await this.append(conversation, { from: 'bot', text: renderMessage('customer.pin_early', conversation.locale) });
    }
    if (session && scan.pin) {
      const { result } = await this.deps.verification.submitPin(session.id, scan.pin, {
        kind: 'customer',
        who: webChatCustomer(conversation.id),
      });
      return { message, warned, pin: result };
    }
    return { message, warned };
  }

  /** The PIN field in the chat: 4 digits, taken only while the conversation's verification expects one. */
  async customerPin(conversation: ChatConversation, pin: string): Promise<PinResult> {
    if (!/^\d{4}$/u.test(pin)) throw new RequestInvalidError(['a support PIN is exactly 4 digits']);
    if (!conversation.sessionId) throw new RequestInvalidError(['no verification is waiting for a PIN']);
    await this.countMessage(conversation);
    const { result } = await this.deps.verification.submitPin(conversation.sessionId, pin, {
      kind: 'customer',
      who: webChatCustomer(conversation.id),
    });
    return result;
  }

  /** An agent's line, relayed from where agents work; it must not ask for a secret. */
  async agentSays(conversationId: string, text: string, author: string): Promise<ChatMessage> {
    const conversation = await this.get(conversationId);
    assertSafeOutbound(text, 'agent message');
    // An agent who names a security question arms the customer's answer that may follow.
    await this.guard.otherLine(scope(conversationId), text);
    return this.append(conversation, { from: 'agent', text: text.slice(0, this.limits.maxMessageLength), author });
  }

  /** A line from the bot (instructions, outcomes) in the customer's language. */
  async botSays(conversationId: string, text: string): Promise<ChatMessage> {
    const conversation = await this.get(conversationId);
    return this.append(conversation, { from: 'bot', text });
  }

  /** Ties a verification to the conversation, so the customer's PIN and updates go to it. */
  async link(conversationId: string, sessionId: string): Promise<ChatConversation> {
    await this.get(conversationId);
    await this.deps.store.setFlag(scope(conversationId), 'session', sessionId, LINK_TTL_MS);
    return this.get(conversationId);
  }

  /**
   * The customer ends the conversation: a verification running in it stops and a grant from it ends (the
   * agent's card says so), the customer is told, and its token opens nothing any more.
   */
  async end(conversation: ChatConversation): Promise<ChatMessage> {
    await this.deps.verification.closeConversation(webChatStart(conversation.id).conversation);
    const goodbye = await this.append(conversation, {
      from: 'bot',
      text: renderMessage('customer.chat.ended', conversation.locale),
    });
    await this.deps.store.clearFlag(scope(conversation.id), 'meta');
    await this.deps.idleEnds.clear(conversation.id);
    return goodbye;
  }

  async setRelay(conversationId: string, relay: (typeof RELAYS)[number], ref: string): Promise<void> {
    await this.deps.store.setFlag(scope(conversationId), `relay:${relay}`, ref, LINK_TTL_MS);
  }

  private async countMessage(conversation: ChatConversation): Promise<void> {
    const allowance = await this.deps.store.take(scope(conversation.id), {
      counters: [{ name: 'rate', limit: this.limits.messagesPerMinute, windowMs: MINUTE }],
    });
    if (!allowance.granted) throw new RateLimitedError('chat-messages', allowance.retryAfterMs);
  }

  private async append(conversation: ChatConversation, line: Omit<ChatMessage, 'seq' | 'at'>): Promise<ChatMessage> {
    const idleMs = this.limits.idleMinutes * MINUTE;
    const next = await this.deps.store.take(scope(conversation.id), {
      counters: [{ name: 'seq', limit: Number.MAX_SAFE_INTEGER, windowMs: 24 * 60 * MINUTE }],
    });
    if (!next.granted) throw new RateLimitedError('chat-messages', next.retryAfterMs);
    const message: ChatMessage = { ...line, seq: next.counts[0] ?? 0, at: this.deps.clock.now() };
    await this.deps.store.remember(
      scope(conversation.id),
      'lines',
      JSON.stringify(message),
      this.limits.transcriptSize,
      idleMs,
    );
    await this.save(conversation);
    await this.deps.bus.publishChat({ conversationId: conversation.id, seq: message.seq, from: message.from });
    return message;
  }

  // Every save renews the inactivity clock: a conversation lives until it has been quiet for idleMinutes. Only
  // the fields fixed at opening are written here, so a save never undoes a link or a relay made meanwhile.
  private async save(conversation: ChatConversation): Promise<void> {
    const { id, locale, createdAt } = conversation;
    const idleMs = this.limits.idleMinutes * MINUTE;
    const at = this.deps.clock.now();
    await this.deps.store.setFlag(scope(id), 'meta', JSON.stringify({ id, locale, createdAt, at }), idleMs);
    await this.deps.idleEnds.set(id, at + idleMs);
  }

  /** Starts ending, on this replica too, the conversations that went quiet (and the access granted in them). */
  start(): void {
    this.sweeper = setInterval(() => {
      this.sweeping ??= this.endIdle()
        .then(() => undefined)
        .catch(() => undefined)
        .finally(() => {
          this.sweeping = undefined;
        });
    }, this.deps.sweepMs ?? 5000);
    this.sweeper.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.sweeper);
    await this.sweeping;
  }

  /**
   * Ends what ran in the conversations that have been quiet for `idleMinutes`: their metadata has lapsed, so
   * the chat is over, and a verification or grant from it ends with it. Resolves with how many it ended.
   */
  async endIdle(max = 100): Promise<number> {
    let ended = 0;
    for (const id of await this.deps.idleEnds.claimDue(this.deps.clock.now(), max, 60_000)) {
      const meta = await this.deps.store.getFlag(scope(id), 'meta');
      if (meta) {
        // Written to since, or claimed a moment before its metadata lapsed: due again when it goes quiet.
        const { at } = JSON.parse(meta) as { at?: number };
        const idleAt = (at ?? this.deps.clock.now()) + this.limits.idleMinutes * MINUTE;
        await this.deps.idleEnds.set(id, Math.max(idleAt, this.deps.clock.now() + 1000));
        continue;
      }
      await this.deps.verification.closeConversation(webChatStart(id).conversation);
      await this.deps.idleEnds.clear(id);
      ended += 1;
    }
    return ended;
  }

  private token(conversationId: string): string {
    return createHmac('sha256', this.deps.tokenKey).update(`chat:${conversationId}`).digest('base64url');
  }
}
