import type { Logger } from 'pino';
import type { Request, Response } from 'restify';
import { asCodedError, ErrorCode } from '../../core/errors.ts';
import { HttpError, sendError, toHttpError } from './responses.ts';

export type RouteHandler = (req: Request, res: Response) => Promise<void>;

/**
 * Wraps a route so every failure becomes a JSON error with a stable code. Unexpected errors are logged by
 * name and code only: a message may quote user input.
 */
export function jsonRoute(logger: Logger, handler: RouteHandler): RouteHandler {
  return async (req, res) => {
    try {
      await handler(req, res);
    } catch (error) {
      if (res.headersSent) return;
      if (error instanceof HttpError) return sendError(res, error);
      const coded = asCodedError(error);
      if (coded.code === ErrorCode.Unknown) {
        logger.error({ err: { name: coded.name, code: coded.code, stack: coded.stack } }, 'request failed');
      } else if (coded.code === ErrorCode.StoreUnavailable) {
        logger.warn({ code: coded.code }, 'store unavailable: refused (fail closed)');
      } else if (coded.code === ErrorCode.DirectoryUnavailable) {
        // Its message names a status or an error name, never the lookup: ACCOUNTS_URL is the place to look.
        logger.warn(
          { code: coded.code, reason: coded.message },
          'account directory (ACCOUNTS_URL) unavailable: refused',
        );
      }
      sendError(res, toHttpError(coded));
    }
  };
}

/** The bearer token of an `Authorization` header, or undefined. */
export function bearerToken(req: Request): string | undefined {
  const header = req.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/iu.exec(header) : null;
  return match?.[1];
}
