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
      description:
        'For a liveness probe: `200` while the process runs, whatever Redis does (a restart cannot bring Redis ' +
        'back). With `?deep` it also asks the store and answers `503` while the store cannot answer: for ' +
        'monitoring and alerts, never for a liveness probe.',
      parameters: [
        {
          name: 'deep',
          in: 'query',
          required: false,
          allowEmptyValue: true,
          description: 'Present: also check the store (Redis).',
          schema: { type: 'string' },
        },
      ],
      responses: {
        '200': jsonResponse('Alive (and, with `deep`, the store answers).', 'Health'),
        '503': jsonResponse('With `deep`: alive, but the store does not answer.', 'Health', {
          'retry-after': { description: 'Seconds to wait.', schema: { type: 'integer' } },
        }),
      },
    },
  },
  '/readyz': {
    get: {
      tags: ['health'],
      operationId: 'readiness',
      summary: 'Readiness: this replica can answer',
      description:
        'For a readiness probe: `200` whenever this replica can answer, also while Redis is down (`store: ' +
        'unreachable`, `answers: fail_closed`): it then gives Slack, Teams and the APIs the designed "temporarily ' +
        'unavailable" answer, where a load balancer with no ready replica would give a proxy error. `503` only ' +
        'while it drains after SIGTERM (`SHUTDOWN_DRAIN_SECONDS`).',
      responses: {
        '200': jsonResponse('Ready to answer.', 'Readiness'),
        '503': jsonResponse('Draining before a stop: send new work elsewhere.', 'Readiness', {
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
