import type { JSONSchemaType } from 'ajv';
import type { Request, Response } from 'restify';
import type { ClientAddresses } from '../../adapters/http/client-address.ts';
import type { Clock } from '../../core/ports/index.ts';
import type { RefusalTally } from '../../core/refusal-tally.ts';
import { SESSION_STATES } from '../../core/session.ts';
import { checkSignature, SIGNATURE_HEADER, TIMESTAMP_HEADER } from '../../core/signing.ts';
import type { DeviceDecision, Verification } from '../../core/verification.ts';
import { parseJson, readBody } from '../http/json-body.ts';
import { HttpError, sendJson } from '../http/responses.ts';
import { bodyValidator } from '../http/validation.ts';

interface DeviceAnswer {
  /** Repeats the URL's prompt id inside the signed body, so a signed answer cannot be replayed on another prompt. */
  promptId: string;
  decision: DeviceDecision;
  matchedNumber?: number;
}

/** The body a device service answers a prompt with (ajv's `nullable` reads as `type: [..., 'null']` in OpenAPI). */
export const DEVICE_ANSWER_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['promptId', 'decision'],
  properties: {
    promptId: { type: 'string', minLength: 1, maxLength: 100 },
    decision: { type: 'string', enum: ['confirmed', 'denied', 'fraud'] },
    matchedNumber: { type: 'integer', minimum: 0, maximum: 99, nullable: true },
  },
} as JSONSchemaType<DeviceAnswer>;

/** What an accepted answer gets back: the verification's state after it. */
export const DEVICE_ANSWER_RESULT_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['state'],
  properties: { state: { type: 'string', enum: [...SESSION_STATES] } },
} as const;

const validateBody = bodyValidator<DeviceAnswer>(DEVICE_ANSWER_SCHEMA);

export const PROMPT_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.[0-9a-f]{12}$/u;

export interface DeviceResponsesDeps {
  verification: Verification;
  clock: Clock;
  secret: string;
  /** Where refusals of unsigned or stale answers are counted, per source. */
  refusals: RefusalTally;
  clients: ClientAddresses;
}

/**
 * `POST /v1/device-prompts/:promptId/response`: the device service reports the customer's answer. The body
 * must be signed (HMAC-SHA256 with `DEVICE_WEBHOOK_SECRET`), timestamped within 5 minutes and name the
 * prompt it answers (`{promptId, decision, matchedNumber?}`); each prompt
 * takes one answer, so a replayed or late answer is refused by the session itself.
 */
export function deviceResponsesRoute(deps: DeviceResponsesDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    const raw = await readBody(req, 4096);
    const check = checkSignature(
      deps.secret,
      { timestamp: header(req, TIMESTAMP_HEADER), signature: header(req, SIGNATURE_HEADER) },
      raw,
      deps.clock.now(),
    );
    if (check !== 'valid') {
      // Counted, not audited one by one: an unsigned answer proved nothing, and could flood the trail.
      deps.refusals.refused('device_response_rejected', deps.clients.of(req), check);
      const message =
        check === 'stale'
          ? 'the request timestamp is more than 5 minutes away'
          : 'the request signature is missing or wrong';
      throw new HttpError(401, check === 'stale' ? 'stale_request' : 'invalid_signature', message);
    }
    const answer = validateBody(parseJson(raw));
    const promptId = String(req.params?.promptId ?? '');
    if (answer.promptId !== promptId)
      throw new HttpError(400, 'invalid_request', 'promptId in the body must match the URL');
    if (!PROMPT_ID_PATTERN.test(promptId)) throw new HttpError(404, 'not_found', 'no such verification or prompt');

    const session = await deps.verification.deviceResponse(promptId, answer.decision, answer.matchedNumber);
    sendJson(res, 200, { state: session.state });
  };
}

function header(req: Request, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
