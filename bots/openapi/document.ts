import { readFileSync } from 'node:fs';
import type { Request, Response } from 'restify';
import { ACCOUNT_PROFILE_SCHEMA } from '../../adapters/accounts/http-accounts.ts';
import { SECURITY_ALERT_SCHEMA } from '../../adapters/audit/security-alert-webhook.ts';
import { DEVICE_PROMPT_SCHEMA } from '../../adapters/devices/webhook-device-prompts.ts';
import { PROMPT_CONFIRM_SCHEMA, PROMPT_DENY_SCHEMA } from '../api/device-confirmation.ts';
import {
  DEVICE_NOTIFICATIONS_SCHEMA,
  DEVICE_REGISTRATION_SCHEMA,
  DEVICE_TOKEN_REQUEST_SCHEMA,
  DEVICE_TOKEN_SCHEMA,
  DEVICE_VIEW_SCHEMA,
} from '../api/device-portal.ts';
import { DEVICE_ANSWER_RESULT_SCHEMA, DEVICE_ANSWER_SCHEMA } from '../api/device-responses.ts';
import { HEALTH_SCHEMA, READINESS_SCHEMA } from '../api/health.ts';
import { PIN_REQUEST_SCHEMA, PINS_LOCKED_SCHEMA, SUPPORT_PIN_SCHEMA } from '../api/portal-pins.ts';
import { ERROR_BODY_SCHEMA } from '../http/responses.ts';
import { CHAT_REQUEST_SCHEMAS, CHAT_RESPONSE_SCHEMAS } from '../webchat/chat-routes.ts';
import { HEALTH_PATHS } from './health.ts';
import { INTEGRATION_PATHS } from './integration.ts';
import { type OpenApiObject, type Schema, toOpenApiSchema } from './json-schema.ts';
import { PASSKEY_PATHS } from './passkeys.ts';
import { PLATFORM_PATHS, PLAYGROUND_PATHS } from './platforms.ts';
import { SIGNATURE_SCHEMES } from './signatures.ts';
import { WEBCHAT_PATHS } from './webchat.ts';
import { WEBHOOKS } from './webhooks.ts';

/** The integration contracts: an OpenAPI 3.1 document. */
export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description: string };
  servers: Array<{ url: string }>;
  tags: OpenApiObject[];
  paths: Record<string, OpenApiObject>;
  webhooks: Record<string, OpenApiObject>;
  components: { schemas: Record<string, Schema>; securitySchemes: Record<string, OpenApiObject> };
}

/** The very objects the server validates with and answers by, named once for every `$ref`. */
const SCHEMAS: Record<string, Schema> = {
  Error: ERROR_BODY_SCHEMA,
  SupportPinRequest: PIN_REQUEST_SCHEMA,
  SupportPin: SUPPORT_PIN_SCHEMA,
  PinsLocked: PINS_LOCKED_SCHEMA,
  DeviceAnswer: DEVICE_ANSWER_SCHEMA,
  DeviceAnswerResult: DEVICE_ANSWER_RESULT_SCHEMA,
  DevicePrompt: DEVICE_PROMPT_SCHEMA,
  SecurityAlert: SECURITY_ALERT_SCHEMA,
  AccountProfile: ACCOUNT_PROFILE_SCHEMA,
  Health: HEALTH_SCHEMA,
  Readiness: READINESS_SCHEMA,
  ChatOpenRequest: CHAT_REQUEST_SCHEMAS.open,
  ChatMessageRequest: CHAT_REQUEST_SCHEMAS.message,
  ChatPinRequest: CHAT_REQUEST_SCHEMAS.pin,
  ChatEndRequest: CHAT_REQUEST_SCHEMAS.end,
  ChatMessage: CHAT_RESPONSE_SCHEMAS.message,
  ChatVerification: CHAT_RESPONSE_SCHEMAS.verification,
  ChatOpened: CHAT_RESPONSE_SCHEMAS.opened,
  ChatRead: CHAT_RESPONSE_SCHEMAS.read,
  ChatSaid: CHAT_RESPONSE_SCHEMAS.said,
  ChatPinResult: CHAT_RESPONSE_SCHEMAS.pin,
  ChatEnded: CHAT_RESPONSE_SCHEMAS.ended,
  ChatStreamClosed: CHAT_RESPONSE_SCHEMAS.closed,
  DeviceTokenRequest: DEVICE_TOKEN_REQUEST_SCHEMA,
  DeviceToken: DEVICE_TOKEN_SCHEMA,
  DeviceRegistration: DEVICE_REGISTRATION_SCHEMA,
  DeviceNotifications: DEVICE_NOTIFICATIONS_SCHEMA,
  DeviceView: DEVICE_VIEW_SCHEMA,
  PromptConfirmation: PROMPT_CONFIRM_SCHEMA,
  PromptDenial: PROMPT_DENY_SCHEMA,
};

const OPENAPI_PATH: Record<string, OpenApiObject> = {
  '/openapi.json': {
    get: {
      tags: ['contracts'],
      operationId: 'openApiDocument',
      summary: 'This document',
      responses: {
        '200': { description: 'OpenAPI 3.1.', content: { 'application/json': { schema: { type: 'object' } } } },
      },
    },
  },
};

/** The document for a server reachable at `publicUrl`. */
export function openApiDocument(options: { publicUrl: string; version: string }): OpenApiDocument {
  return {
    openapi: '3.1.1',
    info: {
      title: 'support-verify integration contracts',
      version: options.version,
      description:
        'What a company integrates with: the portal PIN API and the device answers it calls, the webhooks this ' +
        'server sends (device prompts, security alerts) and the account directory it reads (`webhooks`), health, ' +
        'and the web chat. Every error is `{"error": {"code", "message"}}`.',
    },
    servers: [{ url: options.publicUrl }],
    tags: [
      { name: 'portal', description: 'Your portal backend issues support PINs.' },
      { name: 'device', description: 'Your device service shows prompts and reports answers.' },
      { name: 'security', description: 'Alerts for your security team.' },
      { name: 'accounts directory', description: 'What your `ACCOUNTS_URL` answers.' },
      { name: 'health', description: 'Probes and metrics.' },
      { name: 'web chat', description: 'The customers’ support chat.' },
      {
        name: 'trusted devices',
        description: 'The built-in passkeys (`DEVICE_PROMPTS=passkey`): the device portal and the confirmation page.',
      },
      { name: 'slack', description: 'Slack’s own format.' },
      { name: 'teams', description: 'Microsoft’s own format.' },
      { name: 'playground', description: 'Development only (`PLAYGROUND=on`); `x-internal`.' },
      { name: 'contracts', description: 'This document.' },
    ],
    paths: withPathParameters({
      ...INTEGRATION_PATHS,
      ...HEALTH_PATHS,
      ...WEBCHAT_PATHS,
      ...PASSKEY_PATHS,
      ...PLATFORM_PATHS,
      ...PLAYGROUND_PATHS,
      ...OPENAPI_PATH,
    }),
    webhooks: WEBHOOKS,
    components: {
      schemas: Object.fromEntries(Object.entries(SCHEMAS).map(([name, schema]) => [name, toOpenApiSchema(schema)])),
      securitySchemes: {
        portalKey: {
          type: 'http',
          scheme: 'bearer',
          description: 'One of `PORTAL_API_KEYS` (several, for rotation).',
        },
        chatToken: { type: 'http', scheme: 'bearer', description: 'The token `POST /v1/chat/conversations` gave.' },
        devicePortalToken: {
          type: 'http',
          scheme: 'bearer',
          description: 'A token `POST /v1/accounts/{accountId}/device-portal-tokens` minted.',
        },
        promptLinkToken: {
          type: 'http',
          scheme: 'bearer',
          description: 'The `t` of the confirmation link’s fragment (for that prompt only, until it expires).',
        },
        metricsToken: { type: 'http', scheme: 'bearer', description: '`METRICS_TOKEN`, when set.' },
        ...SIGNATURE_SCHEMES,
      },
    },
  };
}

/** Declares every `{name}` of a path that no operation declares: OpenAPI requires each to be described. */
function withPathParameters(paths: Record<string, OpenApiObject>): Record<string, OpenApiObject> {
  return Object.fromEntries(
    Object.entries(paths).map(([path, item]) => {
      const declared = new Set(
        Object.values(item).flatMap((operation) =>
          ((operation as { parameters?: Array<{ name: string; in: string }> }).parameters ?? [])
            .filter((p) => p.in === 'path')
            .map((p) => p.name),
        ),
      );
      const missing = [...path.matchAll(/\{([^}]+)\}/gu)].map((m) => m[1] ?? '').filter((name) => !declared.has(name));
      if (missing.length === 0) return [path, item];
      const parameters = missing.map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));
      return [path, { parameters, ...item }];
    }),
  );
}

// Read once at start. A build writes the version into dist/package.json, so this finds it there too.
const VERSION = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string }
).version;

/** `GET /openapi.json`: the document, built once. */
export function openApiRoute(publicUrl: string) {
  const body = JSON.stringify(openApiDocument({ publicUrl, version: VERSION ?? '0.0.0' }));
  return async (_req: Request, res: Response): Promise<void> => {
    res.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
      // The same for the life of the process; a new release may change it, so caches keep it only briefly.
      'cache-control': 'public, max-age=300',
    });
    res.end(body);
  };
}
