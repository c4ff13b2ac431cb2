import { Ajv, type ValidateFunction } from 'ajv';

const id = { type: 'string', minLength: 1, maxLength: 255 } as const;
const text = { type: 'string', maxLength: 40_000 } as const;
const user = { type: 'object', required: ['id'], properties: { id } } as const;

/**
 * The envelope of every Slack payload support-verify acts on: the fields its listeners read, with their
 * types. Slack signs what it sends, but a signature proves origin, not shape; anything else is refused
 * with 400 before any listener runs.
 */
const schemas: Record<string, object> = {
  command: {
    type: 'object',
    required: ['command', 'text', 'user_id', 'team_id', 'channel_id', 'trigger_id'],
    properties: {
      command: id,
      text,
      user_id: id,
      user_name: text,
      team_id: id,
      channel_id: id,
      trigger_id: id,
      response_url: text,
    },
  },
  block_actions: {
    type: 'object',
    required: ['user', 'actions', 'trigger_id'],
    properties: {
      user,
      trigger_id: id,
      response_url: text,
      actions: {
        type: 'array',
        minItems: 1,
        maxItems: 25,
        items: {
          type: 'object',
          required: ['action_id', 'type'],
          properties: { action_id: id, type: id, value: text },
        },
      },
    },
  },
  view_submission: {
    type: 'object',
    required: ['user', 'view'],
    properties: {
      user,
      view: {
        type: 'object',
        required: ['callback_id', 'private_metadata', 'state'],
        properties: {
          callback_id: id,
          private_metadata: { type: 'string', maxLength: 3000 },
          state: { type: 'object', required: ['values'], properties: { values: { type: 'object' } } },
        },
      },
    },
  },
  message_action: {
    type: 'object',
    required: ['callback_id', 'trigger_id', 'user', 'channel', 'message'],
    properties: { callback_id: id, trigger_id: id, user, channel: user, message: { type: 'object' } },
  },
  shortcut: {
    type: 'object',
    required: ['callback_id', 'trigger_id', 'user'],
    properties: { callback_id: id, trigger_id: id, user },
  },
  event_callback: {
    type: 'object',
    // Enterprise Grid sends org-level events with a null top-level team_id, or none; `authorizations` names the org.
    required: ['event', 'event_id'],
    properties: {
      event_id: id,
      team_id: { type: ['string', 'null'], maxLength: 255 },
      event: { type: 'object', required: ['type'], properties: { type: id } },
    },
  },
};

const ajv = new Ajv({ allErrors: false, strict: false });
const validators = new Map<string, ValidateFunction>(
  Object.entries(schemas).map(([type, schema]) => [type, ajv.compile(schema)]),
);

// Other kinds Slack sends that Bolt can route; support-verify has no listener for them, and Bolt acks them.
const OTHER_KINDS = new Set([
  'app_rate_limited',
  'block_suggestion',
  'view_closed',
  'interactive_message',
  'dialog_submission',
  'dialog_cancellation',
  'dialog_suggestion',
  'workflow_step_edit',
]);

/** Where a refused body first failed its schema: names from the schema and the body's keys, never a value. */
export interface SlackBodyProblem {
  /** The payload kind, when it is one Slack sends; `unknown` otherwise (the sender's string is not logged). */
  kind: string;
  schemaPath: string;
  instancePath: string;
}

/**
 * Why a parsed Slack body does not have the shape its kind requires, or `undefined` when it does. A kind Slack
 * does not send is malformed: Bolt could not route it and would fail on it.
 */
export function slackBodyProblem(body: Record<string, unknown>): SlackBodyProblem | undefined {
  const kind = typeof body.command === 'string' ? 'command' : typeof body.type === 'string' ? body.type : undefined;
  if (kind === undefined) return { kind: 'unknown', schemaPath: '#/kind', instancePath: '' };
  const validate = validators.get(kind);
  if (!validate) {
    return OTHER_KINDS.has(kind) ? undefined : { kind: 'unknown', schemaPath: '#/kind', instancePath: '/type' };
  }
  if (validate(body)) return undefined;
  const first = validate.errors?.[0];
  return { kind, schemaPath: first?.schemaPath ?? '#', instancePath: first?.instancePath ?? '' };
}
