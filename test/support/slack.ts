import { createHmac } from 'node:crypto';
import { VERIFY_CUSTOMER, VERIFY_MODAL, VERIFY_QUERY } from '../../bots/slack/verify-modal.ts';
import { type RecordedRequest, RecordingServer, type Reply } from './recording-server.ts';

export const SLACK_SIGNING_SECRET = 'test-slack-signing-secret-0123456789';
export const SLACK_BOT_TOKEN = 'xoxb-1111-2222-testtoken';
export const TEAM = 'T0SUPPORT';
export const AGENT_USER = 'U0AGENT01';
export const CUSTOMER_USER = 'U0CUSTOMR';
/** The customer's own organisation: in a Slack Connect channel they are an external member. */
export const CUSTOMER_TEAM = 'T0CUSTORG';
/** A colleague of the agent's in the shared channel: a bystander who is not the customer. */
export const COLLEAGUE_USER = 'U0COLLEAG';
/** A second member of the customer's organisation in the shared channel. */
export const CUSTOMER_COLLEAGUE = 'U0CUSTCOL';
export const SHARED_CHANNEL = 'C0SHARED1';
export const INTERNAL_CHANNEL = 'C0INTERNL';

/** Headers of a request signed exactly as Slack signs it (v0, HMAC-SHA256 over `v0:{ts}:{body}`). */
export function slackHeaders(
  body: string,
  contentType: 'application/x-www-form-urlencoded' | 'application/json',
  options: { secret?: string; timestampSeconds?: number; retryNum?: number } = {},
): Record<string, string> {
  const ts = options.timestampSeconds ?? Math.floor(Date.now() / 1000);
  const signature = createHmac('sha256', options.secret ?? SLACK_SIGNING_SECRET)
    .update(`v0:${ts}:${body}`)
    .digest('hex');
  return {
    'content-type': contentType,
    'x-slack-request-timestamp': String(ts),
    'x-slack-signature': `v0=${signature}`,
    ...(options.retryNum
      ? { 'x-slack-retry-num': String(options.retryNum), 'x-slack-retry-reason': 'http_timeout' }
      : {}),
  };
}

let sequence = 0;
const next = () => `${Date.now()}${++sequence}`;
export const triggerId = () => `${next()}.1234567890.${next().slice(-8)}abcdef`;

/** A slash command, form-encoded as Slack sends it. */
export function slashCommand(
  text: string,
  overrides: Partial<Record<string, string>> = {},
  responseUrl = 'http://127.0.0.1:1/unset',
): string {
  return new URLSearchParams({
    token: 'verification-token-unused',
    team_id: TEAM,
    team_domain: 'example-support',
    channel_id: INTERNAL_CHANNEL,
    channel_name: 'support',
    user_id: AGENT_USER,
    user_name: 'robin',
    command: '/verify',
    text,
    api_app_id: 'A0SUPPORTV',
    is_enterprise_install: 'false',
    response_url: responseUrl,
    trigger_id: triggerId(),
    ...overrides,
  }).toString();
}

/** The same request as Socket Mode carries it: the envelope's `payload` object instead of an HTTP body. */
export function socketPayload(body: string): Record<string, unknown> {
  if (body.startsWith('{')) return JSON.parse(body) as Record<string, unknown>;
  const form = new URLSearchParams(body);
  const payload = form.get('payload');
  return payload ? (JSON.parse(payload) as Record<string, unknown>) : Object.fromEntries(form);
}

/** An interactivity payload (`payload=<json>`), form-encoded as Slack sends it. */
export function interaction(payload: Record<string, unknown>): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** A user as interaction payloads carry them: `team_id` is their own team (an external member's is theirs). */
const user = (id: string, team?: string) => ({
  id,
  username: id === AGENT_USER ? 'robin' : 'alex',
  name: id === AGENT_USER ? 'robin' : 'alex',
  team_id: team ?? (id === CUSTOMER_USER || id === CUSTOMER_COLLEAGUE ? CUSTOMER_TEAM : TEAM),
});

/** Where an interaction happens: the installing team (`team.id`) and the user's own team (`user.team_id`). */
export interface InteractionTeams {
  team?: string;
  userTeam?: string;
}

/** A button click (`block_actions`) on a message. */
export function buttonClick(
  actionId: string,
  value: string,
  options: { user?: string; channel?: string; responseUrl?: string; view?: 'home' } & InteractionTeams = {},
): string {
  const channel = options.channel ?? 'D0AGENTDM';
  return interaction({
    type: 'block_actions',
    user: user(options.user ?? AGENT_USER, options.userTeam),
    api_app_id: 'A0SUPPORTV',
    token: 'verification-token-unused',
    container: options.view
      ? { type: 'view', view_id: 'V0HOME' }
      : { type: 'message', message_ts: '1700000000.000100', channel_id: channel, is_ephemeral: false },
    trigger_id: triggerId(),
    team: { id: options.team ?? TEAM, domain: 'example-support' },
    enterprise: null,
    is_enterprise_install: false,
    ...(options.view
      ? { view: { id: 'V0HOME', type: 'home', team_id: TEAM } }
      : { channel: { id: channel, name: 'directmessage' } }),
    state: { values: {} },
    response_url: options.responseUrl ?? 'http://127.0.0.1:1/unset',
    actions: [
      {
        action_id: actionId,
        block_id: 'b1',
        text: { type: 'plain_text', text: 'button', emoji: true },
        value,
        type: 'button',
        action_ts: `${Date.now() / 1000}`,
      },
    ],
  });
}

/** A static select's state in a `view_submission`, as Slack reports it (none chosen: `selected_option: null`). */
export function selectState(value: string | null, label = 'option'): Record<string, unknown> {
  return {
    type: 'static_select',
    selected_option: value === null ? null : { text: { type: 'plain_text', text: label, emoji: true }, value },
  };
}

/** A modal submission (`view_submission`) with one text input's value (and any other inputs' states). */
/** The verify modal as an agent submits it: the query, and the customer picked from the channel (null: nobody). */
export function verifyModalSubmission(
  privateMetadata: string,
  query: string,
  named: string | null,
  options: { user?: string } & InteractionTeams = {},
): string {
  return viewSubmission(
    VERIFY_MODAL,
    privateMetadata,
    { block: VERIFY_QUERY.block, action: VERIFY_QUERY.action, value: query },
    { ...options, more: { [VERIFY_CUSTOMER.block]: { [VERIFY_CUSTOMER.action]: selectState(named) } } },
  );
}

export function viewSubmission(
  callbackId: string,
  privateMetadata: string,
  input: { block: string; action: string; value: string | null },
  options: { user?: string; more?: Record<string, Record<string, Record<string, unknown>>> } & InteractionTeams = {},
): string {
  return interaction({
    type: 'view_submission',
    team: { id: options.team ?? TEAM, domain: 'example-support' },
    user: user(options.user ?? AGENT_USER, options.userTeam),
    api_app_id: 'A0SUPPORTV',
    token: 'verification-token-unused',
    trigger_id: triggerId(),
    view: {
      id: `V${next()}`,
      team_id: options.team ?? TEAM,
      app_installed_team_id: options.team ?? TEAM,
      type: 'modal',
      blocks: [],
      private_metadata: privateMetadata,
      callback_id: callbackId,
      state: {
        values: {
          [input.block]: { [input.action]: { type: 'plain_text_input', value: input.value } },
          ...options.more,
        },
      },
      hash: '156772938.1827394',
      title: { type: 'plain_text', text: 'Modal' },
      clear_on_close: false,
      notify_on_close: false,
      root_view_id: 'V0ROOT',
      app_id: 'A0SUPPORTV',
      bot_id: 'B0SUPPORT',
    },
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  });
}

/** The "Verify this customer" message shortcut on a customer's message. */
export function messageShortcut(callbackId: string, message: { text: string; user: string; channel: string }): string {
  return interaction({
    type: 'message_action',
    token: 'verification-token-unused',
    action_ts: `${Date.now() / 1000}`,
    team: { id: TEAM, domain: 'example-support' },
    user: { id: AGENT_USER, name: 'robin' },
    channel: { id: message.channel, name: 'alex-support' },
    is_enterprise_install: false,
    enterprise: null,
    callback_id: callbackId,
    trigger_id: triggerId(),
    response_url: 'http://127.0.0.1:1/unset',
    message_ts: '1700000000.000200',
    message: {
      client_msg_id: 'm-1',
      type: 'message',
      text: message.text,
      user: message.user,
      ts: '1700000000.000200',
      team: TEAM,
    },
  });
}

/** An Events API callback, JSON as Slack sends it. */
export function eventCallback(
  event: Record<string, unknown>,
  eventId = `Ev${next()}`,
  envelope: { teamId?: string; extShared?: boolean } = {},
): string {
  return JSON.stringify({
    token: 'verification-token-unused',
    team_id: envelope.teamId ?? TEAM,
    api_app_id: 'A0SUPPORTV',
    event,
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [
      { enterprise_id: null, team_id: TEAM, user_id: 'U0BOTUSER', is_bot: true, is_enterprise_install: false },
    ],
    is_ext_shared_channel: envelope.extShared ?? false,
  });
}

/**
 * A message typed in a channel, as Slack delivers it: in the Slack Connect channel the envelope's `team_id`
 * and the event's `team` / `user_team` are the sender's own team (an external member's is theirs), and only
 * `authorizations[0].team_id` names the installing team (see test/fixtures/platforms/slack/).
 */
export function channelMessage(
  userId: string,
  text: string,
  channel = SHARED_CHANNEL,
  extra: Record<string, unknown> = {},
): string {
  const team = user(userId).team_id;
  const ts = `${(Date.now() / 1000).toFixed(6)}`;
  return eventCallback(
    {
      user: userId,
      type: 'message',
      ts,
      client_msg_id: `m-${next()}`,
      text,
      team,
      ...(team !== TEAM ? { user_team: team, source_team: team } : {}),
      blocks: [
        {
          type: 'rich_text',
          block_id: 'b1',
          elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text }] }],
        },
      ],
      channel,
      event_ts: ts,
      channel_type: 'channel',
      ...extra,
    },
    `Ev${next()}`,
    { teamId: team, extShared: channel === SHARED_CHANNEL },
  );
}

export interface SlackCall {
  method: string;
  args: Record<string, unknown>;
}

/**
 * An HTTP double of Slack's Web API (pointed at by `SLACK_API_URL`) that answers like Slack and records
 * every call, plus the response URLs Slack hands out, which it also serves.
 */
export class SlackApiDouble {
  readonly server = new RecordingServer();
  readonly sharedChannels = new Set<string>([SHARED_CHANNEL]);
  readonly users: Record<
    string,
    { real_name: string; locale: string; email?: string; team_id?: string; enterprise_id?: string; is_bot?: boolean }
  > = {
    [AGENT_USER]: { real_name: 'Robin Agent', locale: 'en-US', team_id: TEAM },
    [CUSTOMER_USER]: { real_name: 'Alex Morgan', locale: 'en-GB', email: 'alex@example.com', team_id: CUSTOMER_TEAM },
    [COLLEAGUE_USER]: { real_name: 'Kim Colleague', locale: 'en-US', team_id: TEAM },
    [CUSTOMER_COLLEAGUE]: { real_name: 'Sam Morgan', locale: 'en-GB', team_id: CUSTOMER_TEAM },
  };
  /** Who is in each channel, as `conversations.members` lists them. */
  readonly members: Record<string, string[]> = {
    [SHARED_CHANNEL]: [AGENT_USER, COLLEAGUE_USER, CUSTOMER_USER, CUSTOMER_COLLEAGUE],
  };
  groupMembers: string[] = [];
  /** Answers to give, in order, before the usual one: per Web API method, e.g. an outage or a rate limit. */
  readonly outages = new Map<string, Reply[]>();
  /** What `apps.connections.open` hands out: the Socket Mode double's URL. */
  socketUrl = '';
  url = '';
  private ts = 1_700_000_000;

  async start(): Promise<string> {
    this.server.reply = (request) => this.answer(request);
    this.url = await this.server.start();
    return `${this.url}/api/`;
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  /** A response URL on this double: what respond() posts there is recorded as method `response_url`. */
  responseUrl(name = 'r'): string {
    return `${this.url}/respond/${name}`;
  }

  calls(method?: string): SlackCall[] {
    return this.server.requests
      .filter((r) => r.url.startsWith('/api/') || r.url.startsWith('/respond/'))
      .map(parseCall)
      .filter((c) => !method || c.method === method);
  }

  /** What was posted to one response URL (see {@link responseUrl}), waiting until `count` arrived. */
  async responses(name: string, count = 1, timeoutMs = 5000): Promise<Array<Record<string, unknown>>> {
    const deadline = Date.now() + timeoutMs;
    const posted = () =>
      this.server.requests
        .filter((r) => r.url === `/respond/${name}`)
        .map((r) => JSON.parse(r.body || '{}') as Record<string, unknown>);
    while (posted().length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    if (posted().length < count)
      throw new Error(`expected ${count} answer(s) at response URL ${name}, saw ${posted().length}`);
    return posted();
  }

  /** Waits until `count` calls of `method` were recorded (Slack work happens after the ack). */
  async waitFor(method: string, count = 1, timeoutMs = 5000): Promise<SlackCall[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.calls(method).length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const calls = this.calls(method);
    if (calls.length < count)
      throw new Error(
        `expected ${count} ${method} call(s), saw ${calls.length}: ${this.calls()
          .map((c) => c.method)
          .join(', ')}`,
      );
    return calls;
  }

  private answer(request: RecordedRequest): Reply {
    if (request.url.startsWith('/respond/')) return { status: 200, body: { ok: true } };
    const { method, args } = parseCall(request);
    const outage = this.outages.get(method)?.shift();
    if (outage) return outage;
    const ts = `${++this.ts}.000100`;
    switch (method) {
      case 'chat.postMessage': {
        const channel = String(args.channel);
        return {
          status: 200,
          body: { ok: true, channel: channel.startsWith('U') ? `D${channel.slice(1)}` : channel, ts, message: { ts } },
        };
      }
      case 'chat.update':
        return { status: 200, body: { ok: true, channel: args.channel, ts: args.ts } };
      case 'chat.postEphemeral':
        return { status: 200, body: { ok: true, message_ts: ts } };
      case 'views.open':
      case 'views.publish':
      case 'views.update':
        return { status: 200, body: { ok: true, view: { id: `V${ts}` } } };
      case 'users.info': {
        const id = String(args.user);
        const known = this.users[id];
        if (!known) return { status: 200, body: { ok: false, error: 'user_not_found' } };
        return {
          status: 200,
          body: {
            ok: true,
            user: {
              id,
              ...(known.team_id ? { team_id: known.team_id } : {}),
              name: known.real_name.toLowerCase(),
              deleted: false,
              real_name: known.real_name,
              locale: known.locale,
              is_bot: known.is_bot ?? false,
              ...(known.enterprise_id
                ? { enterprise_user: { id, enterprise_id: known.enterprise_id, enterprise_name: 'Grid', teams: [] } }
                : {}),
              profile: { real_name: known.real_name, display_name: '', ...(known.email ? { email: known.email } : {}) },
            },
          },
        };
      }
      case 'conversations.info':
        return {
          status: 200,
          body: {
            ok: true,
            channel: {
              id: args.channel,
              is_channel: true,
              is_ext_shared: this.sharedChannels.has(String(args.channel)),
            },
          },
        };
      case 'conversations.members': {
        const members = this.members[String(args.channel)];
        if (!members) return { status: 200, body: { ok: false, error: 'channel_not_found' } };
        return { status: 200, body: { ok: true, members, response_metadata: { next_cursor: '' } } };
      }
      case 'apps.connections.open':
        return this.socketUrl
          ? { status: 200, body: { ok: true, url: this.socketUrl } }
          : { status: 200, body: { ok: false, error: 'not_allowed_token_type' } };
      case 'usergroups.users.list':
        return { status: 200, body: { ok: true, users: this.groupMembers } };
      default:
        return { status: 200, body: { ok: false, error: 'unknown_method' } };
    }
  }
}

function parseCall(request: RecordedRequest): SlackCall {
  if (request.url.startsWith('/respond/')) return { method: 'response_url', args: JSON.parse(request.body || '{}') };
  const method = request.url.replace(/^\/api\//u, '').split('?')[0] ?? '';
  const type = String(request.headers['content-type'] ?? '');
  let args: Record<string, unknown> = {};
  if (type.includes('application/json')) args = JSON.parse(request.body || '{}');
  else {
    for (const [key, value] of new URLSearchParams(request.body)) {
      args[key] = /^[[{]/u.test(value) ? JSON.parse(value) : value;
    }
  }
  return { method, args };
}

/** The verification a posted card belongs to: the value its action buttons carry. */
export function sessionIdOnCard(call: SlackCall): string {
  const blocks = (call.args.blocks ?? []) as Array<{ type: string; elements?: Array<{ value?: string }> }>;
  const value = blocks.flatMap((b) => (b.type === 'actions' ? (b.elements ?? []) : [])).find((e) => e.value)?.value;
  if (!value) throw new Error(`no action button on the card: ${shownText(call)}`);
  return value;
}

/** Every text a call would show a person, flattened, for asserting on what Slack would display. */
export function shownText(call: SlackCall): string {
  const out: string[] = [];
  const walk = (value: unknown): void => {
    if (typeof value === 'string') out.push(value);
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value))
        if (
          key === 'text' ||
          key === 'blocks' ||
          key === 'elements' ||
          key === 'fields' ||
          key === 'view' ||
          key === 'accessory' ||
          key === 'title' ||
          key === 'label' ||
          key === 'hint' ||
          key === 'element' ||
          key === 'options'
        )
          walk(inner);
    }
  };
  walk(call.args);
  return out.join('\n');
}
