import type { OpenApiObject } from './json-schema.ts';
import { errorResponses, jsonResponse } from './json-schema.ts';

// Health is described here alone, so a change of what the probes mean changes the contract in one place.

/** `/healthz`, `/readyz` and `/metrics`. */
export const HEALTH_PATHS: Record<string, OpenApiObject> = {
  '/healthz': {
    get: {
      tags: ['health'],
      operationId: 'liveness',
      summary: 'Liveness: the process answers',
      description: 'For a liveness probe. Says nothing about Redis.',
      responses: { '200': jsonResponse('Alive.', 'Health') },
    },
  },
  '/readyz': {
    get: {
      tags: ['health'],
      operationId: 'readiness',
      summary: 'Readiness: the store answers within a second',
      description: 'For a load balancer: `503` while Redis does not answer, so it stops sending work here.',
      responses: {
        '200': jsonResponse('Ready.', 'Readiness'),
        '503': jsonResponse('Not ready: the store is unreachable.', 'Readiness', {
          'retry-after': { description: 'Seconds to wait.', schema: { type: 'integer' } },
        }),
      },
    },
  },
  '/metrics': {
    get: {
      tags: ['health'],
      operationId: 'metrics',
      summary: 'Prometheus metrics',
      description:
        'With `METRICS_PORT` this path is served only on a loopback listener of that port, not here. With ' +
        '`METRICS_TOKEN` it needs that token as a bearer token.',
      security: [{}, { metricsToken: [] }],
      responses: {
        '200': {
          description: 'Prometheus text exposition format.',
          content: { 'text/plain': { schema: { type: 'string' } } },
        },
        ...errorResponses({ 401: 'The metrics token is missing or wrong.' }),
      },
    },
  },
};
