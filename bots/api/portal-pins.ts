import type { JSONSchemaType } from 'ajv';
import type { Request, Response } from 'restify';
import type { ClientAddresses } from '../../adapters/http/client-address.ts';
import { PinsLockedError } from '../../core/errors.ts';
import { type Locale, renderMessage, resolveLocale } from '../../core/messages/catalog.ts';
import { formatDateTime } from '../../core/messages/format.ts';
import type { AuditLog, Clock, SessionStore } from '../../core/ports/index.ts';
import type { RefusalTally } from '../../core/refusal-tally.ts';
import type { Verification } from '../../core/verification.ts';
import { parseJson, readBody } from '../http/json-body.ts';
import { ERROR_BODY_SCHEMA, HttpError, sendJson } from '../http/responses.ts';
import { bodyValidator } from '../http/validation.ts';
import { PortalKeys } from './portal-keys.ts';

interface PinRequest {
  locale?: Locale;
}

/** The optional body of a PIN request. */
export const PIN_REQUEST_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: { locale: { type: 'string', enum: ['en', 'nl'], nullable: true } },
} as JSONSchemaType<PinRequest>;

/** The `201` answer: the PIN, shown once. */
export const SUPPORT_PIN_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['pin', 'expiresAt', 'validForSeconds', 'message'],
  properties: {
    pin: { type: 'string', pattern: '^[0-9]{4}$' },
    expiresAt: { type: 'string', format: 'date-time' },
    validForSeconds: { type: 'integer', minimum: 0 },
    message: { type: 'string', description: 'The words to show the customer, in their language.' },
  },
} as const;

/** The `423` answer while the account's PIN checks are locked: an error body, with when and what to show. */
export const PINS_LOCKED_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['error', 'lockedUntil', 'message'],
  properties: {
    error: ERROR_BODY_SCHEMA.properties.error,
    lockedUntil: { type: 'string', format: 'date-time' },
    message: { type: 'string', description: 'Why no PIN was issued, in the customer’s language.' },
  },
} as const;

const validateBody = bodyValidator<PinRequest>(PIN_REQUEST_SCHEMA);

export const ACCOUNT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/u;

export interface PortalPinsDeps {
  verification: Verification;
  audit: AuditLog;
  /** Where refusals of a missing or wrong key are counted, per source. */
  refusals: RefusalTally;
  clients: ClientAddresses;
  clock: Clock;
  store: SessionStore;
  portalApiKeys: readonly string[];
  /** PINs one key may have issued per minute, counted across replicas. */
  pinsPerMinute: number;
}

/**
 * `POST /v1/accounts/:accountId/support-pins`: the portal backend asks for a PIN for a customer it has
 * signed in. Answers `{pin, expiresAt, validForSeconds, message}` once; nothing keeps the PIN in clear.
 */
export function portalPinsRoute(deps: PortalPinsDeps) {
  const keys = new PortalKeys(deps.portalApiKeys, deps.refusals, deps.clients);
  return async (req: Request, res: Response): Promise<void> => {
    // Counted per key, so a leaked key cannot mint PINs in bulk.
    const allowance = await deps.store.take(keys.scopeOf(req), {
      counters: [{ name: 'pins-1m', limit: deps.pinsPerMinute, windowMs: 60_000 }],
    });
    if (!allowance.granted) {
      await deps.audit.append({
        type: 'portal_rate_exceeded',
        at: deps.clock.now(),
        outcome: 'failure',
        channel: 'api',
        detail: { limitPerMinute: deps.pinsPerMinute },
      });
      const seconds = Math.max(1, Math.ceil(allowance.retryAfterMs / 1000));
      throw new HttpError(429, 'rate_limited', `too many PINs for this API key; try again in ${seconds} s`, {
        'retry-after': String(seconds),
      });
    }
    const accountId = String(req.params?.accountId ?? '');
    if (!ACCOUNT_ID_PATTERN.test(accountId))
      throw new HttpError(400, 'invalid_request', 'accountId is not a valid account id');

    const raw = await readBody(req, 1024, {
      json: Number(req.headers['content-length'] ?? 0) > 0 || hasChunkedBody(req),
    });
    const body = validateBody(raw.trim() === '' ? {} : parseJson(raw));

    const locale = body.locale ?? resolveLocale(req.headers['accept-language']);
    const issued = await deps.verification.issuePin(accountId).catch((error: unknown) => {
      if (!(error instanceof PinsLockedError)) throw error;
      // The portal shows the customer why, in their language; a PIN issued now could never work.
      const seconds = Math.max(1, Math.ceil((error.until - deps.clock.now()) / 1000));
      sendJson(
        res,
        423,
        {
          error: { code: 'pins_locked', message: 'PIN checks for this account are locked; no PIN was issued' },
          lockedUntil: new Date(error.until).toISOString(),
          message: renderMessage('portal.pin.locked', locale, { until: formatDateTime(error.until, locale) }),
        },
        { 'retry-after': String(seconds) },
      );
      return undefined;
    });
    if (!issued) return;
    const { pin, expiresAt } = issued;
    sendJson(res, 201, {
      pin,
      expiresAt: new Date(expiresAt).toISOString(),
      validForSeconds: Math.round((expiresAt - deps.clock.now()) / 1000),
      message: renderMessage('portal.pin.generated', locale, { pin, until: formatDateTime(expiresAt, locale) }),
    });
  };
}

export function hasChunkedBody(req: Request): boolean {
  return /chunked/iu.test(String(req.headers['transfer-encoding'] ?? ''));
}
