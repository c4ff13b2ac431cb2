import type { JSONSchemaType } from 'ajv';
import type { Request, Response } from 'restify';
import type { DeviceTokens } from '../../core/device-tokens.ts';
import { AccountNotFoundError, ErrorCode, isCodedError, NotAuthorizedError } from '../../core/errors.ts';
import { type Locale, resolveLocale } from '../../core/messages/catalog.ts';
import type { PasskeyDevices } from '../../core/passkey-devices.ts';
import type { Accounts, Clock, PushSubscriptionKeys, SessionStore } from '../../core/ports/index.ts';
import { bearerToken } from '../http/handler.ts';
import { parseJson, readBody } from '../http/json-body.ts';
import { HttpError, sendJson } from '../http/responses.ts';
import { bodyValidator } from '../http/validation.ts';
import type { PortalKeys } from './portal-keys.ts';
import { ACCOUNT_ID_PATTERN, hasChunkedBody } from './portal-pins.ts';
import { b64url, credentialSchema } from './webauthn-json.ts';

interface TokenRequest {
  ttlSeconds?: number;
  locale?: Locale;
}

/** The optional body of a device portal token request. */
export const DEVICE_TOKEN_REQUEST_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ttlSeconds: { type: 'integer', minimum: 60, maximum: 3600, nullable: true },
    locale: { type: 'string', enum: ['en', 'nl'], nullable: true },
  },
} as JSONSchemaType<TokenRequest>;

/** The `201` answer: a token for the customer's browser, and the page that takes it. */
export const DEVICE_TOKEN_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['token', 'expiresAt', 'url'],
  properties: {
    token: {
      type: 'string',
      description: 'Opens the account’s trusted devices until expiresAt; give it to this customer only.',
    },
    expiresAt: { type: 'string', format: 'date-time' },
    url: { type: 'string', description: 'The device page with the token in its fragment, to open or frame.' },
  },
} as const;

/** A browser's answer to `navigator.credentials.create()`. */
const REGISTRATION_CREDENTIAL = credentialSchema({
  required: ['clientDataJSON', 'attestationObject'],
  properties: {
    clientDataJSON: b64url(4096),
    attestationObject: b64url(16_384),
    transports: { type: 'array', maxItems: 10, items: { type: 'string', maxLength: 32 } },
  },
});

interface RegistrationBody {
  name: string;
  credential: Record<string, unknown>;
}

export const DEVICE_REGISTRATION_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'credential'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 200, description: 'What the customer calls the device.' },
    credential: REGISTRATION_CREDENTIAL,
  },
} as unknown as JSONSchemaType<RegistrationBody>;

interface NotificationsBody {
  subscription: (PushSubscriptionKeys & { expirationTime?: number | null }) | null;
}

/** The browser's `PushSubscription.toJSON()`, or null to stop notifications. */
export const DEVICE_NOTIFICATIONS_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['subscription'],
  properties: {
    subscription: {
      type: 'object',
      nullable: true,
      additionalProperties: false,
      required: ['endpoint', 'keys'],
      properties: {
        endpoint: { type: 'string', maxLength: 2048, pattern: '^https://[^\\s]+$' },
        expirationTime: { type: 'number', nullable: true },
        keys: {
          type: 'object',
          additionalProperties: false,
          required: ['p256dh', 'auth'],
          properties: { p256dh: b64url(128), auth: b64url(64) },
        },
      },
    },
  },
} as unknown as JSONSchemaType<NotificationsBody>;

/** One trusted device as the portal lists it. */
export const DEVICE_VIEW_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'name', 'createdAt', 'synced', 'backedUp', 'notifications'],
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    createdAt: { type: 'string', format: 'date-time' },
    lastUsedAt: { type: 'string', format: 'date-time' },
    synced: { type: 'boolean', description: 'A synced passkey: it may be on several of the customer’s devices.' },
    backedUp: { type: 'boolean' },
    notifications: { type: 'boolean', description: 'Whether prompts are pushed to it.' },
  },
} as const;

const validateTokenRequest = bodyValidator<TokenRequest>(DEVICE_TOKEN_REQUEST_SCHEMA);
const validateRegistration = bodyValidator<RegistrationBody>(DEVICE_REGISTRATION_SCHEMA);
const validateNotifications = bodyValidator<NotificationsBody>(DEVICE_NOTIFICATIONS_SCHEMA);

export interface DevicePortalDeps {
  devices: PasskeyDevices;
  tokens: DeviceTokens;
  keys: PortalKeys;
  accounts: Accounts;
  store: SessionStore;
  clock: Clock;
  publicUrl: string;
  /** Tokens one portal key may mint per minute, across replicas. */
  tokensPerMinute: number;
}

const DEFAULT_TOKEN_SECONDS = 900;
const DEVICE_ID = /^[A-Za-z0-9_-]{1,1024}$/u;

/**
 * The device portal's API. The company's portal backend mints a token for a customer it has signed in
 * (`POST /v1/accounts/:accountId/device-portal-tokens`, with a portal key); the customer's browser then lists,
 * registers and removes that account's passkeys with it as a bearer token (`/v1/devices…`).
 */
export function devicePortalRoutes(deps: DevicePortalDeps) {
  const accountOf = (req: Request): string => {
    const token = bearerToken(req);
    if (!token)
      throw new HttpError(401, 'unauthorized', 'a device portal token is required', {
        'www-authenticate': 'Bearer realm="support-verify devices"',
      });
    try {
      return deps.tokens.subjectOf(token, 'portal', deps.clock.now());
    } catch (error) {
      if (error instanceof NotAuthorizedError)
        throw new HttpError(401, 'unauthorized', error.message, {
          'www-authenticate': 'Bearer realm="support-verify devices", error="invalid_token"',
        });
      throw error;
    }
  };
  const deviceIdOf = (req: Request): string => {
    const id = String(req.params?.deviceId ?? '');
    if (!DEVICE_ID.test(id)) throw new HttpError(404, 'device_not_found', 'no such trusted device on this account');
    return id;
  };
  const jsonBody = async (req: Request, limit: number): Promise<unknown> => {
    const raw = await readBody(req, limit, {
      json: Number(req.headers['content-length'] ?? 0) > 0 || hasChunkedBody(req),
    });
    return raw.trim() === '' ? {} : parseJson(raw);
  };

  return {
    /** `POST /v1/accounts/:accountId/device-portal-tokens` (portal key). */
    mintToken: async (req: Request, res: Response): Promise<void> => {
      const scope = deps.keys.scopeOf(req);
      const accountId = String(req.params?.accountId ?? '');
      if (!ACCOUNT_ID_PATTERN.test(accountId))
        throw new HttpError(400, 'invalid_request', 'accountId is not a valid account id');
      const body = validateTokenRequest(await jsonBody(req, 1024));
      const allowance = await deps.store.take(scope, {
        counters: [{ name: 'device-tokens-1m', limit: deps.tokensPerMinute, windowMs: 60_000 }],
      });
      if (!allowance.granted) {
        const seconds = Math.max(1, Math.ceil(allowance.retryAfterMs / 1000));
        throw new HttpError(429, 'rate_limited', `too many device tokens for this API key; try again in ${seconds} s`, {
          'retry-after': String(seconds),
        });
      }
      if (!(await deps.accounts.summary(accountId))) throw new AccountNotFoundError();
      const expiresAt = deps.clock.now() + (body.ttlSeconds ?? DEFAULT_TOKEN_SECONDS) * 1000;
      const token = deps.tokens.mint('portal', accountId, expiresAt);
      const locale = body.locale ?? resolveLocale(req.headers['accept-language']);
      sendJson(res, 201, {
        token,
        expiresAt: new Date(expiresAt).toISOString(),
        url: `${deps.publicUrl}/devices?locale=${locale}#t=${token}`,
      });
    },

    /** `GET /v1/devices`. */
    list: async (req: Request, res: Response): Promise<void> => {
      const devices = await deps.devices.list(accountOf(req));
      sendJson(res, 200, { devices: devices.map(viewJson) }, { 'cache-control': 'no-store' });
    },

    /** `POST /v1/devices/registration-options`: what `navigator.credentials.create()` takes. */
    registrationOptions: async (req: Request, res: Response): Promise<void> => {
      const accountId = accountOf(req);
      await jsonBody(req, 256);
      sendJson(res, 200, await refusalsAsHttp(deps.devices.registrationOptions(accountId)), {
        'cache-control': 'no-store',
      });
    },

    /** `POST /v1/devices`: the browser's answer and the customer's name for the device. */
    register: async (req: Request, res: Response): Promise<void> => {
      const accountId = accountOf(req);
      const body = validateRegistration(await jsonBody(req, 32 * 1024));
      const device = await refusalsAsHttp(deps.devices.register(accountId, body.name, body.credential));
      sendJson(res, 201, viewJson(device));
    },

    /** `DELETE /v1/devices/:deviceId`. */
    remove: async (req: Request, res: Response): Promise<void> => {
      const accountId = accountOf(req);
      await refusalsAsHttp(deps.devices.remove(accountId, deviceIdOf(req)));
      res.writeHead(204);
      res.end();
    },

    /** `PUT /v1/devices/:deviceId/notifications`: this browser's push subscription, or null. */
    notifications: async (req: Request, res: Response): Promise<void> => {
      const accountId = accountOf(req);
      const id = deviceIdOf(req);
      const { subscription } = validateNotifications(await jsonBody(req, 4096));
      const push = subscription ? { endpoint: subscription.endpoint, keys: subscription.keys } : undefined;
      await refusalsAsHttp(deps.devices.setNotifications(accountId, id, push));
      res.writeHead(204);
      res.end();
    },
  };
}

function viewJson(device: Awaited<ReturnType<PasskeyDevices['list']>>[number]) {
  return {
    ...device,
    createdAt: new Date(device.createdAt).toISOString(),
    ...(device.lastUsedAt === undefined ? {} : { lastUsedAt: new Date(device.lastUsedAt).toISOString() }),
  };
}

/** The passkey errors as the portal page reads them; every other error goes on to the generic mapping. */
async function refusalsAsHttp<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (!isCodedError(error)) throw error;
    if (error.code === ErrorCode.PasskeyRefused) throw new HttpError(400, 'passkey_refused', error.message);
    if (error.code === ErrorCode.PasskeyLimit) throw new HttpError(409, 'passkey_limit', error.message);
    if (error.code === ErrorCode.PasskeyNotFound) throw new HttpError(404, 'device_not_found', error.message);
    throw error;
  }
}
