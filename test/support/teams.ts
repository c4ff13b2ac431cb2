import type { RecordedRequest, Reply } from './recording-server.ts';
import { RecordingServer } from './recording-server.ts';

export const TENANT = '72f988bf-0000-4000-8000-000000000001';
export const BOT = { id: '28:5a3e9c1b-bot0-4000-8000-000000000001', name: 'Support Verify' };
export const AGENT = { id: '29:1agentRobin', name: 'Robin Agent', aadObjectId: 'a1a1a1a1-0000-4000-8000-00000000agnt' };
export const OTHER_AGENT = {
  id: '29:1agentKim',
  name: 'Kim Agent',
  aadObjectId: 'b2b2b2b2-0000-4000-8000-000000000kim',
};
export const CUSTOMER = {
  id: '29:1customerAlex',
  name: 'Alex Morgan',
  aadObjectId: 'c3c3c3c3-0000-4000-8000-00000000cust',
};
export const PERSONAL = 'a:1personal-robin';
export const GROUP_CHAT = '19:meeting_groupchat-with-alex@thread.v2';

let counter = 0;
const nextId = () => `17000000${String(++counter).padStart(5, '0')}`;

export interface ActivityOptions {
  from?: { id: string; name: string; aadObjectId?: string };
  conversation?: 'personal' | 'groupChat' | 'channel';
  conversationId?: string;
  locale?: string;
  tenantId?: string;
  replyToId?: string;
}

/** The fields every activity from Teams carries, shaped as Teams sends them. */
function base(serviceUrl: string, options: ActivityOptions): Record<string, unknown> {
  const kind = options.conversation ?? 'personal';
  const tenantId = options.tenantId ?? TENANT;
  const conversationId = options.conversationId ?? (kind === 'personal' ? PERSONAL : GROUP_CHAT);
  return {
    id: nextId(),
    timestamp: new Date().toISOString(),
    localTimestamp: new Date().toISOString(),
    serviceUrl,
    channelId: 'msteams',
    from: options.from ?? AGENT,
    conversation: {
      conversationType: kind,
      tenantId,
      id: conversationId,
      ...(kind === 'personal' ? {} : { isGroup: true }),
    },
    recipient: BOT,
    locale: options.locale ?? 'en-US',
    entities: [
      {
        type: 'clientInfo',
        locale: options.locale ?? 'en-US',
        country: 'US',
        platform: 'Web',
        timezone: 'Europe/Amsterdam',
      },
    ],
    channelData: {
      tenant: { id: tenantId },
      ...(kind === 'channel' ? { teamsChannelId: conversationId, teamsTeamId: '19:team@thread.tacv2' } : {}),
    },
    ...(options.replyToId ? { replyToId: options.replyToId } : {}),
  };
}

/** A message to the bot; in a group chat or channel, with the bot @mentioned as Teams marks it. */
export function message(serviceUrl: string, text: string, options: ActivityOptions & { mention?: boolean } = {}) {
  const activity = base(serviceUrl, options);
  if (!options.mention) return { ...activity, type: 'message', textFormat: 'plain', text };
  const at = `<at>${BOT.name}</at>`;
  return {
    ...activity,
    type: 'message',
    textFormat: 'plain',
    text: `${at} ${text}`,
    entities: [...(activity.entities as unknown[]), { type: 'mention', text: at, mentioned: BOT }],
  };
}

/** A Universal Action (`Action.Execute`) as Teams invokes it. */
export function cardAction(
  serviceUrl: string,
  verb: string,
  data: Record<string, unknown>,
  options: ActivityOptions = {},
) {
  return {
    ...base(serviceUrl, options),
    type: 'invoke',
    name: 'adaptiveCard/action',
    value: { action: { type: 'Action.Execute', verb, data }, trigger: verb === 'sv.refresh' ? 'automatic' : 'manual' },
  };
}

export function taskFetch(serviceUrl: string, data: Record<string, unknown>, options: ActivityOptions = {}) {
  return {
    ...base(serviceUrl, options),
    type: 'invoke',
    name: 'task/fetch',
    value: { type: 'task/fetch', data: { ...data, msteams: { type: 'task/fetch' } }, context: { theme: 'default' } },
  };
}

export function taskSubmit(serviceUrl: string, data: Record<string, unknown>, options: ActivityOptions = {}) {
  return {
    ...base(serviceUrl, options),
    type: 'invoke',
    name: 'task/submit',
    value: { type: 'task/submit', data, context: { theme: 'default' } },
  };
}

/** The customer's message a message action was started from, as Teams puts it in `messagePayload`. */
export function messagePayload(text: string, author = CUSTOMER) {
  return {
    id: '1700000000999',
    messageType: 'message',
    createdDateTime: new Date().toISOString(),
    importance: 'normal',
    locale: 'en-us',
    from: { user: { id: author.id, displayName: author.name, userIdentityType: 'aadUser' } },
    body: { contentType: 'html', content: `<p>${text}</p>` },
    attachments: [],
    mentions: [],
  };
}

export function messageActionFetch(serviceUrl: string, text: string, options: ActivityOptions = {}) {
  return {
    ...base(serviceUrl, { conversation: 'groupChat', ...options }),
    type: 'invoke',
    name: 'composeExtension/fetchTask',
    value: {
      commandId: 'verifyCustomer',
      commandContext: 'message',
      messagePayload: messagePayload(text),
      context: { theme: 'default' },
    },
  };
}

export function messageActionSubmit(serviceUrl: string, query: string, text: string, options: ActivityOptions = {}) {
  return {
    ...base(serviceUrl, { conversation: 'groupChat', ...options }),
    type: 'invoke',
    name: 'composeExtension/submitAction',
    value: {
      commandId: 'verifyCustomer',
      commandContext: 'message',
      data: { query, dialog: 'sv.verify' },
      messagePayload: messagePayload(text),
      context: { theme: 'default' },
    },
  };
}

export function botAdded(serviceUrl: string, options: ActivityOptions = {}) {
  return { ...base(serviceUrl, options), type: 'conversationUpdate', membersAdded: [BOT] };
}

export interface ConnectorCall {
  method: string;
  conversationId: string;
  activityId?: string;
  activity: Record<string, unknown>;
  authorization?: string;
}

/**
 * An HTTP double of the Bot Connector service (the activity's `serviceUrl`): records what the bot sends,
 * replies and updates, answering as the connector does.
 */
export class BotConnectorDouble {
  readonly server = new RecordingServer();
  url = '';
  /** Answers to give, in order, to the next sends and updates of activities (an outage, a throttle). */
  readonly outages: Reply[] = [];
  private next = 0;

  async start(): Promise<string> {
    this.server.reply = (request: RecordedRequest) => {
      if (request.url.includes('/activities')) {
        const outage = this.outages.shift();
        if (outage) return outage;
      }
      if (request.method === 'POST' && request.url === '/v3/conversations') {
        // A new thread in a channel: its id is the channel's with the root message's id, as Teams answers.
        const channel = (JSON.parse(request.body) as { channelData?: { channel?: { id?: string } } }).channelData
          ?.channel?.id;
        const root = `act-${++this.next}`;
        return { status: 201, body: { id: `${channel};messageid=${root}`, activityId: root } };
      }
      if (!request.url.startsWith('/v3/conversations/')) return { status: 404, body: { error: { code: 'NotFound' } } };
      const match = /\/activities\/([^/?]+)/u.exec(request.url);
      return {
        status: 200,
        body: { id: request.method === 'PUT' ? decodeURIComponent(match?.[1] ?? '') : `act-${++this.next}` },
      };
    };
    this.url = `${await this.server.start()}/`;
    return this.url;
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  /** The conversations (channel threads) the bot created. */
  created(): Array<Record<string, unknown>> {
    return this.server.requests
      .filter((r) => r.method === 'POST' && r.url === '/v3/conversations')
      .map((r) => JSON.parse(r.body) as Record<string, unknown>);
  }

  calls(): ConnectorCall[] {
    return this.server.requests
      .filter((r) => r.url.startsWith('/v3/conversations/'))
      .map((r) => {
        const [, conversationId = '', activityId] =
          /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/?]+))?/u.exec(r.url) ?? [];
        return {
          method: r.method,
          conversationId: decodeURIComponent(conversationId),
          ...(activityId ? { activityId: decodeURIComponent(activityId) } : {}),
          activity: JSON.parse(r.body || '{}') as Record<string, unknown>,
          ...(r.headers.authorization ? { authorization: String(r.headers.authorization) } : {}),
        };
      });
  }

  /** The Adaptive Cards in what the bot sent or updated, in order. */
  cards(
    filter: (call: ConnectorCall) => boolean = () => true,
  ): Array<{ call: ConnectorCall; card: Record<string, unknown> }> {
    return this.calls()
      .filter(filter)
      .flatMap((call) =>
        ((call.activity.attachments ?? []) as Array<{ contentType: string; content: Record<string, unknown> }>)
          .filter((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')
          .map((a) => ({ call, card: a.content })),
      );
  }

  async waitFor(check: (calls: ConnectorCall[]) => boolean, what: string, timeoutMs = 5000): Promise<ConnectorCall[]> {
    const deadline = Date.now() + timeoutMs;
    while (!check(this.calls())) {
      if (Date.now() > deadline)
        throw new Error(
          `connector never saw ${what}; saw: ${this.calls()
            .map((c) => `${c.method} ${c.activityId ?? ''} ${JSON.stringify(c.activity).slice(0, 120)}`)
            .join(' | ')}`,
        );
      await new Promise((r) => setTimeout(r, 20));
    }
    return this.calls();
  }
}
