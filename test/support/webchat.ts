import type { ChatMessage } from '../../core/chat.ts';
import { type HttpAnswer, request } from './http.ts';

/** One event from a Server-Sent Events stream. */
export interface StreamEvent {
  id?: string;
  event: string;
  data: unknown;
}

/** A customer's side of the chat API, as the page uses it. */
export class ChatClient {
  conversationId = '';
  token = '';

  constructor(
    private readonly baseUrl: string,
    private readonly headers: Record<string, string> = {},
  ) {}

  async open(body?: unknown): Promise<HttpAnswer> {
    const answer = await request(`${this.baseUrl}/v1/chat/conversations`, {
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
    return request(`${this.url()}?after=${after}`, { headers: { authorization: `Bearer ${token}` } });
  }

  say(text: unknown, token = this.token): Promise<HttpAnswer> {
    return request(this.url('/messages'), {
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
  async stream(lastEventId?: number): Promise<{ events: StreamEvent[]; status: number; close(): void }> {
    const controller = new AbortController();
    const response = await fetch(`${this.url('/events')}?token=${encodeURIComponent(this.token)}`, {
      headers: { accept: 'text/event-stream', ...(lastEventId ? { 'last-event-id': String(lastEventId) } : {}) },
      signal: controller.signal,
    });
    const events: StreamEvent[] = [];
    const reader = response.body?.getReader();
    void (async () => {
      let buffer = '';
      const decoder = new TextDecoder();
      try {
        for (;;) {
          const chunk = await reader?.read();
          if (!chunk || chunk.done) return;
          buffer += decoder.decode(chunk.value, { stream: true });
          let end = buffer.indexOf('\n\n');
          while (end >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const fields = Object.fromEntries(
              block
                .split('\n')
                .filter((l) => l && !l.startsWith(':'))
                .map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]),
            ) as Record<string, string>;
            if (fields.data !== undefined)
              events.push({
                ...(fields.id ? { id: fields.id } : {}),
                event: fields.event ?? 'message',
                data: JSON.parse(fields.data),
              });
            end = buffer.indexOf('\n\n');
          }
        }
      } catch {
        // Aborted by close().
      }
    })();
    return { events, status: response.status, close: () => controller.abort() };
  }
}

export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`never happened: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
