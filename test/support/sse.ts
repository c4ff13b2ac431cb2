/** One event from a Server-Sent Events stream. */
export interface StreamEvent {
  id?: string;
  event: string;
  data: unknown;
}

export interface EventStream {
  events: StreamEvent[];
  status: number;
  close(): void;
}

/** Reads a Server-Sent Events stream as EventSource would, collecting every event until closed. */
export async function readEventStream(url: string, headers: Record<string, string> = {}): Promise<EventStream> {
  const controller = new AbortController();
  const response = await fetch(url, {
    headers: { accept: 'text/event-stream', ...headers },
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
