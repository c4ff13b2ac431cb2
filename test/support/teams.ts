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
/** Someone else in the customer's chat (a colleague of theirs): never the customer of this verification. */
export const BYSTANDER = {
  id: '29:1bystanderSam',
  name: 'Sam Bystander',
  aadObjectId: 'd4d4d4d4-0000-4000-8000-0000000bystd',
};
export const PERSONAL = 'a:1personal-robin';

/** Someone in Teams as core knows them: the hosting tenant and their Entra object id. */
export function teamsUser(member: { aadObjectId: string }, tenantId = TENANT) {
  return { channel: 'teams' as const, workspaceId: tenantId, id: member.aadObjectId };
}
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

/**
 * The customer's message a message action was started from, as Teams puts it in `messagePayload`
 * (msteams-docs create-task-module.md; test/fixtures/platforms/teams/message-action-submit.json): its author
 * is named by Entra object id, `userIdentityType: "aadUser"`, never by the `29:` id of their activities.
 */
export function messagePayload(text: string, author: { aadObjectId: string; name: string } = CUSTOMER) {
  return {
    linkToMessage: `https://teams.microsoft.com/l/message/${GROUP_CHAT}/1700000000999`,
    id: '1700000000999',
    replyToId: null,
    createdDateTime: new Date().toISOString(),
    lastModifiedDateTime: null,
    deleted: false,
    summary: null,
    importance: 'normal',
    locale: 'en-us',
    body: { contentType: 'html', content: `<div><div>${text}</div>\n</div>` },
    from: {
      device: null,
      conversation: null,
      user: { userIdentityType: 'aadUser', id: author.aadObjectId, displayName: author.name },
      application: null,
    },
    reactions: [],
    mentions: [],
    attachments: [],
  };
}

export function messageActionFetch(
  serviceUrl: string,
  text: string,
  options: ActivityOptions & { author?: { aadObjectId: string; name: string } } = {},
) {
  return {
    ...base(serviceUrl, { conversation: 'groupChat', ...options }),
    type: 'invoke',
    name: 'composeExtension/fetchTask',
    value: {
      commandId: 'verifyCustomer',
      commandContext: 'message',
      messagePayload: messagePayload(text, options.author),
      context: { theme: 'default' },
    },
  };
}

export function messageActionSubmit(
  serviceUrl: string,
  query: string,
  text: string,
  options: ActivityOptions & { author?: { aadObjectId: string; name: string }; customer?: string } = {},
) {
  return {
    ...base(serviceUrl, { conversation: 'groupChat', ...options }),
    type: 'invoke',
    name: 'composeExtension/submitAction',
    value: {
      commandId: 'verifyCustomer',
      commandContext: 'message',
      data: { query, dialog: 'sv.verify', ...(options.customer === undefined ? {} : { customer: options.customer }) },
      messagePayload: messagePayload(text, options.author),
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
  /** Who is in each conversation, as the roster (`/members`, `/pagedmembers`) lists them. */
  readonly rosters = new Map<string, Array<{ id: string; name: string; aadObjectId: string }>>([
    [GROUP_CHAT, [AGENT, CUSTOMER, BYSTANDER]],
  ]);
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
      if (request.method === 'GET') return this.roster(request.url);
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

  /**
   * The roster as the connector answers it (TeamsChannelAccount: the `29:` id, the Entra object id, name,
   * UPN, tenant, role); one member is found by either id, as Teams allows.
   */
  private roster(url: string): Reply {
    const [, conversationId = '', rest = ''] = /^\/v3\/conversations\/([^/]+)\/(.*)$/u.exec(url) ?? [];
    const members = (this.rosters.get(decodeURIComponent(conversationId)) ?? []).map((m) => ({
      id: m.id,
      name: m.name,
      aadObjectId: m.aadObjectId,
      givenName: m.name.split(' ')[0],
      surname: m.name.split(' ').slice(1).join(' '),
      email: `${m.name.split(' ')[0]?.toLowerCase()}@example.com`,
      userPrincipalName: `${m.name.split(' ')[0]?.toLowerCase()}@example.com`,
      tenantId: TENANT,
      userRole: 'user',
    }));
    if (rest.startsWith('pagedmembers')) return { status: 200, body: { members } };
    const memberId = decodeURIComponent(/^members\/([^/?]+)/u.exec(rest)?.[1] ?? '');
    const member = members.find((m) => m.id === memberId || m.aadObjectId === memberId);
    if (!member)
      return { status: 404, body: { error: { code: 'MemberNotFoundInConversation', message: 'not found' } } };
    return { status: 200, body: member };
  }

  /** The conversations (channel threads) the bot created. */
  created(): Array<Record<string, unknown>> {
    return this.server.requests
      .filter((r) => r.method === 'POST' && r.url === '/v3/conversations')
      .map((r) => JSON.parse(r.body) as Record<string, unknown>);
  }

  /** What the bot sent or updated (roster reads are not calls the bot makes into the conversation). */
  calls(): ConnectorCall[] {
    return this.server.requests
      .filter((r) => r.url.startsWith('/v3/conversations/') && r.method !== 'GET')
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
