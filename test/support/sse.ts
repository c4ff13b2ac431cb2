import { request as httpRequest } from 'node:http';

/** One event from a Server-Sent Events stream. */
export interface StreamEvent {
  id?: string;
  event: string;
  data: unknown;
}

export interface EventStream {
  events: StreamEvent[];
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The body of a refusal (a JSON error), or '' for a stream. */
  refusal: string;
  /** Comment lines (`: keep-alive`) received. */
  comments: number;
  /** Whether the server ended the stream. */
  ended(): boolean;
  close(): void;
}

/**
 * Reads a Server-Sent Events stream over a real connection as EventSource would, collecting every event until
 * closed; `localAddress` connects from another loopback address (another client to per-client limits).
 */
export function readEventStream(
  url: string,
  headers: Record<string, string> = {},
  localAddress?: string,
): Promise<EventStream> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { headers: { accept: 'text/event-stream', ...headers }, ...(localAddress ? { localAddress } : {}) },
      (res) => {
        let ended = false;
        const stream: EventStream = {
          events: [],
          status: res.statusCode ?? 0,
          headers: res.headers,
          refusal: '',
          comments: 0,
          ended: () => ended,
          close: () => req.destroy(),
        };
        let buffer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          if (stream.status !== 200) {
            stream.refusal += chunk;
            return;
          }
          buffer += chunk;
          let end = buffer.indexOf('\n\n');
          while (end >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const lines = block.split('\n').filter((l) => l !== '');
            stream.comments += lines.filter((l) => l.startsWith(':')).length;
            const fields = Object.fromEntries(
              lines
                .filter((l) => !l.startsWith(':'))
                .map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]),
            ) as Record<string, string>;
            if (fields.data !== undefined)
              stream.events.push({
                ...(fields.id ? { id: fields.id } : {}),
                event: fields.event ?? 'message',
                data: JSON.parse(fields.data),
              });
            end = buffer.indexOf('\n\n');
          }
        });
        const finish = () => {
          ended = true;
        };
        res.on('end', finish);
        res.on('close', finish);
        res.on('error', finish);
        if (stream.status === 200) resolve(stream);
        else res.on('end', () => resolve(stream));
      },
    );
    req.on('error', (error) => {
      if ((error as NodeJS.ErrnoException).code !== 'ECONNRESET') reject(error);
    });
    req.end();
  });
}
