import type { JSONSchemaType } from 'ajv';
import type { Request, Response } from 'restify';
import { ErrorCode, isCodedError, NotAuthorizedError } from '../../core/errors.ts';
import { type MessageKey, renderMessage } from '../../core/messages/catalog.ts';
import { formatDateTime } from '../../core/messages/format.ts';
import type { PasskeyConfirmations } from '../../core/passkey-prompts.ts';
import { bearerToken } from '../http/handler.ts';
import { parseJson, readBody } from '../http/json-body.ts';
import { HttpError, sendJson } from '../http/responses.ts';
import { bodyValidator } from '../http/validation.ts';
import { CHANNEL_NAMES } from '../presentation/channel-names.ts';
import { PROMPT_ID_PATTERN } from './device-responses.ts';
import { b64url, credentialSchema } from './webauthn-json.ts';

/** A browser's answer to `navigator.credentials.get()`. */
const ASSERTION = credentialSchema({
  required: ['clientDataJSON', 'authenticatorData', 'signature'],
  properties: {
    clientDataJSON: b64url(4096),
    authenticatorData: b64url(4096),
    signature: b64url(1024),
    userHandle: b64url(256),
  },
});

interface ConfirmBody {
  credential: Record<string, unknown>;
  matchedNumber?: number;
}

export const PROMPT_CONFIRM_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['credential'],
  properties: {
    credential: ASSERTION,
    matchedNumber: { type: 'integer', minimum: 0, maximum: 99, nullable: true },
  },
} as unknown as JSONSchemaType<ConfirmBody>;

interface DenyBody {
  decision: 'denied' | 'fraud';
}

export const PROMPT_DENY_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['decision'],
  properties: { decision: { type: 'string', enum: ['denied', 'fraud'] } },
} as JSONSchemaType<DenyBody>;

const validateConfirm = bodyValidator<ConfirmBody>(PROMPT_CONFIRM_SCHEMA);
const validateDeny = bodyValidator<DenyBody>(PROMPT_DENY_SCHEMA);

// What the confirmation page says, in the prompt's language: rendered here, where the catalog is.
const PAGE_TEXTS = {
  title: 'device.confirm.title',
  pick: 'device.prompt.pick_number',
  pickFirst: 'device.pick_first',
  confirm: 'device.confirm',
  deny: 'device.deny',
  report: 'device.report',
  passkey: 'device.confirm.passkey',
  notThisDevice: 'device.confirm.not_this_device',
  tryAgain: 'device.confirm.try_again',
  expired: 'device.expired',
  confirmed: 'device.done.confirmed',
  denied: 'device.done.denied',
  fraud: 'device.done.fraud',
  gone: 'device.done.gone',
} as const satisfies Record<string, MessageKey>;

/**
 * The confirmation page's API, each call with the prompt's link token as a bearer token: what the prompt is
 * (`GET /v1/prompts/:promptId`), the options for the passkey (`POST …/assertion-options`), the confirmation with
 * the browser's assertion (`POST …/confirm`) and the refusals (`POST …/deny`).
 */
export function deviceConfirmationRoutes(deps: { confirmations: PasskeyConfirmations; company: string }) {
  const promptOf = (req: Request): { promptId: string; token: string } => {
    const promptId = String(req.params?.promptId ?? '');
    if (!PROMPT_ID_PATTERN.test(promptId)) throw new HttpError(404, 'not_found', 'no such verification or prompt');
    const token = bearerToken(req);
    if (!token)
      throw new HttpError(401, 'unauthorized', 'the prompt’s link token is required', {
        'www-authenticate': 'Bearer realm="support-verify prompts"',
      });
    return { promptId, token };
  };
  const body = async (req: Request, limit: number) => {
    const raw = await readBody(req, limit, { json: Number(req.headers['content-length'] ?? 0) > 0 });
    return raw.trim() === '' ? {} : parseJson(raw);
  };

  return {
    view: async (req: Request, res: Response): Promise<void> => {
      const { promptId, token } = promptOf(req);
      const view = await asHttp(deps.confirmations.view(promptId, token));
      const { locale } = view;
      const agent = view.agentName;
      const texts = Object.fromEntries(
        Object.entries(PAGE_TEXTS).map(([name, key]) => [name, renderMessage(key, locale, { agent })]),
      );
      sendJson(
        res,
        200,
        {
          ...view,
          expiresAt: new Date(view.expiresAt).toISOString(),
          texts: {
            ...texts,
            body: renderMessage('device.prompt.body', locale, {
              agent,
              company: view.company,
              channel: CHANNEL_NAMES[view.channel],
            }),
            // In UTC here; the page puts the time in the customer's own zone in its place.
            until: renderMessage('device.confirm.until', locale, { until: formatDateTime(view.expiresAt, locale) }),
            untilTemplate: renderMessage('device.confirm.until', locale, { until: '{until}' }),
          },
        },
        { 'cache-control': 'no-store' },
      );
    },

    assertionOptions: async (req: Request, res: Response): Promise<void> => {
      const { promptId, token } = promptOf(req);
      await body(req, 256);
      sendJson(res, 200, await asHttp(deps.confirmations.assertionOptions(promptId, token)), {
        'cache-control': 'no-store',
      });
    },

    confirm: async (req: Request, res: Response): Promise<void> => {
      const { promptId, token } = promptOf(req);
      const { credential, matchedNumber } = validateConfirm(await body(req, 16 * 1024));
      const session = await asHttp(deps.confirmations.confirm(promptId, token, credential, matchedNumber));
      sendJson(res, 200, { state: session.state, reason: session.reason ?? null });
    },

    deny: async (req: Request, res: Response): Promise<void> => {
      const { promptId, token } = promptOf(req);
      const { decision } = validateDeny(await body(req, 256));
      const session = await asHttp(deps.confirmations.deny(promptId, token, decision));
      sendJson(res, 200, { state: session.state, reason: session.reason ?? null });
    },
  };
}

async function asHttp<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof NotAuthorizedError)
      throw new HttpError(401, 'unauthorized', error.message, {
        'www-authenticate': 'Bearer realm="support-verify prompts", error="invalid_token"',
      });
    if (isCodedError(error) && error.code === ErrorCode.PasskeyRefused)
      throw new HttpError(400, 'passkey_refused', error.message);
    throw error;
  }
}
