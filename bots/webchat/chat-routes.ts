import type { JSONSchemaType } from 'ajv';
import type { Request, Response } from 'restify';
import type { ClientAddresses } from '../../adapters/http/client-address.ts';
import type { ChatConversation, ChatMessage, SupportChat } from '../../core/chat.ts';
import { NotAuthorizedError, SessionNotFoundError } from '../../core/errors.ts';
import { type Locale, resolveLocale } from '../../core/messages/catalog.ts';
import type { PromptLinks } from '../../core/passkey-prompts.ts';
import type { Bus, ChatEvent } from '../../core/ports/index.ts';
import { SESSION_STATES } from '../../core/session.ts';
import type { PinResult, Verification } from '../../core/verification.ts';
import { bearerToken } from '../http/handler.ts';
import { parseJson, readBody } from '../http/json-body.ts';
import { HttpError, sendJson } from '../http/responses.ts';
import { bodyValidator } from '../http/validation.ts';

export const CONVERSATION_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/u;
const MAX_BODY_BYTES = 8 * 1024;
// Proxies drop quiet connections; a comment line every so often keeps the stream open.
const HEARTBEAT_MS = 25_000;

/** Request bodies of the chat API, as the routes validate them. */
export const CHAT_REQUEST_SCHEMAS = {
  open: {
    type: 'object',
    additionalProperties: false,
    properties: { locale: { type: 'string', enum: ['en', 'nl'], nullable: true } },
  } as JSONSchemaType<{ locale?: Locale }>,
  message: {
    type: 'object',
    additionalProperties: false,
    required: ['text'],
    properties: { text: { type: 'string', minLength: 1, maxLength: 4000 } },
  } as JSONSchemaType<{ text: string }>,
  end: { type: 'object', additionalProperties: false, properties: {} } as JSONSchemaType<Record<string, never>>,
  pin: {
    type: 'object',
    additionalProperties: false,
    required: ['pin'],
    properties: { pin: { type: 'string', minLength: 1, maxLength: 16 } },
  } as JSONSchemaType<{ pin: string }>,
};
const validateOpen = bodyValidator(CHAT_REQUEST_SCHEMAS.open);
const validateMessage = bodyValidator(CHAT_REQUEST_SCHEMAS.message);
const validateEnd = bodyValidator(CHAT_REQUEST_SCHEMAS.end);
const validatePin = bodyValidator(CHAT_REQUEST_SCHEMAS.pin);

const PIN_RESULTS = ['accepted', 'rejected', 'locked', 'busy'] as const satisfies readonly PinResult[];
const epochMs = { type: 'integer', description: 'Milliseconds since the epoch.' } as const;
const chatMessage = {
  type: 'object',
  additionalProperties: false,
  required: ['seq', 'from', 'text', 'at'],
  properties: {
    seq: { type: 'integer', minimum: 1, description: 'Orders the transcript; `after` and `Last-Event-ID` take it.' },
    from: { enum: ['customer', 'agent', 'bot'] },
    text: { type: 'string' },
    at: epochMs,
    author: { type: 'string', description: 'The agent’s display name, on their lines.' },
  },
} as const;
const chatVerification = {
  type: 'object',
  additionalProperties: false,
  required: ['order', 'state'],
  properties: {
    order: { type: 'array', items: { type: 'integer' }, minItems: 2, maxItems: 2 },
    state: { type: 'string', enum: [...SESSION_STATES] },
    method: { enum: ['device', 'pin'] },
    triesLeft: { type: 'integer', minimum: 0 },
    expiresAt: epochMs,
    number: { type: 'integer', description: 'The number the customer picks on their device.' },
    confirmUrl: {
      type: 'string',
      description:
        'With the built-in passkeys: the confirmation page of the pending prompt, to open on a trusted device.',
    },
  },
} as const;
const conversationView = {
  conversation: {
    type: 'object',
    additionalProperties: false,
    required: ['id', 'locale'],
    properties: { id: { type: 'string', format: 'uuid' }, locale: { enum: ['en', 'nl'] } },
  },
  verification: chatVerification,
} as const;

/** Answers of the chat API, and the data of its event stream's events. */
export const CHAT_RESPONSE_SCHEMAS = {
  message: chatMessage,
  verification: chatVerification,
  opened: {
    type: 'object',
    additionalProperties: false,
    required: ['conversation', 'token', 'messages'],
    properties: {
      ...conversationView,
      token: { type: 'string', description: 'Send it as `Authorization: Bearer` (the event stream: `?token=`).' },
      messages: { type: 'array', items: chatMessage },
    },
  },
  read: {
    type: 'object',
    additionalProperties: false,
    required: ['conversation', 'messages'],
    properties: { ...conversationView, messages: { type: 'array', items: chatMessage } },
  },
  said: {
    type: 'object',
    additionalProperties: false,
    required: ['message', 'warned'],
    properties: {
      message: chatMessage,
      warned: {
        type: 'boolean',
        description: 'The line held a secret (redacted) or a PIN too early; the bot said so.',
      },
      pin: { enum: PIN_RESULTS },
    },
  },
  pin: {
    type: 'object',
    additionalProperties: false,
    required: ['result', 'conversation'],
    properties: { result: { enum: PIN_RESULTS }, ...conversationView },
  },
  ended: {
    type: 'object',
    additionalProperties: false,
    required: ['ended', 'message'],
    properties: { ended: { const: true }, message: chatMessage },
  },
  closed: {
    type: 'object',
    additionalProperties: false,
    required: ['reason'],
    properties: { reason: { enum: ['replaced', 'idle', 'ended'] } },
  },
} as const;

export interface ChatRouteDeps {
  chat: SupportChat;
  verification: Verification;
  bus: Bus;
  /** Who a request counts against for the per-client limits (the proxy-aware address). */
  clients: ClientAddresses;
  /** With the built-in passkeys: each pending prompt's confirmation link. */
  promptLinks?: Pick<PromptLinks, 'urlFor'>;
}

/** What the event streams read: a conversation, its transcript and its verification, and the chat events. */
export interface ChatStreamDeps {
  chat: Pick<SupportChat, 'get' | 'transcript'>;
  verification: Pick<Verification, 'get'>;
  bus: Pick<Bus, 'subscribeChat'>;
  promptLinks?: Pick<PromptLinks, 'urlFor'>;
}

/** What the customer's page shows about the verification running in their conversation. */
export interface ChatVerificationView {
  /** Orders views: a later session, or a later version of the same one, replaces what the page shows. */
  order: [createdAt: number, version: number];
  state: string;
  method?: 'device' | 'pin';
  triesLeft?: number;
  expiresAt?: number;
  number?: number;
  confirmUrl?: string;
}

/** The support chat's HTTP API: open, read (and resume), stream, say, and give a PIN. */
export function chatRoutes(deps: ChatRouteDeps, limits: Partial<StreamLimits> = {}) {
  const hub = new ChatStreams(deps, limits);
  // Four: on two cores, 16 let a 2,000-stream storm push the Slack ack p99 to 85–1,311 ms; four keep it under 40.
  const handshakes = new Gate(4);

  async function authorized(req: Request): Promise<ChatConversation> {
    const id = String(req.params?.conversationId ?? '');
    if (!CONVERSATION_ID_PATTERN.test(id)) throw new HttpError(404, 'not_found', 'no such conversation');
    // EventSource cannot send headers, so the stream also takes the token as a query parameter.
    const token = bearerToken(req) ?? new URL(req.url ?? '/', 'http://x').searchParams.get('token') ?? '';
    try {
      return await deps.chat.authorize(id, token);
    } catch (error) {
      if (error instanceof NotAuthorizedError)
        throw new HttpError(401, 'unauthorized', 'this conversation needs its token');
      if (error instanceof SessionNotFoundError)
        throw new HttpError(404, 'not_found', 'no such conversation, or it ended after a while without messages');
      throw error;
    }
  }

  async function view(conversation: ChatConversation) {
    return {
      conversation: { id: conversation.id, locale: conversation.locale },
      verification: await verificationView(deps.verification, conversation, deps.promptLinks),
    };
  }

  return {
    hub,
    open: async (req: Request, res: Response) => {
      const raw = await readBody(req, 1024, { json: Number(req.headers['content-length'] ?? 0) > 0 });
      const body = validateOpen(raw.trim() === '' ? {} : parseJson(raw));
      const locale = body.locale ?? resolveLocale(req.headers['accept-language']);
      const { conversation, token } = await deps.chat.open(deps.clients.of(req), locale);
      sendJson(res, 201, {
        ...(await view(conversation)),
        token,
        messages: await deps.chat.transcript(conversation.id),
      });
    },
    read: async (req: Request, res: Response) => {
      const conversation = await authorized(req);
      const after = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('after') ?? 0);
      const messages = await deps.chat.transcript(conversation.id, Number.isFinite(after) ? after : 0);
      sendJson(res, 200, { ...(await view(conversation)), messages });
    },
    say: async (req: Request, res: Response) => {
      const conversation = await authorized(req);
      const { text } = validateMessage(parseJson(await readBody(req, MAX_BODY_BYTES)));
      const said = await deps.chat.customerSays(conversation, text);
      sendJson(res, 201, said);
    },
    pin: async (req: Request, res: Response) => {
      const conversation = await authorized(req);
      const { pin } = validatePin(parseJson(await readBody(req, 1024)));
      const result = await deps.chat.customerPin(conversation, pin.trim());
      sendJson(res, 200, { result, ...(await view(conversation)) });
    },
    end: async (req: Request, res: Response) => {
      const conversation = await authorized(req);
      const raw = await readBody(req, 64, { json: Number(req.headers['content-length'] ?? 0) > 0 });
      validateEnd(raw.trim() === '' ? {} : parseJson(raw));
      const message = await deps.chat.end(conversation);
      hub.ended(conversation.id);
      sendJson(res, 200, { ended: true, message });
    },
    stream: async (req: Request, res: Response) => {
      const resumeFrom = Number(
        req.headers['last-event-id'] ?? new URL(req.url ?? '/', 'http://x').searchParams.get('after') ?? 0,
      );
      // Waiting handshakes count against the replica's streams too, or a storm could queue without bound.
      if (handshakes.queued + hub.size >= (limits.perReplica ?? DEFAULT_STREAM_LIMITS.perReplica)) throw replicaFull();
      await handshakes.run(async () => {
        if (req.socket?.destroyed) return;
        const conversation = await authorized(req);
        await hub.attach(conversation, res, Number.isFinite(resumeFrom) ? resumeFrom : 0, deps.clients.of(req));
      });
    },
  };
}

export async function verificationView(
  verification: Pick<Verification, 'get'>,
  conversation: ChatConversation,
  links?: Pick<PromptLinks, 'urlFor'>,
): Promise<ChatVerificationView | undefined> {
  if (!conversation.sessionId) return undefined;
  const session = await verification.get(conversation.sessionId).catch(() => undefined);
  if (!session) return undefined;
  const confirmUrl = links?.urlFor(session);
  return {
    order: [session.createdAt, session.version],
    state: session.state,
    ...(session.state === 'awaiting_device' ? { method: 'device' as const } : {}),
    ...(session.state === 'awaiting_pin' ? { method: 'pin' as const, triesLeft: session.pinTriesLeft ?? 0 } : {}),
    ...(session.state === 'awaiting_device' && session.prompt
      ? {
          expiresAt: session.prompt.expiresAt,
          ...(session.prompt.matchNumber === undefined ? {} : { number: session.prompt.matchNumber }),
          ...(confirmUrl ? { confirmUrl } : {}),
        }
      : {}),
  };
}

/** How many event streams a replica keeps open, and when it closes one. */
export interface StreamLimits {
  /** Open streams per conversation; a new one closes the oldest (a final `closed` event says why). */
  perConversation: number;
  /** Open streams per client address on this replica; past it, 429. */
  perClient: number;
  /** Open streams on this replica; past it, 503 with Retry-After. */
  perReplica: number;
  /** A comment line this often, so proxies keep the connection and dead ones are found. */
  heartbeatMs: number;
  /** A stream with nothing to say for this long is closed; the page reconnects when it is looked at. */
  idleMs: number;
}

export const DEFAULT_STREAM_LIMITS: Readonly<StreamLimits> = {
  perConversation: 3,
  perClient: 20,
  perReplica: 5000,
  heartbeatMs: HEARTBEAT_MS,
  idleMs: 30 * 60_000,
};

// A client that has not read this much of what was written is not reading: its stream is dead.
const MAX_UNREAD_BYTES = 64 * 1024;

/**
 * The live connections (Server-Sent Events) this replica holds, by conversation. A chat event from any
 * replica makes each connection read what it has not sent yet from the store, so nothing is lost or doubled.
 * Every connection is bounded: per conversation, per client address and per replica, and closed when idle or
 * when its client stops reading.
 */
export class ChatStreams {
  private readonly open = new Map<string, Set<Stream>>();
  private readonly perClient = new Map<string, number>();
  private total = 0;
  private unsubscribe: (() => Promise<void>) | undefined;
  private heartbeat: ReturnType<typeof setInterval> | undefined;
  private readonly limits: StreamLimits;

  constructor(
    private readonly deps: ChatStreamDeps,
    limits: Partial<StreamLimits> = {},
  ) {
    this.limits = { ...DEFAULT_STREAM_LIMITS, ...limits };
  }

  /** Open streams on this replica. */
  get size(): number {
    return this.total;
  }

  async start(): Promise<void> {
    this.unsubscribe = await this.deps.bus.subscribeChat((event) => this.deliver(event));
    // One timer for every stream: a timer each would cost memory per stream and wake the loop N times.
    this.heartbeat = setInterval(() => this.beat(), this.limits.heartbeatMs);
    this.heartbeat.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.heartbeat);
    await this.unsubscribe?.();
    for (const streams of this.open.values()) for (const stream of streams) stream.res.end();
    this.open.clear();
  }

  /** Closes a conversation's streams once it has ended, after what was said last has been sent. */
  ended(conversationId: string): void {
    const streams = this.open.get(conversationId);
    if (!streams) return;
    for (const stream of [...streams])
      void stream.sending.then(async () => {
        await this.catchUp(conversationId, stream);
        this.forget(conversationId, streams, stream);
        close(stream, 'ended');
      });
  }

  /** Tells every open stream of a conversation that its verification changed: one read, one write each. */
  async verificationChanged(conversationId: string): Promise<void> {
    const streams = this.open.get(conversationId);
    if (!streams) return;
    const frame = await this.verificationFrame(conversationId);
    if (frame === undefined) return;
    for (const stream of streams) this.write(stream, frame);
  }

  /**
   * Opens a stream for `client` on a conversation it holds the token of. Refuses with 503 when the replica is
   * full and 429 when the client has its share open; throws before anything is written, so the refusal is
   * an ordinary JSON error.
   */
  async attach(conversation: ChatConversation, res: Response, after: number, client: string): Promise<void> {
    if (this.total >= this.limits.perReplica) throw replicaFull();
    if ((this.perClient.get(client) ?? 0) >= this.limits.perClient)
      throw new HttpError(429, 'rate_limited', 'too many chat connections open from here; close one first', {
        'retry-after': '30',
      });
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    const stream: Stream = { res, client, sent: after, sending: Promise.resolve(), lastSaid: Date.now() };
    const streams = this.open.get(conversation.id) ?? new Set<Stream>();
    // A Set keeps insertion order: the first is the oldest.
    while (streams.size >= this.limits.perConversation) {
      const [oldest] = streams;
      if (!oldest) break;
      this.forget(conversation.id, streams, oldest);
      close(oldest, 'replaced');
    }
    streams.add(stream);
    this.open.set(conversation.id, streams);
    this.total += 1;
    this.perClient.set(client, (this.perClient.get(client) ?? 0) + 1);
    res.on('close', () => this.forget(conversation.id, streams, stream));
    res.write('retry: 2000\n\n');
    await this.catchUp(conversation.id, stream);
    // To this stream only: telling the others too made N attaches cost N² writes. The conversation was just
    // read to authorize the stream; reading it again would double the store's work in a storm of attaches.
    this.write(stream, frameOf(await verificationView(this.deps.verification, conversation, this.deps.promptLinks)));
  }

  private forget(conversationId: string, streams: Set<Stream>, stream: Stream): void {
    if (!streams.delete(stream)) return;
    this.total -= 1;
    const left = (this.perClient.get(stream.client) ?? 1) - 1;
    if (left > 0) this.perClient.set(stream.client, left);
    else this.perClient.delete(stream.client);
    if (streams.size === 0 && this.open.get(conversationId) === streams) this.open.delete(conversationId);
  }

  private beat(): void {
    const now = Date.now();
    for (const [conversationId, streams] of this.open) {
      for (const stream of streams) {
        if (stream.res.writableLength > MAX_UNREAD_BYTES || stream.res.destroyed) {
          this.forget(conversationId, streams, stream);
          stream.res.destroy();
        } else if (now - stream.lastSaid >= this.limits.idleMs) {
          this.forget(conversationId, streams, stream);
          close(stream, 'idle');
        } else stream.res.write(': keep-alive\n\n');
      }
    }
  }

  private write(stream: Stream, frame: string): void {
    stream.lastSaid = Date.now();
    stream.res.write(frame);
  }

  private async verificationFrame(conversationId: string): Promise<string | undefined> {
    const conversation = await this.deps.chat.get(conversationId).catch(() => undefined);
    if (!conversation) return undefined;
    return frameOf(await verificationView(this.deps.verification, conversation, this.deps.promptLinks));
  }

  private async deliver(event: ChatEvent): Promise<void> {
    const streams = this.open.get(event.conversationId);
    if (!streams) return;
    for (const stream of streams) await this.catchUp(event.conversationId, stream);
    // A line from the bot usually means the verification moved on: the page's PIN field follows it.
    if (event.from === 'bot') await this.verificationChanged(event.conversationId);
  }

  // One read at a time per connection, so two events arriving together never send a line twice.
  private catchUp(conversationId: string, stream: Stream): Promise<void> {
    stream.sending = stream.sending.then(async () => {
      const messages: ChatMessage[] = await this.deps.chat.transcript(conversationId, stream.sent).catch(() => []);
      for (const message of messages) {
        this.write(stream, `id: ${message.seq}\nevent: message\ndata: ${JSON.stringify(message)}\n\n`);
        stream.sent = message.seq;
      }
    });
    return stream.sending;
  }
}

/** The answer when a replica holds all the streams it may: one policy for open streams and waiting handshakes. */
const replicaFull = () =>
  new HttpError(503, 'busy', 'too many open chat connections here; try again shortly', { 'retry-after': '5' });

const frameOf = (view: ChatVerificationView | undefined) =>
  `event: verification\ndata: ${JSON.stringify(view ?? null)}\n\n`;

/**
 * At most `size` at a time; the rest wait in order, holding nothing but their socket. A storm of stream
 * handshakes then queues here instead of ahead of every other request's store commands.
 */
export class Gate {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly size: number) {}

  /** Work waiting for a place. */
  get queued(): number {
    return this.waiting.length;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running += 1;
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    }
  }
}

/** Ends a stream with a last event saying why, so the page stops reconnecting on its own. */
function close(stream: Stream, reason: 'replaced' | 'idle' | 'ended'): void {
  stream.res.end(`event: closed\ndata: ${JSON.stringify({ reason })}\n\n`);
}

interface Stream {
  res: Response;
  client: string;
  sent: number;
  sending: Promise<void>;
  /** When something other than a heartbeat was last written. */
  lastSaid: number;
}
