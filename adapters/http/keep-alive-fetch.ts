import http from 'node:http';
import https from 'node:https';

/** A `fetch` for the server's outbound calls, and the sockets it keeps open between them. */
export interface KeepAliveFetch {
  fetch: typeof fetch;
  /** Closes every socket kept open; calls after this still work, on new sockets. */
  close(): void;
}

export interface KeepAliveFetchOptions {
  /** Sockets per origin at most (requests beyond wait for one); 50 unless set. */
  maxSockets?: number;
  /** The largest response body read, in bytes; a longer one fails the call. 8 MiB unless set. */
  maxBodyBytes?: number;
  /** Where what this cannot do itself goes (a redirect to follow, a streamed or multipart body). */
  fallback?: typeof fetch;
  /** For tests: the TLS agent's options (a test CA). */
  tls?: https.AgentOptions;
}

const NO_BODY_STATUSES = new Set([101, 204, 205, 304]);
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

/**
 * The WHATWG `fetch` the Slack Web API client, the account directory and the signed webhooks call, over `node:http`
 * with keep-alive agents. Node's own fetch (undici) costs about three times the CPU per call (measured here: 300 µs
 * against 125 µs for a small JSON answer), and every verification makes five outbound calls. It takes what those
 * callers send (a string, bytes or URLSearchParams body; headers in any form; an AbortSignal) and answers a real
 * `Response`. A redirect is never followed here: `redirect: 'error'` fails, `'manual'` answers it, and the default
 * `'follow'` is handed to `fallback` (Node's fetch), as is any body this does not send itself.
 */
export function createKeepAliveFetch(options: KeepAliveFetchOptions = {}): KeepAliveFetch {
  const maxSockets = options.maxSockets ?? 50;
  const maxBodyBytes = options.maxBodyBytes ?? 8 * 1024 * 1024;
  const fallback = options.fallback ?? globalThis.fetch;
  const agents = {
    'http:': new http.Agent({ keepAlive: true, maxSockets }),
    'https:': new https.Agent({ keepAlive: true, maxSockets, ...options.tls }),
  };

  const send = (
    url: URL,
    method: string,
    headers: Record<string, string>,
    body: Uint8Array | undefined,
    signal?: AbortSignal,
  ) =>
    new Promise<{ status: number; statusText: string; headers: [string, string][]; body: Buffer; reused: boolean }>(
      (resolve, reject) => {
        const transport = url.protocol === 'https:' ? https : http;
        let request: http.ClientRequest;
        try {
          request = transport.request({
            protocol: url.protocol,
            hostname: url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname,
            port: url.port,
            path: `${url.pathname}${url.search}`,
            method,
            headers: body === undefined ? headers : { ...headers, 'content-length': String(body.byteLength) },
            agent: agents[url.protocol as 'http:' | 'https:'],
          });
        } catch (error) {
          // A header Node will not send (a line break in a value): refused before anything leaves, as fetch does.
          reject(new TypeError('fetch failed', { cause: error }));
          return;
        }
        let reused = false;
        request.on('socket', () => {
          reused = request.reusedSocket;
        });
        const abort = () => {
          request.destroy();
          reject(signal?.reason);
        };
        signal?.addEventListener('abort', abort, { once: true });
        const done = () => signal?.removeEventListener('abort', abort);
        request.on('error', (error) => {
          done();
          reject(Object.assign(new TypeError('fetch failed', { cause: error }), { reused }));
        });
        request.on('response', (response) => {
          const chunks: Buffer[] = [];
          let length = 0;
          response.on('data', (chunk: Buffer) => {
            length += chunk.byteLength;
            if (length > maxBodyBytes) {
              done();
              request.destroy();
              reject(new TypeError(`fetch failed: the response body is over ${maxBodyBytes} bytes`));
              return;
            }
            chunks.push(chunk);
          });
          response.on('error', (error) => {
            done();
            reject(new TypeError('fetch failed', { cause: error }));
          });
          response.on('end', () => {
            done();
            const answered: [string, string][] = [];
            const raw = response.rawHeaders;
            for (let i = 0; i + 1 < raw.length; i += 2) answered.push([raw[i] as string, raw[i + 1] as string]);
            resolve({
              status: response.statusCode ?? 0,
              statusText: response.statusMessage ?? '',
              headers: answered,
              body: Buffer.concat(chunks, length),
              reused,
            });
          });
        });
        request.end(body);
      },
    );

  const keepAliveFetch = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    if (input instanceof Request) return fallback(input, init);
    const body = bodyBytes(init.body);
    if (body === false) return fallback(input, init);
    const url = new URL(input);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return fallback(input, init);
    const signal = init.signal ?? undefined;
    signal?.throwIfAborted();
    const method = (init.method ?? 'GET').toUpperCase();
    const headers = plainHeaders(init.headers);
    // What Node's fetch sends unless told otherwise (no accept-encoding: answers come uncompressed).
    headers.accept ??= '*/*';
    headers['user-agent'] ??= 'node';
    if (init.body instanceof URLSearchParams)
      headers['content-type'] ??= 'application/x-www-form-urlencoded;charset=UTF-8';
    else if (typeof init.body === 'string') headers['content-type'] ??= 'text/plain;charset=UTF-8';
    let answer: Awaited<ReturnType<typeof send>>;
    try {
      answer = await send(url, method, headers, body, signal);
    } catch (error) {
      // A kept-alive socket the other side closed just as it was reused: once more on a fresh one, if that is safe.
      if (!(error instanceof TypeError && (error as { reused?: boolean }).reused && IDEMPOTENT.has(method))) {
        throw error;
      }
      answer = await send(url, method, headers, body, signal);
    }
    if (answer.status < 200 || answer.status > 599) throw new TypeError(`fetch failed: status ${answer.status}`);
    if (
      answer.status >= 300 &&
      answer.status < 400 &&
      answer.headers.some(([name]) => name?.toLowerCase() === 'location')
    ) {
      if (init.redirect === 'error') throw new TypeError(`fetch failed: redirected (${answer.status})`);
      if (init.redirect !== 'manual') return fallback(input, init);
    }
    return new Response(NO_BODY_STATUSES.has(answer.status) ? null : answer.body, {
      status: answer.status,
      statusText: answer.statusText,
      headers: answer.headers,
    });
  };

  return {
    fetch: keepAliveFetch as typeof fetch,
    close() {
      agents['http:'].destroy();
      agents['https:'].destroy();
    },
  };
}

/** The body's bytes; `undefined` for none, `false` for a kind only the fallback sends (a stream, a form, a blob). */
function bodyBytes(body: RequestInit['body']): Uint8Array | undefined | false {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return Buffer.from(body);
  if (body instanceof URLSearchParams) return Buffer.from(body.toString());
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  return false;
}

/** Headers in any of fetch's forms as one lower-cased record (repeated names joined as fetch joins them). */
function plainHeaders(init: RequestInit['headers']): Record<string, string> {
  const headers: Record<string, string> = {};
  const add = (name: string, value: string) => {
    const key = name.toLowerCase();
    headers[key] = headers[key] === undefined ? value : `${headers[key]}, ${value}`;
  };
  if (init instanceof Headers) {
    init.forEach((value, name) => {
      add(name, value);
    });
  } else if (Array.isArray(init)) for (const [name, value] of init) add(String(name), String(value));
  else if (init) for (const [name, value] of Object.entries(init)) add(name, String(value));
  return headers;
}
