import { App, SocketModeReceiver, webApi } from '@slack/bolt';
import type { SupportChat } from '../../core/chat.ts';
import { ConversationGuard } from '../../core/conversation-guard.ts';
import type { Locale } from '../../core/messages/catalog.ts';
import type { Bus } from '../../core/ports/index.ts';
import { RenderTurns } from '../../core/render-turns.ts';
import type { FrontDoorDeps } from '../front-door.ts';
import { SlackAgentPolicy, type SlackAgentRules } from './agent-policy.ts';
import { boltLogger } from './bolt-logger.ts';
import { registerListeners } from './listeners.ts';
import { SlackMessageRefs } from './message-refs.ts';
import { RestifyReceiver } from './restify-receiver.ts';
import { SlackAgentChannel, SlackCustomerChannel } from './slack-channels.ts';
import { SlackDirectory } from './slack-directory.ts';
import { SlackWebChatRelay } from './webchat-relay.ts';

export interface SlackFrontDoorOptions extends FrontDoorDeps {
  signingSecret: string;
  botToken: string;
  /** With an app-level token the app connects over Socket Mode instead of receiving HTTP requests. */
  appToken?: string;
  /** Web API base, e.g. `https://slack.com/api/`; tests point it at a double. */
  apiUrl?: string;
  /** The Web API client's HTTP calls, ours and Bolt's (keep-alive sockets); Node's fetch unless set. */
  fetch?: typeof fetch;
  agents: SlackAgentRules;
  onRefused?(reason: string): void;
  /** Relays web chat conversations as threads in this channel. */
  webchat?: { chat: SupportChat; bus: Bus; channel: string; agentLocale?: Locale };
}

export interface SlackFrontDoor {
  mode: 'http' | 'socket';
  agentChannel: SlackAgentChannel;
  customerChannel: SlackCustomerChannel;
  /** The `POST /slack/events` handler, in HTTP mode. */
  receiver?: RestifyReceiver;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** The Slack side of support-verify on Bolt: one app, its listeners, and the channels that update messages. */
export function createSlackFrontDoor(options: SlackFrontDoorOptions): SlackFrontDoor {
  const logger = boltLogger(options.logger);
  // Every Web API call, ours and Bolt's, waits 5 s at most and is retried twice (the README's figures).
  const clientOptions = {
    ...(options.apiUrl ? { slackApiUrl: options.apiUrl } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    logger,
    timeout: 5000,
    retryConfig: { retries: 2, factor: 2, minTimeout: 200, maxTimeout: 2000 },
  };
  const client = new webApi.WebClient(options.botToken, clientOptions);
  const refs = new SlackMessageRefs(options.store);
  const directory = new SlackDirectory(client, options.clock);
  const policy = new SlackAgentPolicy(
    options.agents,
    options.production,
    (group) => directory.groupMembers(group),
    options.clock,
  );
  const channelDeps = {
    client,
    refs,
    verification: options.verification,
    accounts: options.accounts,
    clock: options.clock,
    company: options.company,
    pinMinutes: options.pinMinutes,
    ...(options.promptLinks ? { promptLinks: options.promptLinks } : {}),
  };
  const agentChannel = new SlackAgentChannel(channelDeps);
  const customerChannel = new SlackCustomerChannel(channelDeps);

  const http = options.appToken
    ? undefined
    : new RestifyReceiver({
        signingSecret: options.signingSecret,
        logger,
        clock: options.clock,
        onRefused: (reason, problem) => {
          // Info, not warn: a platform change and an attack both land here, and the schema path tells them apart.
          options.logger.info({ reason, ...(problem ? { schema: problem } : {}) }, 'slack: request refused');
          options.onRefused?.(reason);
        },
      });
  const app = new App({
    receiver:
      http ??
      // Built here rather than by Bolt so that it asks the same Web API (SLACK_API_URL) for its WebSocket URL.
      new SocketModeReceiver({
        appToken: options.appToken ?? '',
        logger,
        installerOptions: { clientOptions: options.apiUrl ? { slackApiUrl: options.apiUrl } : {} },
      }),
    // One workspace, one bot token: no auth.test at start, so an unreachable Slack never blocks start-up.
    authorize: async () => ({ botToken: options.botToken }),
    clientOptions,
    logger,
    ignoreSelf: false,
    // No listener reads Bolt's per-conversation context; its store would only cost a lookup per request.
    convoStore: false,
  });
  app.error(async (error) => {
    options.logger.error(
      { err: { name: error.name, code: (error as { code?: string }).code } },
      'slack listener failed',
    );
  });
  const relay = options.webchat
    ? new SlackWebChatRelay({
        client,
        store: options.store,
        chat: options.webchat.chat,
        bus: options.webchat.bus,
        turns: new RenderTurns(options.store, { clock: options.clock }),
        channel: options.webchat.channel,
        agentLocale: options.webchat.agentLocale ?? 'en',
        logger: options.logger,
      })
    : undefined;
  registerListeners(app, {
    ...(relay && options.webchat ? { webchat: { chat: options.webchat.chat, relay } } : {}),
    ...channelDeps,
    store: options.store,
    guard: new ConversationGuard(options.store, options.clock),
    directory,
    policy,
    logger: options.logger,
  });

  return {
    mode: http ? 'http' : 'socket',
    agentChannel,
    customerChannel,
    ...(http ? { receiver: http } : {}),
    start: async () => {
      await relay?.start();
      if (!http) await app.start();
    },
    stop: async () => {
      await relay?.stop();
      if (!http) await app.stop();
    },
  };
}
