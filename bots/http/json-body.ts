import type { Request } from 'restify';
import { HttpError } from './responses.ts';

/**
 * Reads a request body as text, refusing wrong content types and anything over `limitBytes` before
 * reading it all. Per route, never a global parser: signed routes need the exact bytes.
 */
export async function readBody(req: Request, limitBytes: number, options: { json?: boolean } = {}): Promise<string> {
  if (options.json !== false) {
    const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/json') {
      throw new HttpError(415, 'unsupported_media_type', 'send the body as application/json');
    }
  }
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limitBytes)
    throw new HttpError(413, 'payload_too_large', `the body may be at most ${limitBytes} bytes`);

  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limitBytes) throw new HttpError(413, 'payload_too_large', `the body may be at most ${limitBytes} bytes`);
    chunks.push(chunk);
  }
  const raw = Buffer.concat(chunks);
  const text = raw.toString('utf8');
  // Invalid UTF-8 would be silently replaced; refuse it so a signature is checked on what was really sent.
  if (!Buffer.from(text, 'utf8').equals(raw)) throw new HttpError(400, 'invalid_encoding', 'the body must be UTF-8');
  return text;
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'invalid_json', 'the body is not valid JSON');
  }
}
