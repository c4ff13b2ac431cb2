export interface HttpAnswer {
  status: number;
  headers: Headers;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: { error?: { code: string; message: string } } & Record<string, unknown>;
}

/** One real HTTP request; the body is sent exactly as given. */
export async function request(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<HttpAnswer> {
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
