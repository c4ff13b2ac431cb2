import type { JSONSchemaType } from 'ajv';
import type { Request, Response } from 'restify';
import type { ChatConversation, ChatMessage, SupportChat } from '../../core/chat.ts';
import { NotAuthorizedError, SessionNotFoundError } from '../../core/errors.ts';
import { type Locale, resolveLocale } from '../../core/messages/catalog.ts';
import type { Bus, ChatEvent } from '../../core/ports/index.ts';
import type { Verification } from '../../core/verification.ts';
import { bearerToken } from '../http/handler.ts';
import { parseJson, readBody } from '../http/json-body.ts';
import { HttpError, sendJson } from '../http/responses.ts';
import { bodyValidator } from '../http/validation.ts';

const CONVERSATION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/u;
const MAX_BODY_BYTES = 8 * 1024;
// Proxies drop quiet connections; a comment line every so often keeps the stream open.
const HEARTBEAT_MS = 25_000;

const validateOpen = bodyValidator<{ locale?: Locale }>({
  type: 'object',
  additionalProperties: false,
  properties: { locale: { type: 'string', enum: ['en', 'nl'], nullable: true } },
} as JSONSchemaType<{ locale?: Locale }>);
const validateMessage = bodyValidator<{ text: string }>({
  type: 'object',
  additionalProperties: false,
  required: ['text'],
  properties: { text: { type: 'string', minLength: 1, maxLength: 4000 } },
});
const validatePin = bodyValidator<{ pin: string }>({
  type: 'object',
  additionalProperties: false,
  required: ['pin'],
  properties: { pin: { type: 'string', minLength: 1, maxLength: 16 } },
});

export interface ChatRouteDeps {
  chat: SupportChat;
  verification: Verification;
  bus: Bus;
}

/** What the customer's page shows about the verification running in their conversation. */
export interface ChatVerificationView {
  state: string;
  method?: 'device' | 'pin';
  triesLeft?: number;
  expiresAt?: number;
  number?: number;
}

/** The support chat's HTTP API: open, read (and resume), stream, say, and give a PIN. */
export function chatRoutes(deps: ChatRouteDeps) {
  const hub = new ChatStreams(deps);

  async function authorized(req: Request): Promise<ChatConversation> {
    const id = String(req.params?.conversationId ?? '');
    if (!CONVERSATION_ID.test(id)) throw new HttpError(404, 'not_found', 'no such conversation');
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
      verification: await verificationView(deps.verification, conversation),
    };
  }

  return {
    hub,
    open: async (req: Request, res: Response) => {
      const raw = await readBody(req, 1024, { json: Number(req.headers['content-length'] ?? 0) > 0 });
      const body = validateOpen(raw.trim() === '' ? {} : parseJson(raw));
      const locale = body.locale ?? resolveLocale(req.headers['accept-language']);
      const { conversation, token } = await deps.chat.open(clientKey(req), locale);
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
    stream: async (req: Request, res: Response) => {
      const conversation = await authorized(req);
      const resumeFrom = Number(
        req.headers['last-event-id'] ?? new URL(req.url ?? '/', 'http://x').searchParams.get('after') ?? 0,
      );
      await hub.attach(conversation, res, Number.isFinite(resumeFrom) ? resumeFrom : 0);
    },
  };
}

/** The client a new conversation counts against; the socket's address (a proxy in front is one client). */
function clientKey(req: Request): string {
  return req.socket?.remoteAddress ?? 'unknown';
}

export async function verificationView(
  verification: Verification,
  conversation: ChatConversation,
): Promise<ChatVerificationView | undefined> {
  if (!conversation.sessionId) return undefined;
  const session = await verification.get(conversation.sessionId).catch(() => undefined);
  if (!session) return undefined;
  return {
    state: session.state,
    ...(session.state === 'awaiting_device' ? { method: 'device' as const } : {}),
    ...(session.state === 'awaiting_pin' ? { method: 'pin' as const, triesLeft: session.pinTriesLeft ?? 0 } : {}),
    ...(session.state === 'awaiting_device' && session.prompt
      ? {
          expiresAt: session.prompt.expiresAt,
          ...(session.prompt.matchNumber === undefined ? {} : { number: session.prompt.matchNumber }),
        }
      : {}),
  };
}

/**
 * The live connections (Server-Sent Events) this replica holds, by conversation. A chat event from any
 * replica makes each connection read what it has not sent yet from the store, so nothing is lost or doubled.
 */
export class ChatStreams {
  private readonly open = new Map<string, Set<Stream>>();
  private unsubscribe: (() => Promise<void>) | undefined;

  constructor(private readonly deps: ChatRouteDeps) {}

  async start(): Promise<void> {
    this.unsubscribe = await this.deps.bus.subscribeChat((event) => this.deliver(event));
  }

  async stop(): Promise<void> {
    await this.unsubscribe?.();
    for (const streams of this.open.values()) for (const stream of streams) stream.res.end();
    this.open.clear();
  }

  /** Tells every open stream of a conversation that its verification changed. */
  async verificationChanged(conversationId: string): Promise<void> {
    const streams = this.open.get(conversationId);
    if (!streams) return;
    const conversation = await this.deps.chat.get(conversationId).catch(() => undefined);
    if (!conversation) return;
    const view = await verificationView(this.deps.verification, conversation);
    for (const stream of streams) stream.res.write(`event: verification\ndata: ${JSON.stringify(view ?? null)}\n\n`);
  }

  async attach(conversation: ChatConversation, res: Response, after: number): Promise<void> {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    const stream: Stream = { res, sent: after, sending: Promise.resolve() };
    const streams = this.open.get(conversation.id) ?? new Set<Stream>();
    streams.add(stream);
    this.open.set(conversation.id, streams);
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
    heartbeat.unref();
    res.on('close', () => {
      clearInterval(heartbeat);
      streams.delete(stream);
      if (streams.size === 0) this.open.delete(conversation.id);
    });
    res.write('retry: 2000\n\n');
    await this.catchUp(conversation.id, stream);
    await this.verificationChanged(conversation.id);
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
        stream.res.write(`id: ${message.seq}\nevent: message\ndata: ${JSON.stringify(message)}\n\n`);
        stream.sent = message.seq;
      }
    });
    return stream.sending;
  }
}

interface Stream {
  res: Response;
  sent: number;
  sending: Promise<void>;
}
