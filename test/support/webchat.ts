import type { App } from '../../bots/server.ts';
import { type ChatMessage, webChatStart } from '../../core/chat.ts';
import type { Session } from '../../core/session.ts';
import { type HttpAnswer, request } from './http.ts';
import { type EventStream, readEventStream } from './sse.ts';

/** The agent who verifies web chat customers in these tests (from Slack, where the relay thread is). */
export const WEBCHAT_AGENT = {
  id: 'U0AGENT01',
  displayName: 'Robin Agent',
  channel: 'slack' as const,
  workspaceId: 'T0SUPPORT',
  locale: 'en' as const,
};

/** A customer's side of the chat API, as the page uses it. */
export class ChatClient {
  conversationId = '';
  token = '';

  constructor(
    private readonly baseUrl: string,
    private readonly headers: Record<string, string> = {},
    /** Another loopback address to send from: another client to the per-client limits. */
    private readonly localAddress?: string,
  ) {}

  private from(): { localAddress?: string } {
    return this.localAddress ? { localAddress: this.localAddress } : {};
  }

  async open(body?: unknown): Promise<HttpAnswer> {
    const answer = await request(`${this.baseUrl}/v1/chat/conversations`, {
      ...this.from(),
      method: 'POST',
      headers: { 'content-type': 'application/json', ...this.headers },
      body: body === undefined ? '' : JSON.stringify(body),
    });
    if (answer.status === 201) {
      this.conversationId = String((answer.json.conversation as { id: string }).id);
      this.token = String(answer.json.token);
    }
    return answer;
  }

  private url(path = '') {
    return `${this.baseUrl}/v1/chat/conversations/${this.conversationId}${path}`;
  }

  read(after = 0, token = this.token): Promise<HttpAnswer> {
    return request(`${this.url()}?after=${after}`, { ...this.from(), headers: { authorization: `Bearer ${token}` } });
  }

  say(text: unknown, token = this.token): Promise<HttpAnswer> {
    return request(this.url('/messages'), {
      ...this.from(),
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text }),
    });
  }

  pin(pin: string): Promise<HttpAnswer> {
    return request(this.url('/pin'), {
      method: 'POST',
      headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ pin }),
    });
  }

  async messages(): Promise<ChatMessage[]> {
    return (await this.read()).json.messages as ChatMessage[];
  }

  /** Opens the live stream as EventSource would (token in the query), collecting every event. */
  stream(lastEventId?: number): Promise<EventStream> {
    return readEventStream(
      `${this.url('/events')}?token=${encodeURIComponent(this.token)}`,
      lastEventId ? { 'last-event-id': String(lastEventId) } : {},
      this.localAddress,
    );
  }
}

export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`never happened: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A verification started for the customer of a web chat conversation and tied to it, as the relay does. */
export async function verificationInChat(
  app: App,
  conversationId: string,
  query = 'alex@example.com',
): Promise<Session> {
  const session = await app.verification.start({ agent: WEBCHAT_AGENT, query, ...webChatStart(conversationId) });
  await app.chat.link(conversationId, session.id);
  return session;
}
