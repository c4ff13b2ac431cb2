import { Ajv } from 'ajv';

const id = { type: 'string', minLength: 1, maxLength: 1024 } as const;
const account = { type: 'object', required: ['id'], properties: { id, name: { type: 'string' }, aadObjectId: id } };

/**
 * The fields of a Bot Framework activity that support-verify reads, with their types. A valid token proves
 * who sent it, not its shape; anything else is refused with 400 before the bot runs.
 */
const activitySchema = {
  type: 'object',
  required: ['type', 'serviceUrl', 'channelId', 'from', 'conversation', 'recipient'],
  properties: {
    type: {
      type: 'string',
      enum: [
        'message',
        'invoke',
        'conversationUpdate',
        'messageReaction',
        'installationUpdate',
        'typing',
        'event',
        'messageUpdate',
        'messageDelete',
      ],
    },
    id,
    name: { type: 'string', maxLength: 200 },
    serviceUrl: { type: 'string', pattern: '^https?://', maxLength: 2048 },
    channelId: id,
    locale: { type: 'string', maxLength: 20 },
    text: { type: 'string', maxLength: 28_000 },
    from: account,
    recipient: account,
    conversation: {
      type: 'object',
      required: ['id'],
      properties: { id, conversationType: { type: 'string', maxLength: 40 }, tenantId: id },
    },
    entities: { type: 'array', maxItems: 50, items: { type: 'object', required: ['type'] } },
    value: { type: ['object', 'string', 'array', 'number', 'boolean', 'null'] },
    membersAdded: { type: 'array', maxItems: 500, items: account },
    membersRemoved: { type: 'array', maxItems: 500, items: account },
  },
};

const ajv = new Ajv({ allErrors: true, allowUnionTypes: true });
const validate = ajv.compile(activitySchema);

/** One way an activity misses its schema: a sentence for the caller, and where it failed for the log. */
export interface ActivityProblem {
  /** E.g. `/from/id must be string`; names keys of the body, never quotes a value. */
  message: string;
  schemaPath: string;
  instancePath: string;
}

/** Problems with an activity's shape; empty when the bot can read it. */
export function activityProblems(body: unknown): ActivityProblem[] {
  if (validate(body)) return [];
  return (validate.errors ?? []).map((e) => ({
    message: `${e.instancePath || 'activity'} ${e.message ?? 'is invalid'}`,
    schemaPath: e.schemaPath,
    instancePath: e.instancePath,
  }));
}
