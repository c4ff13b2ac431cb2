import type { OpenApiObject } from './json-schema.ts';

const platform = (tag: string, operationId: string, summary: string, docs: string, security: string) => ({
  post: {
    tags: [tag],
    operationId,
    summary,
    description: `The platform's own format and authentication (${security}); see its documentation.`,
    externalDocs: { url: docs },
    requestBody: {
      required: true,
      content: { 'application/json': { schema: {} }, 'application/x-www-form-urlencoded': { schema: {} } },
    },
    responses: {
      '200': { description: 'Acknowledged, as the platform expects.' },
      '401': { description: 'Not from the platform.' },
    },
  },
});

/** Where Slack and Microsoft deliver to the bot: their formats, not ours. */
export const PLATFORM_PATHS: Record<string, OpenApiObject> = {
  '/slack/events': platform(
    'slack',
    'slackEvents',
    'Slack Events API, interactivity and slash commands (when Slack is configured)',
    'https://docs.slack.dev/apis/events-api/',
    '`X-Slack-Signature` with the signing secret',
  ),
  '/api/messages': platform(
    'teams',
    'teamsMessages',
    'Bot Framework activities from Microsoft Teams',
    'https://learn.microsoft.com/en-us/azure/bot-service/rest-api/bot-framework-rest-connector-api-reference',
    'a Bot Framework JWT',
  ),
};

const internal = (method: string, operationId: string, summary: string): OpenApiObject => ({
  [method]: {
    tags: ['playground'],
    operationId,
    summary,
    'x-internal': true,
    responses: { '200': { description: 'JSON (or an event stream), for the playground page only.' } },
  },
});
const activities = '/playground/connector/v3/conversations/{conversationId}/activities';

/**
 * The playground's own API (`PLAYGROUND=on`, never in production): listed so the document names every route,
 * marked `x-internal` because nothing outside the playground page may rely on it.
 */
export const PLAYGROUND_PATHS: Record<string, OpenApiObject> = {
  '/playground/connector/v3/conversations': internal('post', 'playgroundCreateConversation', 'Loopback Bot Connector'),
  [activities]: internal('post', 'playgroundSendActivity', 'Loopback Bot Connector: send'),
  [`${activities}/{activityId}`]: {
    ...internal('post', 'playgroundReplyActivity', 'Loopback Bot Connector: reply'),
    ...internal('put', 'playgroundUpdateActivity', 'Loopback Bot Connector: update'),
  },
  '/playground/agent/events': internal('get', 'playgroundAgentEvents', 'The agent pane’s event stream'),
  '/playground/settings': internal('get', 'playgroundSettings', 'What the playground page may offer'),
  '/playground/device/prompts': internal('get', 'playgroundDevicePrompts', 'The simulated device’s prompts'),
  '/playground/device/passkey': internal(
    'get',
    'playgroundPasskeyPhone',
    'The passkey phone’s pages: the device portal, and the open prompt’s confirmation page',
  ),
  '/playground/device/prompts/{promptId}/answer': internal(
    'post',
    'playgroundAnswer',
    'Answer on the simulated device',
  ),
  '/playground/mailbox': internal('get', 'playgroundMailbox', 'The outbox’s mails'),
  '/playground/audit/verify': internal(
    'get',
    'playgroundAuditVerify',
    'Check the embedded audit trail (loopback only)',
  ),
};
