import { isIP } from 'node:net';
import {
  type Activity,
  CallerIdConstants,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type TurnContext,
} from 'botbuilder';
import { AuthenticationConstants } from 'botframework-connector';
import type { Request, Response } from 'restify';
import type { SupportChat } from '../../core/chat.ts';
import { ConversationGuard } from '../../core/conversation-guard.ts';
import type { Locale } from '../../core/messages/catalog.ts';
import { renderMessage } from '../../core/messages/catalog.ts';
import type { Bus } from '../../core/ports/index.ts';
import { RenderTurns } from '../../core/render-turns.ts';
import type { FrontDoorDeps } from '../front-door.ts';
import { parseJson, readBody } from '../http/json-body.ts';
import { HttpError, sendError } from '../http/responses.ts';
import { activityProblems } from './activity-schema.ts';
import { TeamsAgentPolicy, type TeamsAgentRules } from './agent-policy.ts';
import { type GraphCredentialOptions, graphCredential } from './graph-credential.ts';
import { GraphGroupMembership } from './graph-groups.ts';
import { ReusedConnectorsAuthentication } from './reused-connectors.ts';
import { SupportVerifyTeamsBot, teamsLocale } from './teams-bot.ts';
import { TeamsAgentChannel, type TeamsChannelDeps, TeamsCustomerChannel } from './teams-channels.ts';
import { TeamsRefs } from './teams-refs.ts';
import { type TeamsRelayTarget, TeamsWebChatRelay } from './webchat-relay.ts';

export interface TeamsFrontDoorOptions extends FrontDoorDeps {
  appId?: string;
  appPassword?: string;
  appType?: string;
  tenantId?: string;
  /** Certificate credentials instead of a password, under the Bot Framework's own variable names. */
  certificateThumbprint?: string;
  /** PEM with the private key and, for Microsoft Graph, the certificate too. */
  certificatePrivateKey?: string;
  /** Overrides of botbuilder's authentication settings (OpenID metadata, issuer), for tests and sovereign clouds. */
  authSettings?: Record<string, string>;
  /** Where Entra ID and Microsoft Graph are, for the agent group check; tests point them at doubles. */
  graph?: GraphCredentialOptions & { graphUrl?: string };
  /** Relays web chat conversations as threads in this Teams channel. */
  webchat?: { chat: SupportChat; bus: Bus; target: TeamsRelayTarget; agentLocale?: Locale };
  agents: TeamsAgentRules;
}

export interface TeamsFrontDoor {
  /** False when no MicrosoftAppId is set: every request is accepted unauthenticated (local use, the Emulator). */
  authenticated: boolean;
  agentChannel: TeamsAgentChannel;
  customerChannel: TeamsCustomerChannel;
  /** The `POST /api/messages` handler. */
  handle(req: Request, res: Response): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

// botbuilder takes either no endpoint settings (the public cloud) or all of them; an override starts from these.
const PUBLIC_CLOUD = {
  ValidateAuthority: true,
  ToChannelFromBotLoginUrl: AuthenticationConstants.ToChannelFromBotLoginUrl,
  ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
  ToBotFromChannelTokenIssuer: AuthenticationConstants.ToBotFromChannelTokenIssuer,
  OAuthUrl: AuthenticationConstants.OAuthUrl,
  ToBotFromChannelOpenIdMetadataUrl: AuthenticationConstants.ToBotFromChannelOpenIdMetadataUrl,
  ToBotFromEmulatorOpenIdMetadataUrl: AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
  CallerId: CallerIdConstants.PublicAzureChannel,
};

// Teams activities are small; a card invoke with inputs is a few kilobytes.
const MAX_ACTIVITY_BYTES = 256 * 1024;

/** The Teams side of support-verify on botbuilder: one CloudAdapter, the bot, and the channels that update cards. */
export function createTeamsFrontDoor(options: TeamsFrontDoorOptions): TeamsFrontDoor {
  const appId = options.appId ?? '';
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: appId,
    MicrosoftAppPassword: options.appPassword ?? '',
    MicrosoftAppType: options.appType ?? (appId ? 'MultiTenant' : ''),
    MicrosoftAppTenantId: options.tenantId ?? '',
    ...(options.certificateThumbprint && options.certificatePrivateKey
      ? { CertificateThumbprint: options.certificateThumbprint, CertificatePrivateKey: options.certificatePrivateKey }
      : {}),
    ...(options.authSettings ? { ...PUBLIC_CLOUD, ...options.authSettings } : {}),
  });
  const adapter = new CloudAdapter(new ReusedConnectorsAuthentication(auth));
  const refs = new TeamsRefs(options.store);
  const channelDeps: TeamsChannelDeps = {
    adapter,
    appId,
    refs,
    verification: options.verification,
    accounts: options.accounts,
    clock: options.clock,
    company: options.company,
    pinMinutes: options.pinMinutes,
    ...(options.promptLinks ? { promptLinks: options.promptLinks } : {}),
  };
  const { graphUrl, ...credentialOptions } = options.graph ?? {};
  const credential = graphCredential(
    {
      appId,
      ...(options.appType ? { appType: options.appType } : {}),
      ...(options.tenantId ? { tenantId: options.tenantId } : {}),
      ...(options.appPassword ? { appPassword: options.appPassword } : {}),
      ...(options.certificatePrivateKey ? { certificate: options.certificatePrivateKey } : {}),
    },
    credentialOptions,
  );
  const graph = credential
    ? new GraphGroupMembership({ credential, ...(graphUrl ? { graphUrl } : {}), clock: options.clock })
    : undefined;
  const agentChannel = new TeamsAgentChannel(channelDeps);
  const customerChannel = new TeamsCustomerChannel(channelDeps);
  const relay = options.webchat
    ? new TeamsWebChatRelay({
        adapter,
        appId,
        store: options.store,
        chat: options.webchat.chat,
        bus: options.webchat.bus,
        turns: new RenderTurns(options.store, { clock: options.clock }),
        target: options.webchat.target,
        agentLocale: options.webchat.agentLocale ?? 'en',
        logger: options.logger,
      })
    : undefined;
  const bot = new SupportVerifyTeamsBot({
    ...(relay && options.webchat ? { webchat: { chat: options.webchat.chat, relay } } : {}),
    verification: options.verification,
    store: options.store,
    guard: new ConversationGuard(options.store, options.clock),
    refs,
    policy: new TeamsAgentPolicy(
      options.agents,
      options.production,
      graph ? (tenantId, user, groups) => graph.isMember(tenantId, user, groups) : undefined,
      options.logger,
    ),
    agentChannel,
    logger: options.logger,
  });
  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    options.logger.error(
      { err: { name: error.name, code: (error as { code?: string }).code }, activityType: context.activity.type },
      'teams turn failed',
    );
    // Nothing was verified or granted; retrying is safe, so say so rather than go quiet.
    if (context.activity.type === 'message')
      await context
        .sendActivity(renderMessage('agent.store_unavailable', teamsLocale(context.activity.locale)))
        .catch(() => undefined);
  };

  return {
    authenticated: appId !== '',
    agentChannel,
    customerChannel,
    start: async () => {
      await relay?.start();
    },
    stop: async () => {
      await relay?.stop();
    },
    async handle(req, res) {
      try {
        const body = parseJson(await readBody(req, MAX_ACTIVITY_BYTES));
        const problems = activityProblems(body);
        const [first] = problems;
        if (first) {
          // Info, not warn: a platform change and an attack both land here, and the schema path tells them apart.
          options.logger.info(
            { reason: 'malformed', schema: { schemaPath: first.schemaPath, instancePath: first.instancePath } },
            'teams: activity refused',
          );
          throw new HttpError(400, 'invalid_activity', problems.map((p) => p.message).join('; '));
        }
        // Without authentication anyone can post here: the bot would then call whatever serviceUrl it names.
        if (!appId && !isDevelopmentServiceUrl((body as { serviceUrl: string }).serviceUrl)) {
          options.logger.info({ reason: 'service_url' }, 'teams: activity refused');
          throw new HttpError(
            400,
            'service_url_not_allowed',
            'without MicrosoftAppId only a loopback or Bot Framework serviceUrl is answered',
          );
        }
        // Checked here as well as inside the adapter, which answers some bad tokens (a wrong issuer) with 500.
        if (appId) {
          await auth
            .authenticateRequest(body as Activity, String(req.headers.authorization ?? ''))
            .catch((error: unknown) => {
              options.logger.warn({ err: { name: (error as Error).name } }, 'teams: request not authenticated');
              throw new HttpError(401, 'unauthorized', 'the request is not authenticated');
            });
        }
        // CloudAdapter reads the parsed activity from req.body, as express or restify's body parser would leave it.
        (req as Request & { body: unknown }).body = body;
        await adapter.process(req, res, (context) => bot.run(context));
      } catch (error) {
        if (error instanceof HttpError) sendError(res, error);
        else {
          options.logger.error({ err: { name: (error as Error).name } }, 'teams request failed');
          sendError(res, new HttpError(500, 'internal_error', 'something went wrong; nothing was verified or granted'));
        }
      }
    },
  };
}

// The Bot Framework's own service hosts (Teams posts from smba.trafficmanager.net; the public and government
// clouds from *.botframework.com / .us / .azure.us).
const BOT_FRAMEWORK_HOSTS =
  /(?:^|\.)(?:botframework\.com|botframework\.us|botframework\.azure\.us|trafficmanager\.net)$/u;

/**
 * Where an unauthenticated `/api/messages` (development, the Emulator, the playground) may send replies: this
 * machine, or the Bot Framework's own hosts; never a host the sender picks.
 */
export function isDevelopmentServiceUrl(serviceUrl: string): boolean {
  let host: string;
  try {
    host = new URL(serviceUrl).hostname.toLowerCase();
  } catch {
    return false;
  }
  if (host === 'localhost' || host === '[::1]' || (isIP(host) === 4 && host.startsWith('127.'))) return true;
  return BOT_FRAMEWORK_HOSTS.test(host) && new URL(serviceUrl).protocol === 'https:';
}
