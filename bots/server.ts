import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import restify, { type Request, type Response, type Server } from 'restify';
import { DemoAccounts } from '../adapters/accounts/demo-accounts.ts';
import { HttpAccounts } from '../adapters/accounts/http-accounts.ts';
import { LogAuditLog, MemoryAuditLog, TeeAuditLog } from '../adapters/audit/log-audit-log.ts';
import { RedisAuditLog } from '../adapters/audit/redis-audit-log.ts';
import { SecurityAlertWebhook } from '../adapters/audit/security-alert-webhook.ts';
import { InProcessBus } from '../adapters/bus/in-process-bus.ts';
import { RedisBus } from '../adapters/bus/redis-bus.ts';
import { type Config, DEMO_PORTAL_KEY } from '../adapters/config/config.ts';
import { SimulatedDevice } from '../adapters/devices/simulated-device.ts';
import { WebhookDevicePrompts } from '../adapters/devices/webhook-device-prompts.ts';
import { ClientAddresses } from '../adapters/http/client-address.ts';
import { createKeepAliveFetch } from '../adapters/http/keep-alive-fetch.ts';
import { createLogger, type Logger } from '../adapters/log/logger.ts';
import { OutboxMailer } from '../adapters/mailer/outbox-mailer.ts';
import { SmtpMailer } from '../adapters/mailer/smtp-mailer.ts';
import { CountingAuditLog, Metrics } from '../adapters/metrics/metrics.ts';
import { MemoryPasskeyRegistry } from '../adapters/passkeys/memory-passkey-registry.ts';
import { PasskeyAccounts } from '../adapters/passkeys/passkey-accounts.ts';
import { RedisPasskeyRegistry } from '../adapters/passkeys/redis-passkey-registry.ts';
import { SimpleWebAuthnParty } from '../adapters/passkeys/simplewebauthn-party.ts';
import { WebPushSender } from '../adapters/passkeys/web-push-sender.ts';
import { BuiltinPins } from '../adapters/pins/builtin-pins.ts';
import { connectRedis, type RedisClient, whenReady } from '../adapters/redis/connect.ts';
import { MemoryDeadlines } from '../adapters/store/memory-deadlines.ts';
import { MemorySessionStore } from '../adapters/store/memory-session-store.ts';
import { RedisDeadlines } from '../adapters/store/redis-deadlines.ts';
import { RedisSessionStore } from '../adapters/store/redis-session-store.ts';
import { accountScope } from '../core/availability.ts';
import { SupportChat } from '../core/chat.ts';
import { DeviceTokens } from '../core/device-tokens.ts';
import { PasskeyDevices } from '../core/passkey-devices.ts';
import { PasskeyConfirmations, PasskeyPrompts, PromptLinks } from '../core/passkey-prompts.ts';
import type {
  Accounts,
  AuditLog,
  Bus,
  Clock,
  Deadlines,
  DevicePrompts,
  Mailer,
  PasskeyRegistry,
  PushSender,
  SessionStore,
  WebAuthnParty,
} from '../core/ports/index.ts';
import { systemClock } from '../core/ports/index.ts';
import { RefusalTally } from '../core/refusal-tally.ts';
import { keyedAccountHash } from '../core/signing.ts';
import { UpdateDispatcher } from '../core/update-dispatcher.ts';
import { Verification } from '../core/verification.ts';
import { deviceConfirmationRoutes } from './api/device-confirmation.ts';
import { devicePortalRoutes } from './api/device-portal.ts';
import { deviceResponsesRoute } from './api/device-responses.ts';
import { healthRoute, metricsRoute, readinessRoute, storeProbe } from './api/health.ts';
import { PortalKeys } from './api/portal-keys.ts';
import { portalPinsRoute } from './api/portal-pins.ts';
import { confirmPageRoute, DEVICE_ASSET_PATHS, deviceAssetRoute, devicesPageRoute } from './devices/device-pages.ts';
import type { FrontDoorDeps } from './front-door.ts';
import { jsonRoute } from './http/handler.ts';
import { HttpError, sendError, sendJson } from './http/responses.ts';
import { openApiRoute } from './openapi/document.ts';
import { LoopbackConnector } from './playground/loopback-connector.ts';
import { PlaygroundLinks } from './playground/playground-links.ts';
import { PLAYGROUND_FILES, playgroundFileRoute } from './playground/playground-page.ts';
import { playgroundRoutes } from './playground/playground-routes.ts';
import { createSlackFrontDoor, type SlackFrontDoor } from './slack/slack-front-door.ts';
import { createTeamsFrontDoor, type TeamsFrontDoor } from './teams/teams-front-door.ts';
import { chatAssetRoute, chatPageRoute } from './webchat/chat-page.ts';
import { type ChatStreams, chatRoutes } from './webchat/chat-routes.ts';
import { WebChatCustomerChannel } from './webchat/webchat-channel.ts';

const PLAYGROUND_CHANNEL = '19:playground-support@thread.tacv2';

/** The built-in passkeys' parts every replica shares (`DEVICE_PROMPTS=passkey`). */
export interface PasskeyParts {
  registry: PasskeyRegistry;
  tokens: DeviceTokens;
  party: WebAuthnParty;
  /** With VAPID keys. */
  push?: PushSender;
  /** With the playground: the links prompts sent, for its phone. */
  links?: PlaygroundLinks;
}

export interface AppOptions {
  logger?: Logger;
  clock?: Clock;
  /** botbuilder authentication overrides (a local OpenID metadata endpoint in tests). */
  teamsAuthSettings?: Record<string, string>;
  /** Azure AD and Microsoft Graph base URLs for the Teams agent group check (doubles in tests). */
  teamsGraph?: NonNullable<Parameters<typeof createTeamsFrontDoor>[0]['graph']>;
}

/** Everything one replica runs, composed from the configuration. */
export interface App {
  config: Config;
  server: Server;
  logger: Logger;
  clock: Clock;
  store: SessionStore;
  bus: Bus;
  accounts: Accounts;
  /** The durable audit record: a Redis stream, or memory in the embedded mode. */
  auditRecord: RedisAuditLog | MemoryAuditLog;
  verification: Verification;
  metrics: Metrics;
  /** Present in the embedded mode (no `DEVICE_WEBHOOK_URL`). */
  device?: SimulatedDevice;
  /** Present with `DEVICE_PROMPTS=passkey`: the registered passkeys and the tokens of their pages. */
  passkeys?: PasskeyParts;
  /** Present when `SMTP_URL` is unset. */
  outbox?: OutboxMailer;
  /** Present when Slack is configured. */
  slack?: SlackFrontDoor;
  /** Present with `MicrosoftAppId`, and unauthenticated outside production for local use. */
  teams?: TeamsFrontDoor;
  dispatcher: UpdateDispatcher;
  /** The customers' support chat (web chat). */
  chat: SupportChat;
  /** The web chat event streams this replica holds. */
  chatStreams: ChatStreams;
  /** Unauthenticated refusals this replica counts, audited per source once a minute. */
  refusals: RefusalTally;
  /** Where `/metrics` is served when it has a loopback port of its own (`METRICS_PORT`), once listening. */
  metricsUrl?: string;
  /** Starts listening and resolves with the base URL. */
  listen(): Promise<string>;
  /**
   * Marks this replica unready (`/readyz` answers 503) while it goes on answering everything else, so a load
   * balancer moves new work to the other replicas before {@link App.close} stops accepting it.
   */
  drain(): void;
  /** Stops accepting, lets in-flight work finish, then closes the store and the bus. */
  close(): Promise<void>;
}

export async function createApp(config: Config, options: AppOptions = {}): Promise<App> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const metrics = new Metrics();
  for (const { name, use } of config.deprecated)
    logger.warn(
      { variable: name, use },
      `${name} is deprecated and will be removed in the next release: set ${use} (whsec_ secrets; README.md#signed-webhooks)`,
    );
  const onHandlerError = (error: unknown) =>
    logger.error({ err: { name: (error as Error).name } }, 'bus handler failed');

  let store: SessionStore;
  let deadlines: Deadlines;
  let chatIdleEnds: Deadlines;
  let bus: Bus;
  let auditRecord: RedisAuditLog | MemoryAuditLog;
  let redis: RedisClient | undefined;
  if (config.redis) {
    redis = connectRedis(config.redis);
    // Start even when Redis is late: /readyz says so and every request fails closed until it answers.
    await whenReady(redis, 5000).catch(() =>
      logger.warn(
        'Redis is not reachable yet: every request is answered "temporarily unavailable" until it is (/healthz?deep and support_verify_store_up say when)',
      ),
    );
    store = new RedisSessionStore(redis, { replicasToAck: config.redisWaitReplicas });
    deadlines = new RedisDeadlines(redis);
    chatIdleEnds = new RedisDeadlines(redis, 'chat');
    bus = new RedisBus(redis, onHandlerError);
    auditRecord = new RedisAuditLog(redis, { key: config.auditKey, retentionDays: config.auditRetentionDays });
  } else {
    store = new MemorySessionStore(clock);
    deadlines = new MemoryDeadlines();
    chatIdleEnds = new MemoryDeadlines();
    bus = new InProcessBus(onHandlerError);
    auditRecord = new MemoryAuditLog(config.auditKey);
  }
  // Every outbound HTTP call but the Bot Connector's (botbuilder keeps its own sockets) shares these.
  const outboundHttp = createKeepAliveFetch();
  const alerts = config.securityWebhook
    ? new SecurityAlertWebhook({
        ...config.securityWebhook,
        clock,
        fetch: outboundHttp.fetch,
        onFailure: (error, event) => {
          metrics.backgroundFailures.inc({ what: 'security webhook' });
          logger.error(
            { err: { name: (error as Error).name, message: (error as Error).message }, alert: event.type },
            'security webhook failed; the alert is in the audit trail',
          );
        },
      })
    : undefined;
  const audit: AuditLog = new CountingAuditLog(
    new TeeAuditLog([auditRecord, new LogAuditLog(logger), ...(alerts ? [alerts] : [])]),
    metrics,
  );
  const hashAccount = (accountId: string) => keyedAccountHash(config.auditKey, accountId);
  let accounts: Accounts = config.accountsUrl
    ? new HttpAccounts({ baseUrl: config.accountsUrl, fetch: outboundHttp.fetch })
    : await DemoAccounts.load();

  let outbox: OutboxMailer | undefined;
  let smtp: SmtpMailer | undefined;
  let mailer: Mailer;
  if (config.smtpUrl) {
    smtp = new SmtpMailer(config.smtpUrl, config.mailFrom);
    mailer = smtp;
  } else {
    outbox = new OutboxMailer(config.outboxDir, config.mailFrom);
    mailer = outbox;
  }
  const onBackgroundError = (error: unknown, what: string) => {
    metrics.backgroundFailures.inc({ what });
    logger.error({ err: { name: (error as Error).name, message: (error as Error).message }, what }, `${what} failed`);
  };

  let device: SimulatedDevice | undefined;
  let devicePrompts: DevicePrompts;
  let passkeys: PasskeyParts | undefined;
  let promptLinks: PromptLinks | undefined;
  if (config.device.mode === 'passkey') {
    const registry = redis
      ? new RedisPasskeyRegistry(redis, (accountId) => accountScope(hashAccount(accountId)))
      : new MemoryPasskeyRegistry();
    accounts = new PasskeyAccounts(accounts, registry);
    const tokens = new DeviceTokens(config.device.tokenKey);
    const push = config.device.vapid ? new WebPushSender(config.device.vapid) : undefined;
    passkeys = {
      registry,
      tokens,
      party: new SimpleWebAuthnParty({ publicUrl: config.publicUrl, name: config.company }),
      ...(push ? { push } : {}),
    };
    const links = config.playground ? new PlaygroundLinks() : undefined;
    if (links) passkeys.links = links;
    promptLinks = new PromptLinks(tokens, config.publicUrl);
    devicePrompts = new PasskeyPrompts({
      store,
      registry,
      accounts,
      mailer,
      links: promptLinks,
      ...(push ? { push } : {}),
      clock,
      ...(links ? { onLink: async (request, url) => links.record(request, url) } : {}),
      onBackgroundError,
    });
  } else if (config.device.webhookUrl) {
    devicePrompts = new WebhookDevicePrompts({
      url: config.device.webhookUrl,
      keys: config.device.keys,
      responseUrl: `${config.publicUrl}/v1/device-prompts/{promptId}/response`,
      clock,
      fetch: outboundHttp.fetch,
    });
  } else {
    device = new SimulatedDevice(config.device.keys, clock);
    devicePrompts = device;
  }

  const pins = new BuiltinPins({
    store,
    clock,
    pepper: config.pinPepper,
    validMinutes: config.policies.pinValidMinutes,
    hashAccount,
  });
  const verification = new Verification({
    store,
    deadlines,
    bus,
    accounts,
    devicePrompts,
    pins,
    mailer,
    audit,
    clock,
    policies: config.policies,
    company: config.company,
    hashAccount,
    onBackgroundError,
  });

  const chat = new SupportChat({
    store,
    bus,
    clock,
    verification,
    tokenKey: config.chatTokenKey,
    idleEnds: chatIdleEnds,
    onSecretRedacted: (input) => verification.secretRedacted({ channel: 'webchat', ...input }),
  });
  const frontDoorDeps: FrontDoorDeps = {
    ...(promptLinks ? { promptLinks } : {}),
    production: config.nodeEnv === 'production',
    company: config.company,
    pinMinutes: config.policies.pinValidMinutes,
    verification,
    store,
    accounts,
    clock,
    logger,
  };
  const slack =
    config.slack.botToken && config.slack.signingSecret
      ? createSlackFrontDoor({
          signingSecret: config.slack.signingSecret,
          botToken: config.slack.botToken,
          ...(config.slack.appToken ? { appToken: config.slack.appToken } : {}),
          ...(config.slack.apiUrl ? { apiUrl: config.slack.apiUrl } : {}),
          fetch: outboundHttp.fetch,
          agents: config.agents.slack,
          ...frontDoorDeps,
          onRefused: (reason) => metrics.slackRefused.inc({ reason }),
          ...(config.webchat.slackChannel
            ? {
                webchat: {
                  chat,
                  bus,
                  channel: config.webchat.slackChannel,
                  agentLocale: config.webchat.agentLocale ?? 'en',
                },
              }
            : {}),
        })
      : undefined;
  // In the playground the web chat is relayed to the agent pane's Teams, through the loopback connector
  // (its address is known once the server listens).
  const relayTarget =
    config.webchat.teamsChannel ??
    (config.playground ? { serviceUrl: '', channelId: PLAYGROUND_CHANNEL, tenantId: 'playground-tenant' } : undefined);
  const teams =
    config.teams.appId || config.nodeEnv !== 'production'
      ? createTeamsFrontDoor({
          ...config.teams,
          ...(options.teamsAuthSettings ? { authSettings: options.teamsAuthSettings } : {}),
          ...(options.teamsGraph ? { graph: options.teamsGraph } : {}),
          ...(relayTarget
            ? { webchat: { chat, bus, target: relayTarget, agentLocale: config.webchat.agentLocale ?? 'en' } }
            : {}),
          agents: config.agents.teams,
          ...frontDoorDeps,
        })
      : undefined;
  const clients = new ClientAddresses(config.trustedProxies);
  const refusals = new RefusalTally({
    audit,
    clock,
    onRefused: (kind) => metrics.unauthenticatedRefused.inc({ kind }),
  });
  refusals.start();
  const chatApi = chatRoutes(
    { chat, verification, bus, clients, ...(promptLinks ? { promptLinks } : {}) },
    config.webchatStreams,
  );
  await chatApi.hub.start();
  chat.start();
  const webchatChannel = new WebChatCustomerChannel({
    chat,
    accounts,
    clock,
    company: config.company,
    pinMinutes: config.policies.pinValidMinutes,
  });
  const dispatcher = new UpdateDispatcher({
    bus,
    store,
    verification,
    clock,
    agentChannels: {
      ...(slack ? { slack: slack.agentChannel } : {}),
      ...(teams ? { teams: teams.agentChannel } : {}),
    },
    customerChannels: [
      ...(slack ? [slack.customerChannel] : []),
      ...(teams ? [teams.customerChannel] : []),
      webchatChannel,
    ],
    onError: (error, what) => {
      metrics.backgroundFailures.inc({ what });
      logger.error(
        { err: { name: (error as Error).name, code: (error as { code?: string }).code }, what },
        `${what} failed`,
      );
    },
  });
  await dispatcher.start();

  const passkeyDevices = (parts: PasskeyParts) =>
    new PasskeyDevices({
      registry: parts.registry,
      party: parts.party,
      store,
      accounts,
      mailer,
      audit,
      clock,
      company: config.company,
      hashAccount,
      ...(parts.push ? { push: parts.push } : {}),
      onBackgroundError,
    });
  // The passkeys' two pages and their APIs: the device portal (the company's portal backend mints its tokens) and
  // the confirmation page every prompt ends on.
  const passkeyApi = (parts: PasskeyParts, devices = passkeyDevices(parts)) => ({
    devices,
    portal: devicePortalRoutes({
      devices,
      tokens: parts.tokens,
      keys: new PortalKeys(config.portalApiKeys, refusals, clients),
      accounts,
      store,
      clock,
      publicUrl: config.publicUrl,
      tokensPerMinute: config.policies.portalPinsPerMinute,
    }),
    confirmation: deviceConfirmationRoutes({
      confirmations: new PasskeyConfirmations({
        store,
        registry: parts.registry,
        party: parts.party,
        tokens: parts.tokens,
        audit,
        clock,
        hashAccount,
        answer: (promptId, decision, matchedNumber) => verification.deviceResponse(promptId, decision, matchedNumber),
      }),
      company: config.company,
    }),
  });

  // Long ids must reach the routes' own validation (a clear 400), not fall through the router as a 404.
  const server = restify.createServer({ name: 'support-verify', handleUncaughtExceptions: false, maxParamLength: 512 });
  installBasics(server, logger, metrics);
  const startedAt = clock.now();
  const storeReachable = storeProbe(() => store.ping());
  let draining = false;
  metrics.watchStore(storeReachable);
  server.get(
    '/healthz',
    jsonRoute(
      logger,
      healthRoute(startedAt, () => clock.now(), storeReachable),
    ),
  );
  server.get(
    '/readyz',
    jsonRoute(
      logger,
      readinessRoute(() => draining, storeReachable),
    ),
  );
  const serveMetrics = metricsRoute(() => metrics.text(), metrics.registry.contentType, config.metrics.token);
  // With a metrics port the security counters are not on the public port at all.
  if (config.metrics.port === undefined) server.get('/metrics', jsonRoute(logger, serveMetrics));
  let metricsUrl: string | undefined;
  const metricsServer =
    config.metrics.port === undefined
      ? undefined
      : createServer((req, res) => {
          if (req.method === 'GET' && (req.url ?? '').split('?')[0] === '/metrics')
            void serveMetrics(req as Request, res as unknown as Response).catch((error: unknown) => {
              if (error instanceof HttpError) sendError(res as unknown as Response, error);
              else res.destroy();
            });
          else {
            res.writeHead(404, { 'content-type': 'application/json; charset=utf-8' });
            res.end(JSON.stringify({ error: { code: 'not_found', message: 'only /metrics is served here' } }));
          }
        });
  server.post(
    '/v1/accounts/:accountId/support-pins',
    jsonRoute(
      logger,
      portalPinsRoute({
        verification,
        audit,
        clock,
        store,
        portalApiKeys: config.portalApiKeys,
        refusals,
        clients,
        pinsPerMinute: config.policies.portalPinsPerMinute,
      }),
    ),
  );
  if (slack?.receiver) server.post('/slack/events', slack.receiver.handle);
  if (teams) server.post('/api/messages', teams.handle);
  const loopback = config.playground ? new LoopbackConnector() : undefined;
  if (loopback) {
    const activities = '/playground/connector/v3/conversations/:conversationId/activities';
    server.post('/playground/connector/v3/conversations', jsonRoute(logger, loopback.createConversation));
    server.post(activities, jsonRoute(logger, loopback.activities));
    server.post(`${activities}/:activityId`, jsonRoute(logger, loopback.activities));
    server.put(`${activities}/:activityId`, jsonRoute(logger, loopback.activities));
    server.get('/playground/agent/events', loopback.stream);
    const phoneLinks = passkeys?.links;
    const playground = playgroundRoutes({
      ...(device ? { device } : {}),
      ...(outbox ? { outbox } : {}),
      ...(config.portalApiKeys.includes(DEMO_PORTAL_KEY) ? { demoPortalKey: DEMO_PORTAL_KEY } : {}),
      ...(passkeys && phoneLinks
        ? {
            passkeys: {
              links: phoneLinks,
              clock,
              portalUrl: (accountId: string) =>
                `${config.publicUrl}/devices#t=${passkeys.tokens.mint('portal', accountId, clock.now() + 15 * 60_000)}`,
            },
          }
        : {}),
    });
    server.get('/playground/settings', jsonRoute(logger, playground.settings));
    server.get('/playground/device/prompts', jsonRoute(logger, playground.prompts));
    server.get('/playground/device/passkey', jsonRoute(logger, playground.passkeyPhone));
    server.post('/playground/device/prompts/:promptId/answer', jsonRoute(logger, playground.answer));
    server.get('/playground/mailbox', jsonRoute(logger, playground.mailbox));
    // The embedded trail lives in this process: `npm run audit -- verify` asks for its check here, locally only.
    const memoryTrail = auditRecord instanceof MemoryAuditLog ? auditRecord : undefined;
    if (memoryTrail)
      server.get(
        '/playground/audit/verify',
        jsonRoute(logger, async (req, res) => {
          if (!isLoopback(req.socket.remoteAddress))
            throw new HttpError(403, 'forbidden', 'the embedded audit trail is checked from this machine only');
          sendJson(res, 200, memoryTrail.verify());
        }),
      );
    for (const path of PLAYGROUND_FILES) server.get(path, playgroundFileRoute(path));
  }
  server.get('/chat', chatPageRoute(config.company, config.webchatOrigins));
  for (const path of ['/chat.js', '/chat.css', '/webchat.js', '/favicon.svg'] as const)
    server.get(path, chatAssetRoute(path));
  // Browsers ask for /favicon.ico on their own; the same icon answers.
  server.get('/favicon.ico', chatAssetRoute('/favicon.svg'));
  server.post('/v1/chat/conversations', jsonRoute(logger, chatApi.open));
  server.get('/v1/chat/conversations/:conversationId', jsonRoute(logger, chatApi.read));
  server.get('/v1/chat/conversations/:conversationId/events', jsonRoute(logger, chatApi.stream));
  server.post('/v1/chat/conversations/:conversationId/messages', jsonRoute(logger, chatApi.say));
  server.post('/v1/chat/conversations/:conversationId/pin', jsonRoute(logger, chatApi.pin));
  server.post('/v1/chat/conversations/:conversationId/end', jsonRoute(logger, chatApi.end));
  server.get('/openapi.json', openApiRoute(config.publicUrl));
  const passkeyRoutes = passkeys ? passkeyApi(passkeys) : undefined;
  if (passkeyRoutes) {
    const { portal, confirmation } = passkeyRoutes;
    server.post('/v1/accounts/:accountId/device-portal-tokens', jsonRoute(logger, portal.mintToken));
    server.get('/v1/devices', jsonRoute(logger, portal.list));
    server.post('/v1/devices/registration-options', jsonRoute(logger, portal.registrationOptions));
    server.post('/v1/devices', jsonRoute(logger, portal.register));
    server.del('/v1/devices/:deviceId', jsonRoute(logger, portal.remove));
    server.put('/v1/devices/:deviceId/notifications', jsonRoute(logger, portal.notifications));
    server.get('/v1/prompts/:promptId', jsonRoute(logger, confirmation.view));
    server.post('/v1/prompts/:promptId/assertion-options', jsonRoute(logger, confirmation.assertionOptions));
    server.post('/v1/prompts/:promptId/confirm', jsonRoute(logger, confirmation.confirm));
    server.post('/v1/prompts/:promptId/deny', jsonRoute(logger, confirmation.deny));
    server.get(
      '/devices',
      devicesPageRoute(config.company, config.webchatOrigins, {
        ...(config.device.vapid ? { vapidPublicKey: config.device.vapid.publicKey } : {}),
        playground: config.playground,
      }),
    );
    server.get('/confirm', confirmPageRoute({ playground: config.playground }));
    for (const path of DEVICE_ASSET_PATHS) server.get(path, deviceAssetRoute(path));
  }
  server.post(
    '/v1/device-prompts/:promptId/response',
    jsonRoute(
      logger,
      deviceResponsesRoute({ verification, clock, keys: config.device.keys, replays: store, refusals, clients }),
    ),
  );

  const { host } = config;
  return {
    config,
    server,
    logger,
    clock,
    store,
    bus,
    accounts,
    auditRecord,
    verification,
    metrics,
    ...(device ? { device } : {}),
    ...(passkeys ? { passkeys } : {}),
    ...(outbox ? { outbox } : {}),
    ...(slack ? { slack } : {}),
    ...(teams ? { teams } : {}),
    dispatcher,
    chat,
    chatStreams: chatApi.hub,
    refusals,
    get metricsUrl() {
      return metricsUrl;
    },
    async listen() {
      await new Promise<void>((resolve, reject) => {
        // Restify re-emits the HTTP server's errors on itself; without this listener EADDRINUSE would crash.
        server.once('error', reject);
        server.listen(config.port, host, () => {
          server.off('error', reject);
          resolve();
        });
      });
      if (metricsServer) {
        await new Promise<void>((resolve, reject) => {
          metricsServer.once('error', reject);
          metricsServer.listen(config.metrics.port, '127.0.0.1', () => resolve());
        });
        const { port: metricsPort } = metricsServer.address() as AddressInfo;
        metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
      }
      const { port } = server.address() as AddressInfo;
      const local = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
      device?.attach(local);
      if (relayTarget && !config.webchat.teamsChannel) relayTarget.serviceUrl = `${local}/playground/connector/`;
      await slack?.start();
      await teams?.start();
      return local;
    },
    drain() {
      draining = true;
    },
    async close() {
      draining = true;
      // Live streams never end by themselves; ending them lets the server close.
      await chatApi.hub.stop();
      await chat.stop();
      await refusals.stop().catch(() => undefined);
      loopback?.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.server.closeIdleConnections();
      });
      await new Promise<void>((resolve) => (metricsServer ? metricsServer.close(() => resolve()) : resolve()));
      await slack?.receiver?.stop();
      await slack?.stop();
      await teams?.stop();
      await verification.idle();
      // This replica's last updates come back over the bus before it stops listening, so it renders them.
      await bus.flush();
      await dispatcher.idle();
      await dispatcher.stop();
      await verification.idle();
      await alerts?.idle();
      // A device added or removed is mailed after the answer; the mail still goes before the store closes.
      await passkeyRoutes?.devices.settled();
      await bus.close();
      await store.close();
      smtp?.close();
      outboundHttp.close();
    },
  };
}

/** Headers every answer carries, uniform JSON for unknown routes, and one log line and metric per request. */
function installBasics(server: Server, logger: Logger, metrics: Metrics): void {
  const started = new WeakMap<Request, number>();
  server.pre((req: Request, res: Response, next: () => void) => {
    started.set(req, performance.now());
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'no-referrer');
    res.setHeader('x-frame-options', 'DENY');
    next();
  });
  // Restify answers these itself after the listener; the listener only shapes the body like every other error.
  const shape = (code: string, message: string) => (_req: Request, _res: Response, err: Error, done: () => void) => {
    Object.assign(err, { toJSON: () => ({ error: { code, message } }) });
    done();
  };
  server.on('NotFound', shape('not_found', 'no such route'));
  server.on('MethodNotAllowed', shape('method_not_allowed', 'that method is not allowed on this route'));
  server.on('after', (req: Request, res: Response, route: { path?: string } | undefined) => {
    const ms = performance.now() - (started.get(req) ?? performance.now());
    const path = String(route?.path ?? 'unmatched');
    metrics.httpRequests.observe(
      { route: path, method: req.method ?? 'GET', status: String(res.statusCode) },
      ms / 1000,
    );
    logger.debug({ method: req.method, route: path, status: res.statusCode, ms: Math.round(ms) }, 'request');
  });
}

/** Whether a socket's peer is this machine (IPv4, IPv6, or IPv4 mapped into IPv6). */
function isLoopback(address: string | undefined): boolean {
  return address === '::1' || /^(?:::ffff:)?127\./u.test(address ?? '');
}
