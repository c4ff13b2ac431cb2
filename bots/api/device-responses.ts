import type { JSONSchemaType } from 'ajv';
import type { Request, Response } from 'restify';
import type { ClientAddresses } from '../../adapters/http/client-address.ts';
import type { Clock, SessionStore } from '../../core/ports/index.ts';
import type { RefusalTally } from '../../core/refusal-tally.ts';
import { SESSION_STATES } from '../../core/session.ts';
import {
  SIGNATURE_HEADER,
  SIGNATURE_TOLERANCE_SECONDS,
  TIMESTAMP_HEADER,
  verifyWebhook,
  WEBHOOK_ID_HEADER,
  WEBHOOK_SIGNATURE_HEADER,
  WEBHOOK_TIMESTAMP_HEADER,
  type WebhookKeys,
} from '../../core/signing.ts';
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

/**
 * A prompt id: its session's id (a UUID, then the four-character slot tag of its account where the store minted it
 * so), `.`, 12 hex. Two alternatives rather than an optional group: every pattern here stays free of nesting.
 */
export const PROMPT_ID_PATTERN =
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.[0-9a-f]{12}$|^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-[a-z][0-9a-z]{3}\.[0-9a-f]{12}$/u;

export interface DeviceResponsesDeps {
  verification: Verification;
  clock: Clock;
  /** `DEVICE_WEBHOOK_SECRETS` (and the deprecated `DEVICE_WEBHOOK_SECRET`): an answer signed by any is accepted. */
  keys: WebhookKeys;
  /** Where each verified answer's `webhook-id` is claimed once, across replicas, for as long as it could be replayed. */
  replays: Pick<SessionStore, 'claimAndGet'>;
  /** Where refusals of unsigned or stale answers are counted, per source. */
  refusals: RefusalTally;
  clients: ClientAddresses;
}

/** A verified message id is remembered while its timestamp could still be accepted: up to the window on either side. */
const REPLAY_WINDOW_MS = 2 * SIGNATURE_TOLERANCE_SECONDS * 1000;

/**
 * `POST /v1/device-prompts/:promptId/response`: the device service reports the customer's answer. The body
 * must be signed in the Standard Webhooks format by any key of `DEVICE_WEBHOOK_SECRETS` (or, for one
 * release, with the deprecated `x-support-verify-*` headers), timestamped within 5 minutes, never seen before
 * (its `webhook-id`), and name the prompt it answers (`{promptId, decision, matchedNumber?}`); each prompt
 * also takes one answer, so a late or second answer is refused by the session itself.
 */
export function deviceResponsesRoute(deps: DeviceResponsesDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    const raw = await readBody(req, 4096);
    const verified = verifyWebhook(
      deps.keys,
      {
        id: header(req, WEBHOOK_ID_HEADER),
        timestamp: header(req, WEBHOOK_TIMESTAMP_HEADER),
        signature: header(req, WEBHOOK_SIGNATURE_HEADER),
        legacyTimestamp: header(req, TIMESTAMP_HEADER),
        legacySignature: header(req, SIGNATURE_HEADER),
      },
      raw,
      deps.clock.now(),
    );
    if (verified.check !== 'valid') {
      // Counted, not audited one by one: an unsigned answer proved nothing, and could flood the trail.
      deps.refusals.refused('device_response_rejected', deps.clients.of(req), verified.check);
      const stale = verified.check === 'stale';
      const message = stale
        ? 'the request timestamp is more than 5 minutes away'
        : 'the request signature is missing or wrong';
      throw new HttpError(401, stale ? 'stale_request' : 'invalid_signature', message);
    }
    const promptId = String(req.params?.promptId ?? '');
    // Claimed only once verified: the id is signed, so nobody without a secret can use up another's. The
    // session the prompt names is read in the same step, for the answer below.
    const replay = await deps.replays.claimAndGet(
      `device-answer:${verified.replayKey}`,
      REPLAY_WINDOW_MS,
      sessionOfPrompt(promptId),
    );
    if (!replay.first) {
      deps.refusals.refused('device_response_rejected', deps.clients.of(req), 'replayed');
      throw new HttpError(409, 'replayed_request', 'this webhook-id was received already');
    }
    const answer = validateBody(parseJson(raw));
    if (answer.promptId !== promptId)
      throw new HttpError(400, 'invalid_request', 'promptId in the body must match the URL');
    if (!PROMPT_ID_PATTERN.test(promptId)) throw new HttpError(404, 'not_found', 'no such verification or prompt');

    const session = await deps.verification.deviceResponse(
      promptId,
      answer.decision,
      answer.matchedNumber,
      replay.session,
    );
    sendJson(res, 200, { state: session.state });
  };
}

/** The session a prompt id names (`<session id>.<suffix>`); only a well-formed one is looked up at all. */
function sessionOfPrompt(promptId: string): string {
  return PROMPT_ID_PATTERN.test(promptId) ? (promptId.split('.')[0] ?? '') : '';
}

function header(req: Request, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
