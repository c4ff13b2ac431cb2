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
