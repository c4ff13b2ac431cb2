import type { OpenApiObject } from './json-schema.ts';
import { jsonContent, jsonResponse } from './json-schema.ts';
import { signatureHeaders } from './signatures.ts';

const delivery =
  'Retried (3 attempts, backoff) on a network failure, a timeout, a 5xx or a 429 (after its `Retry-After`); ' +
  'any other non-2xx is final. Each attempt is signed afresh over the same body.';

/**
 * What the server sends: the device prompt and the security alert, and the two reads of the company's account
 * directory. The directory is under `webhooks` too: like them, it is a request this server makes to a service of
 * the company's, and `webhooks` is where OpenAPI tools look for those (an `x-` extension would be invisible to
 * them). Its paths are relative to `ACCOUNTS_URL`, in `x-request-path`, since a webhook has no path of its own.
 */
export const WEBHOOKS: Record<string, OpenApiObject> = {
  devicePrompt: {
    post: {
      tags: ['device'],
      operationId: 'devicePrompt',
      summary: 'A device prompt, to `DEVICE_WEBHOOK_URL`',
      description:
        'Push the prompt to the customer’s devices: show who is asking, have them pick the number their agent gives ' +
        `them (\`numberChoices\`), then Confirm, Don’t confirm or Report fraud, answered at \`responseUrl\`. ${delivery}`,
      security: [{ deviceSignature: [] }],
      parameters: signatureHeaders('DEVICE_WEBHOOK_SECRETS', 'DEVICE_WEBHOOK_SECRET', 'sent'),
      requestBody: { required: true, content: jsonContent('DevicePrompt') },
      responses: { '2XX': { description: 'Taken; the answer comes later, at `responseUrl`.' } },
    },
  },
  securityAlert: {
    post: {
      tags: ['security'],
      operationId: 'securityAlert',
      summary: 'A security alert, to `SECURITY_WEBHOOK_URL`',
      description:
        'Sent beside the audit trail for a refused prompt, a denial, fraud reported, a lock-out, an unauthorized ' +
        `agent or a rate limit hit, in the background: it never slows a verification. ${delivery}`,
      security: [{ securityAlertSignature: [] }],
      parameters: signatureHeaders('SECURITY_WEBHOOK_SECRETS', 'SECURITY_WEBHOOK_SECRET', 'sent'),
      requestBody: { required: true, content: jsonContent('SecurityAlert') },
      responses: { '2XX': { description: 'Taken.' } },
    },
  },
  accountLookup: {
    get: {
      tags: ['accounts directory'],
      operationId: 'accountLookup',
      summary: 'Find an account, at `GET {ACCOUNTS_URL}/accounts?lookup=`',
      description: 'Find the account an agent names: by email, phone (as typed) or account id.',
      'x-request-path': '/accounts?lookup={lookup}',
      parameters: [{ name: 'lookup', in: 'query', required: true, schema: { type: 'string' } }],
      responses: {
        '200': jsonResponse('The one account found.', 'AccountProfile'),
        '404': { description: 'No such account.' },
      },
    },
  },
  accountProfile: {
    get: {
      tags: ['accounts directory'],
      operationId: 'accountProfile',
      summary: 'Read an account, at `GET {ACCOUNTS_URL}/accounts/{accountId}`',
      description:
        'Read by id (URL-encoded in the path). Answers are validated before use and kept 30 s per replica; any ' +
        'other status, an invalid profile or no answer in 3 s fails the step closed.',
      'x-request-path': '/accounts/{accountId}',
      responses: {
        '200': jsonResponse('The account.', 'AccountProfile'),
        '404': { description: 'No such account.' },
      },
    },
  },
};
