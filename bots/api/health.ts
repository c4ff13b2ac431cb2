import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'restify';
import { bearerToken } from '../http/handler.ts';
import { HttpError, sendJson } from '../http/responses.ts';

/** The `/healthz` answer; with `?deep`, also whether the store answers (503 `degraded` when it does not). */
export const HEALTH_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['status', 'uptimeSeconds'],
  properties: {
    status: { enum: ['ok', 'degraded'] },
    uptimeSeconds: { type: 'integer', minimum: 0 },
    store: { enum: ['reachable', 'unreachable'] },
  },
} as const;

/** The `/readyz` answer: ready (whether or not the store answers), or draining before a stop. */
export const READINESS_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['status'],
  properties: {
    status: { enum: ['ready', 'draining'] },
    store: { enum: ['reachable', 'unreachable'] },
    answers: { const: 'fail_closed' },
  },
} as const;

/** Answers within `timeoutMs` whether the store answers; never throws. */
export function storeProbe(ping: () => Promise<void>, timeoutMs = 1000): () => Promise<boolean> {
  return async () => {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        ping(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
        }),
      ]);
      return true;
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  };
}

/**
 * `GET /healthz`, liveness: the process answers, whatever Redis does (restarting a replica cannot bring Redis
 * back). `GET /healthz?deep` also asks the store and answers 503 while it cannot, for monitoring, never for a
 * liveness probe.
 */
export function healthRoute(startedAt: number, now: () => number, storeReachable: () => Promise<boolean>) {
  return async (req: Request, res: Response): Promise<void> => {
    const uptimeSeconds = Math.round((now() - startedAt) / 1000);
    if (!new URL(req.url ?? '/', 'http://localhost').searchParams.has('deep')) {
      sendJson(res, 200, { status: 'ok', uptimeSeconds });
      return;
    }
    if (await storeReachable()) sendJson(res, 200, { status: 'ok', uptimeSeconds, store: 'reachable' });
    else sendJson(res, 503, { status: 'degraded', uptimeSeconds, store: 'unreachable' }, { 'retry-after': '2' });
  };
}

/**
 * `GET /readyz`, readiness: 200 whenever this replica can answer, including while the store cannot, because
 * then it still gives Slack, Teams and the APIs the designed "temporarily unavailable" answer (fail closed),
 * where a load balancer with no ready replica would give a proxy error. 503 only once it is shutting down.
 */
export function readinessRoute(draining: () => boolean, storeReachable: () => Promise<boolean>) {
  return async (_req: Request, res: Response): Promise<void> => {
    if (draining()) {
      sendJson(res, 503, { status: 'draining' }, { 'retry-after': '2' });
      return;
    }
    sendJson(
      res,
      200,
      (await storeReachable())
        ? { status: 'ready', store: 'reachable' }
        : { status: 'ready', store: 'unreachable', answers: 'fail_closed' },
    );
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
