import { CONVERSATION_ID_PATTERN } from '../webchat/chat-routes.ts';
import type { OpenApiObject } from './json-schema.ts';
import { errorResponses, jsonContent, jsonResponse, pathParameter, ref } from './json-schema.ts';

const conversationId = pathParameter('conversationId', 'From `POST /v1/chat/conversations`.', {
  type: 'string',
  pattern: CONVERSATION_ID_PATTERN.source,
});
const token = [{ chatToken: [] }];
const refusals = (more: Readonly<Record<number, string>> = {}) =>
  errorResponses({
    401: 'The conversation’s token is missing or wrong.',
    404: 'No such conversation, or it ended after a while without messages.',
    429: 'Too many messages or connections from here.',
    503: 'The store did not answer (fail closed).',
    ...more,
  });
const chat = (operation: OpenApiObject): OpenApiObject => ({ tags: ['web chat'], ...operation });
const body = (schemaName: string, required: boolean) => ({ required, content: jsonContent(schemaName) });

/** The customer's support chat: the API the `/chat` page uses, and the page and embed script themselves. */
export const WEBCHAT_PATHS: Record<string, OpenApiObject> = {
  '/chat': {
    get: chat({
      operationId: 'chatPage',
      summary: 'The chat page, in the browser’s language',
      description: 'Link to it, or frame it (`WEBCHAT_ORIGINS` names who may).',
      responses: { '200': { description: 'HTML.', content: { 'text/html': { schema: { type: 'string' } } } } },
    }),
  },
  '/webchat.js': {
    get: chat({
      operationId: 'chatEmbedScript',
      summary: 'The embed script: a “Chat with support” button that opens `/chat` in a frame',
      responses: {
        '200': { description: 'JavaScript.', content: { 'text/javascript': { schema: { type: 'string' } } } },
      },
    }),
  },
  '/v1/chat/conversations': {
    post: chat({
      operationId: 'openConversation',
      summary: 'Open a conversation',
      parameters: [{ name: 'accept-language', in: 'header', required: false, schema: { type: 'string' } }],
      requestBody: body('ChatOpenRequest', false),
      responses: {
        '201': jsonResponse('The conversation, its token and the first lines.', 'ChatOpened'),
        ...errorResponses({ 400: 'The body is invalid.', 429: 'Too many conversations from here.' }),
      },
    }),
  },
  '/v1/chat/conversations/{conversationId}': {
    get: chat({
      operationId: 'readConversation',
      summary: 'Read (or resume) a conversation',
      security: token,
      parameters: [
        conversationId,
        {
          name: 'after',
          in: 'query',
          required: false,
          description: 'Lines after this `seq` only.',
          schema: { type: 'integer' },
        },
      ],
      responses: { '200': jsonResponse('The conversation and its lines.', 'ChatRead'), ...refusals() },
    }),
  },
  '/v1/chat/conversations/{conversationId}/events': {
    get: chat({
      operationId: 'conversationEvents',
      summary: 'The conversation as Server-Sent Events',
      description:
        'Events: `message` (a line, `id:` its `seq`), `verification` (the verification view, or null), and a ' +
        'last `closed` (why the stream ends). `Last-Event-ID` or `after` resumes. EventSource cannot send ' +
        'headers, so the token may come as `?token=`.',
      security: token,
      parameters: [
        conversationId,
        { name: 'token', in: 'query', required: false, schema: { type: 'string' } },
        { name: 'after', in: 'query', required: false, schema: { type: 'integer' } },
        { name: 'last-event-id', in: 'header', required: false, schema: { type: 'integer' } },
      ],
      responses: {
        '200': {
          description: 'An event stream.',
          content: { 'text/event-stream': { schema: { type: 'string' } } },
          'x-events': {
            message: ref('ChatMessage'),
            verification: { oneOf: [ref('ChatVerification'), { type: 'null' }] },
            closed: ref('ChatStreamClosed'),
          },
        },
        ...refusals({ 503: 'This replica holds all the streams it may; try again.' }),
      },
    }),
  },
  '/v1/chat/conversations/{conversationId}/messages': {
    post: chat({
      operationId: 'say',
      summary: 'Say something (a secret in it is redacted)',
      security: token,
      parameters: [conversationId],
      requestBody: body('ChatMessageRequest', true),
      responses: {
        '201': jsonResponse('The line as kept.', 'ChatSaid'),
        ...refusals({ 400: 'The body is invalid.', 413: 'The body is too large.', 415: 'Not JSON.' }),
      },
    }),
  },
  '/v1/chat/conversations/{conversationId}/pin': {
    post: chat({
      operationId: 'givePin',
      summary: 'Give the support PIN the verification asks for',
      security: token,
      parameters: [conversationId],
      requestBody: body('ChatPinRequest', true),
      responses: {
        '200': jsonResponse('What the PIN did.', 'ChatPinResult'),
        ...refusals({ 400: 'Not 4 digits, or no PIN is expected.', 415: 'Not JSON.' }),
      },
    }),
  },
  '/v1/chat/conversations/{conversationId}/end': {
    post: chat({
      operationId: 'endConversation',
      summary: 'End the conversation',
      security: token,
      parameters: [conversationId],
      requestBody: body('ChatEndRequest', false),
      responses: { '200': jsonResponse('Ended, with the bot’s goodbye.', 'ChatEnded'), ...refusals() },
    }),
  },
};
