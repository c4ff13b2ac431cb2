import { request as httpRequest } from 'node:http';

export interface HttpAnswer {
  status: number;
  headers: Headers;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: { error?: { code: string; message: string } } & Record<string, unknown>;
}

/**
 * One real HTTP request; the body is sent exactly as given. `localAddress` sends it from another loopback
 * address (127.0.0.x), as another client: limits per client address see a different client.
 */
export async function request(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer; localAddress?: string } = {},
): Promise<HttpAnswer> {
  if (options.localAddress) return requestFrom(url, options.localAddress, options);
  const response = await fetch(url, {
    method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
    headers: options.headers ?? {},
    ...(options.body === undefined ? {} : { body: options.body }),
  });
  const text = await response.text();
  let json: HttpAnswer['json'];
  try {
    json = JSON.parse(text);
  } catch {
    json = {} as HttpAnswer['json'];
  }
  return { status: response.status, headers: response.headers, text, json };
}

function requestFrom(
  url: string,
  localAddress: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      {
        method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
        headers: options.headers ?? {},
        localAddress,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const headers = new Headers();
          for (const [name, value] of Object.entries(res.headers))
            if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
          let json: HttpAnswer['json'];
          try {
            json = JSON.parse(text);
          } catch {
            json = {} as HttpAnswer['json'];
          }
          resolve({ status: res.statusCode ?? 0, headers, text, json });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/**
 * One HTTP/1.1 request written byte for byte on a socket, header values as UTF-8 and unchecked: what a hostile
 * client can send and Node's own clients refuse to. Resolves with the status (0 if the server closed first).
 */
export async function rawRequest(
  url: string,
  options: { method?: string; headers: Record<string, string>; body: string },
): Promise<number> {
  const { createConnection } = await import('node:net');
  const target = new URL(url);
  const head = [
    `${options.method ?? 'POST'} ${target.pathname}${target.search} HTTP/1.1`,
    `host: ${target.host}`,
    'connection: close',
    `content-length: ${Buffer.byteLength(options.body)}`,
    ...Object.entries(options.headers).map(([name, value]) => `${name}: ${value}`),
  ].join('\r\n');
  return new Promise((resolve, reject) => {
    const socket = createConnection(Number(target.port), target.hostname);
    let answer = '';
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString('latin1');
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/u.exec(answer)?.[1] ?? 0)));
    // Written, not ended: a client that half-closes may lose a slow answer; `connection: close` ends it.
    socket.write(Buffer.from(`${head}\r\n\r\n${options.body}`, 'utf8'));
  });
}
