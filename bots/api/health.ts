import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'restify';
import { bearerToken } from '../http/handler.ts';
import { HttpError, sendJson } from '../http/responses.ts';

/** The `/healthz` answer. */
export const HEALTH_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['status', 'uptimeSeconds'],
  properties: { status: { const: 'ok' }, uptimeSeconds: { type: 'integer', minimum: 0 } },
} as const;

/** The `/readyz` answer, ready or not. */
export const READINESS_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['status', 'store'],
  properties: {
    status: { enum: ['ready', 'unavailable'] },
    store: { enum: ['reachable', 'unreachable'] },
  },
} as const;

export function healthRoute(startedAt: number, now: () => number) {
  return async (_req: Request, res: Response): Promise<void> => {
    sendJson(res, 200, { status: 'ok', uptimeSeconds: Math.round((now() - startedAt) / 1000) });
  };
}

/** Ready only while the store answers within `timeoutMs`: a load balancer stops sending work otherwise. */
export function readinessRoute(ping: () => Promise<void>, timeoutMs = 1000) {
  return async (_req: Request, res: Response): Promise<void> => {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        ping(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
        }),
      ]);
      sendJson(res, 200, { status: 'ready', store: 'reachable' });
    } catch {
      sendJson(res, 503, { status: 'unavailable', store: 'unreachable' }, { 'retry-after': '2' });
    } finally {
      clearTimeout(timer);
    }
  };
}

/** `GET /metrics`; with a token, only for `Authorization: Bearer <token>` (compared in constant time). */
export function metricsRoute(render: () => Promise<string>, contentType: string, token?: string) {
  const expected = token === undefined ? undefined : createHash('sha256').update(token).digest();
  return async (req: Request, res: Response): Promise<void> => {
    if (expected) {
      const given = createHash('sha256')
        .update(bearerToken(req) ?? '')
        .digest();
      if (!timingSafeEqual(given, expected))
        throw new HttpError(401, 'unauthorized', 'metrics need the METRICS_TOKEN as a bearer token', {
          'www-authenticate': 'Bearer',
        });
    }
    const body = await render();
    res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' });
    res.end(body);
  };
}
