import { PROMPT_ID_PATTERN } from '../api/device-responses.ts';
import { ACCOUNT_ID_PATTERN } from '../api/portal-pins.ts';
import type { OpenApiObject } from './json-schema.ts';
import { errorResponses, jsonContent, jsonResponse, pathParameter } from './json-schema.ts';
import { signatureHeaders } from './signatures.ts';

const unavailable = 'The store did not answer: nothing was issued or verified (fail closed).';

/** The routes a company's own services call: the portal PIN API and the device answers. */
export const INTEGRATION_PATHS: Record<string, OpenApiObject> = {
  '/v1/accounts/{accountId}/support-pins': {
    post: {
      tags: ['portal'],
      operationId: 'issueSupportPin',
      summary: 'Issue a one-time support PIN for a signed-in customer',
      description:
        'Your portal backend asks for a PIN for the customer it has signed in, and shows it once. A new PIN ' +
        'replaces the previous one; nothing keeps the PIN in clear. Without a body, `Accept-Language` picks the language.',
      security: [{ portalKey: [] }],
      parameters: [
        pathParameter('accountId', 'The customer’s account id in your directory.', {
          type: 'string',
          pattern: ACCOUNT_ID_PATTERN.source,
        }),
        { name: 'accept-language', in: 'header', required: false, schema: { type: 'string' } },
      ],
      requestBody: { required: false, content: jsonContent('SupportPinRequest') },
      responses: {
        '201': jsonResponse('The PIN, its expiry and the words to show the customer.', 'SupportPin'),
        '423': jsonResponse('PIN checks for this account are locked; no PIN was issued.', 'PinsLocked', {
          'retry-after': { description: 'Seconds until the lock ends.', schema: { type: 'integer' } },
        }),
        ...errorResponses({
          400: 'The account id or the body is invalid.',
          401: 'The portal API key is missing or wrong.',
          404: 'No such account.',
          413: 'The body is too large.',
          415: 'A body must be `application/json`.',
          429: 'This key issued its PINs for this minute.',
          503: unavailable,
        }),
      },
    },
  },
  '/v1/device-prompts/{promptId}/response': {
    post: {
      tags: ['device'],
      operationId: 'answerDevicePrompt',
      summary: 'Report the customer’s answer to a device prompt',
      description:
        'Your device service reports what the customer chose, at the `responseUrl` the prompt named. Each prompt ' +
        'takes one answer; a `confirmed` with the wrong `matchedNumber` counts as a refusal.',
      security: [{ deviceSignature: [] }],
      parameters: [
        pathParameter('promptId', 'The `promptId` of the prompt answered.', {
          type: 'string',
          pattern: PROMPT_ID_PATTERN.source,
        }),
        ...signatureHeaders('DEVICE_WEBHOOK_SECRETS', 'DEVICE_WEBHOOK_SECRET', 'received'),
      ],
      requestBody: { required: true, content: jsonContent('DeviceAnswer') },
      responses: {
        '200': jsonResponse('Taken: the verification’s state after it.', 'DeviceAnswerResult'),
        ...errorResponses({
          400: 'The body is invalid, or its `promptId` is not the URL’s.',
          401: 'The signature is missing, wrong, or stale (`stale_request`).',
          409: 'The prompt is no longer pending (answered, replaced, expired), or this `webhook-id` was already taken (`replayed_request`).',
          404: 'No such prompt.',
          413: 'The body is too large.',
          415: 'The body must be `application/json`.',
          503: unavailable,
        }),
      },
    },
  },
};
