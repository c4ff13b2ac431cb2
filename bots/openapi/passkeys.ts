import { PROMPT_ID_PATTERN } from '../api/device-responses.ts';
import { ACCOUNT_ID_PATTERN } from '../api/portal-pins.ts';
import type { OpenApiObject } from './json-schema.ts';
import { errorResponses, jsonContent, jsonResponse, pathParameter } from './json-schema.ts';

const html = { '200': { description: 'HTML.', content: { 'text/html': { schema: { type: 'string' } } } } };
const script = {
  '200': { description: 'JavaScript.', content: { 'text/javascript': { schema: { type: 'string' } } } },
};
const object = (description: string) => ({
  description,
  content: { 'application/json': { schema: { type: 'object' } } },
});
const deviceId = pathParameter('deviceId', 'The passkey’s credential id, as `GET /v1/devices` lists it.', {
  type: 'string',
  pattern: '^[A-Za-z0-9_-]{1,1024}$',
});
const promptId = pathParameter('promptId', 'The prompt the confirmation link names.', {
  type: 'string',
  pattern: PROMPT_ID_PATTERN.source,
});
const portal = [{ devicePortalToken: [] }];
const link = [{ promptLinkToken: [] }];
const devices = (operation: OpenApiObject): OpenApiObject => ({ tags: ['trusted devices'], ...operation });
const refused = (more: Readonly<Record<number, string>> = {}) =>
  errorResponses({
    401: 'The token is missing, wrong or expired.',
    503: 'The store did not answer (fail closed).',
    ...more,
  });

/** The built-in trusted devices (`DEVICE_PROMPTS=passkey`): the device portal, the confirmation page and their APIs. */
export const PASSKEY_PATHS: Record<string, OpenApiObject> = {
  '/v1/accounts/{accountId}/device-portal-tokens': {
    post: {
      tags: ['portal'],
      operationId: 'mintDevicePortalToken',
      summary: 'Mint a token that opens a signed-in customer’s trusted devices',
      description:
        'Your portal backend asks for it for the customer it has signed in and hands it to their browser: to ' +
        '`/trusted-devices.js` (`data-token`) or as the `url` to open. It lasts `ttlSeconds` (15 minutes unless said).',
      security: [{ portalKey: [] }],
      parameters: [
        pathParameter('accountId', 'The customer’s account id in your directory.', {
          type: 'string',
          pattern: ACCOUNT_ID_PATTERN.source,
        }),
      ],
      requestBody: { required: false, content: jsonContent('DeviceTokenRequest') },
      responses: {
        '201': jsonResponse('The token, until when it works, and the page that takes it.', 'DeviceToken'),
        ...errorResponses({
          400: 'The account id or the body is invalid.',
          401: 'The portal API key is missing or wrong.',
          404: 'No such account.',
          429: 'This key minted its tokens for this minute.',
          503: 'The store did not answer (fail closed).',
        }),
      },
    },
  },
  '/v1/devices': {
    get: devices({
      operationId: 'listTrustedDevices',
      summary: 'The account’s passkeys',
      security: portal,
      responses: { '200': object('`{devices: [DeviceView]}`, oldest first.'), ...refused() },
    }),
    post: devices({
      operationId: 'registerTrustedDevice',
      summary: 'Keep the passkey the browser made, under the customer’s name for it',
      security: portal,
      requestBody: { required: true, content: jsonContent('DeviceRegistration') },
      responses: {
        '201': jsonResponse('The device as the portal lists it.', 'DeviceView'),
        ...refused({
          400: '`passkey_refused`: the answer did not verify (or its challenge was used or ran out); nothing kept.',
          409: '`passkey_limit`: ten passkeys already.',
          413: 'The body is too large.',
        }),
      },
    }),
  },
  '/v1/devices/registration-options': {
    post: devices({
      operationId: 'trustedDeviceRegistrationOptions',
      summary: 'Options for `navigator.credentials.create()`: user verification required, a challenge for 5 minutes',
      security: portal,
      responses: {
        '200': object('PublicKeyCredentialCreationOptionsJSON.'),
        ...refused({ 400: 'Too many starts this hour.', 409: 'Ten passkeys already.' }),
      },
    }),
  },
  '/v1/devices/{deviceId}': {
    delete: devices({
      operationId: 'removeTrustedDevice',
      summary: 'Remove a passkey: from this moment it confirms nothing',
      security: portal,
      parameters: [deviceId],
      responses: {
        '204': { description: 'Removed; the account is e-mailed.' },
        ...refused({ 404: 'No such passkey on this account.' }),
      },
    }),
  },
  '/v1/devices/{deviceId}/notifications': {
    put: devices({
      operationId: 'setTrustedDeviceNotifications',
      summary: 'Push prompts to this browser’s subscription (or, with `null`, stop)',
      security: portal,
      parameters: [deviceId],
      requestBody: { required: true, content: jsonContent('DeviceNotifications') },
      responses: {
        '204': { description: 'Set.' },
        ...refused({ 400: 'The body is invalid.', 404: 'No such passkey on this account.' }),
      },
    }),
  },
  '/v1/prompts/{promptId}': {
    get: devices({
      operationId: 'promptToConfirm',
      summary: 'Who is asking, from where, until when, and the numbers to pick (with the page’s words)',
      security: link,
      parameters: [promptId],
      responses: {
        '200': object('The prompt.'),
        ...refused({ 400: 'The token is for another prompt.', 404: 'No such prompt, or it ended.' }),
      },
    }),
  },
  '/v1/prompts/{promptId}/assertion-options': {
    post: devices({
      operationId: 'promptAssertionOptions',
      summary: 'Options for `navigator.credentials.get()`: the account’s passkeys, a challenge for this prompt only',
      security: link,
      parameters: [promptId],
      responses: {
        '200': object('PublicKeyCredentialRequestOptionsJSON.'),
        ...refused({ 404: 'No such prompt, or it ended.', 409: 'No trusted device.' }),
      },
    }),
  },
  '/v1/prompts/{promptId}/confirm': {
    post: devices({
      operationId: 'confirmPrompt',
      summary: 'Confirm with the browser’s assertion and the number picked',
      security: link,
      parameters: [promptId],
      requestBody: { required: true, content: jsonContent('PromptConfirmation') },
      responses: {
        '200': object('`{state, reason}`: the verification after it (a wrong number denies it).'),
        ...refused({
          400: '`passkey_refused`: not one of the account’s passkeys, not verified, replayed or expired.',
          404: 'No such prompt, or it ended.',
          409: 'The prompt is no longer pending.',
        }),
      },
    }),
  },
  '/v1/prompts/{promptId}/deny': {
    post: devices({
      operationId: 'denyPrompt',
      summary: 'Don’t confirm (`denied`) or I didn’t ask for this (`fraud`)',
      security: link,
      parameters: [promptId],
      requestBody: { required: true, content: jsonContent('PromptDenial') },
      responses: {
        '200': object('`{state, reason}`.'),
        ...refused({ 404: 'No such prompt, or it ended.', 409: 'The prompt is no longer pending.' }),
      },
    }),
  },
  '/devices': {
    get: devices({
      operationId: 'devicePortalPage',
      summary: 'The device portal page (framed by `/trusted-devices.js`)',
      responses: html,
    }),
  },
  '/confirm': {
    get: devices({
      operationId: 'confirmationPage',
      summary: 'The confirmation page every prompt ends on (never framed)',
      responses: html,
    }),
  },
  '/trusted-devices.js': {
    get: devices({
      operationId: 'devicePortalEmbed',
      summary: 'The embed script: the device portal in a frame where the tag is',
      responses: script,
    }),
  },
  '/passkeys.js': {
    get: devices({ operationId: 'passkeysScript', summary: 'Script of both pages', responses: script }),
  },
  '/devices.js': {
    get: devices({ operationId: 'devicePortalScript', summary: 'Script of the device portal page', responses: script }),
  },
  '/device-sw.js': {
    get: devices({
      operationId: 'deviceServiceWorker',
      summary: 'The service worker that shows a pushed prompt and opens its confirmation page',
      responses: script,
    }),
  },
  '/confirm.js': {
    get: devices({ operationId: 'confirmationScript', summary: 'Script of the confirmation page', responses: script }),
  },
  '/devices.css': {
    get: devices({
      operationId: 'devicePagesStyle',
      summary: 'Style of both pages',
      responses: { '200': { description: 'CSS.', content: { 'text/css': { schema: { type: 'string' } } } } },
    }),
  },
};
