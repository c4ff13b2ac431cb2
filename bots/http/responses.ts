import type { Response } from 'restify';
import { type CodedError, ErrorCode, type RateLimitedError } from '../../core/errors.ts';

/** A refusal with a status, a stable machine-readable code and a sentence for people. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** The body of every error answer (`sendError`), and of restify's own 404 and 405. */
export const ERROR_BODY_SCHEMA = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      additionalProperties: false,
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', description: 'Stable and machine-readable, e.g. `invalid_request`.' },
        message: { type: 'string', description: 'A sentence for people; may change.' },
      },
    },
  },
} as const;

export function sendJson(res: Response, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(payload);
}

export function sendError(res: Response, error: HttpError): void {
  sendJson(res, error.status, { error: { code: error.code, message: error.message } }, error.headers);
}

/** How each core error reads over HTTP. Anything unexpected is a 500 that says nothing about internals. */
export function toHttpError(error: CodedError): HttpError {
  switch (error.code) {
    case ErrorCode.RequestInvalid:
      return new HttpError(400, 'invalid_request', error.message);
    case ErrorCode.AccountNotFound:
      return new HttpError(404, 'account_not_found', error.message);
    case ErrorCode.SessionNotFound:
      return new HttpError(404, 'not_found', 'no such verification or prompt');
    case ErrorCode.IllegalTransition:
    case ErrorCode.SessionConflict:
      return new HttpError(409, 'not_pending', 'that verification step is no longer pending');
    case ErrorCode.NotAuthorized:
      return new HttpError(403, 'forbidden', error.message);
    case ErrorCode.NoTrustedDevice:
      return new HttpError(409, 'no_trusted_device', error.message);
    case ErrorCode.RateLimited: {
      const seconds = Math.max(1, Math.ceil((error as RateLimitedError).retryAfterMs / 1000));
      return new HttpError(429, 'rate_limited', error.message, { 'retry-after': String(seconds) });
    }
    case ErrorCode.StoreUnavailable:
      return new HttpError(503, 'temporarily_unavailable', 'temporarily unavailable, try again', {
        'retry-after': '2',
      });
    case ErrorCode.DirectoryUnavailable:
      return new HttpError(503, 'directory_unavailable', 'the account directory did not answer; try again', {
        'retry-after': '2',
      });
    case ErrorCode.DeliveryFailed:
      return new HttpError(502, 'delivery_failed', error.message);
    default:
      return new HttpError(500, 'internal_error', 'something went wrong; nothing was verified or granted');
  }
}
