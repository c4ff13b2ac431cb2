import { App, SocketModeReceiver, webApi } from '@slack/bolt';
import type { FrontDoorDeps } from '../front-door.ts';
import { SlackAgentPolicy, type SlackAgentRules } from './agent-policy.ts';
import { boltLogger } from './bolt-logger.ts';
import { registerListeners } from './listeners.ts';
import { SlackMessageRefs } from './message-refs.ts';
import { RestifyReceiver } from './restify-receiver.ts';
import { SlackAgentChannel, SlackCustomerChannel } from './slack-channels.ts';
import { SlackDirectory } from './slack-directory.ts';

export interface SlackFrontDoorOptions extends FrontDoorDeps {
  signingSecret: string;
  botToken: string;
  /** With an app-level token the app connects over Socket Mode instead of receiving HTTP requests. */
  appToken?: string;
  /** Web API base, e.g. `https://slack.com/api/`; tests point it at a double. */
  apiUrl?: string;
  agents: SlackAgentRules;
  onRefused?(reason: string): void;
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
  const client = new webApi.WebClient(options.botToken, {
    ...(options.apiUrl ? { slackApiUrl: options.apiUrl } : {}),
    logger,
    timeout: 5000,
    retryConfig: { retries: 2, factor: 2, minTimeout: 200, maxTimeout: 2000 },
  });
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
  };
  const agentChannel = new SlackAgentChannel(channelDeps);
  const customerChannel = new SlackCustomerChannel(channelDeps);

  const http = options.appToken
    ? undefined
    : new RestifyReceiver({
        signingSecret: options.signingSecret,
        logger,
        clock: options.clock,
        ...(options.onRefused ? { onRefused: options.onRefused } : {}),
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
    ...(options.apiUrl ? { clientOptions: { slackApiUrl: options.apiUrl } } : {}),
    logger,
    ignoreSelf: false,
  });
  app.error(async (error) => {
    options.logger.error(
      { err: { name: error.name, code: (error as { code?: string }).code } },
      'slack listener failed',
    );
  });
  registerListeners(app, {
    ...channelDeps,
    store: options.store,
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
      if (!http) await app.start();
    },
    stop: async () => {
      if (!http) await app.stop();
    },
  };
}
