import type { Activity } from 'botbuilder';
import {
  type AuthenticateRequestResult,
  AuthenticationConstants,
  BotFrameworkAuthentication,
  type BotFrameworkClient,
  type ClaimsIdentity,
  type ConnectorClient,
  ConnectorFactory,
  type UserTokenClient,
} from 'botframework-connector';
import { LRUCache } from 'lru-cache';

/** How many Bot Connector clients are kept (one per bot identity, service URL and audience), and for how long. */
const MAX_CLIENTS = 200;
const CLIENT_TTL_MS = 60 * 60 * 1000;

/**
 * The Bot Framework authentication botbuilder's CloudAdapter asks for a Bot Connector client (and a user token
 * client) on every turn and every card update, with one change: the clients are reused. botbuilder builds new
 * ones, each with its whole HTTP pipeline, every time (in the bench's profile, 1.1 s of the server's 82 s of CPU).
 * A client holds nothing of a turn: its credentials sign each request with a token they cache and renew
 * themselves, which is why the older BotFrameworkAdapter kept one per service URL. Connector clients are keyed by
 * the bot's app id from the claims, the service URL and the audience; user token clients by the app id. They are
 * bounded, since the service URL comes from the activity, and a failed creation is not kept.
 */
export class ReusedConnectorsAuthentication extends BotFrameworkAuthentication {
  private readonly clients = new LRUCache<string, Promise<ConnectorClient>>({ max: MAX_CLIENTS, ttl: CLIENT_TTL_MS });
  private readonly userTokenClients = new LRUCache<string, Promise<UserTokenClient>>({
    max: MAX_CLIENTS,
    ttl: CLIENT_TTL_MS,
  });

  constructor(private readonly inner: BotFrameworkAuthentication) {
    super();
  }

  override async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    return this.reusing(await this.inner.authenticateRequest(activity, authHeader));
  }

  override async authenticateStreamingRequest(
    authHeader: string,
    channelIdHeader: string,
  ): Promise<AuthenticateRequestResult> {
    return this.reusing(await this.inner.authenticateStreamingRequest(authHeader, channelIdHeader));
  }

  override createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return new ReusedConnectorFactory(this.inner.createConnectorFactory(claimsIdentity), claimsIdentity, this.clients);
  }

  // Made on every turn too, with a pipeline of its own, though this bot never asks for a user's token.
  override createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    return reused(this.userTokenClients, appIdOf(claimsIdentity), () =>
      this.inner.createUserTokenClient(claimsIdentity),
    );
  }

  override createBotFrameworkClient(): BotFrameworkClient {
    return this.inner.createBotFrameworkClient();
  }

  override getOriginatingAudience(): string {
    return this.inner.getOriginatingAudience();
  }

  override authenticateChannelRequest(authHeader: string): Promise<ClaimsIdentity> {
    return this.inner.authenticateChannelRequest(authHeader);
  }

  private reusing(result: AuthenticateRequestResult): AuthenticateRequestResult {
    if (!result.connectorFactory) return result;
    return {
      ...result,
      connectorFactory: new ReusedConnectorFactory(result.connectorFactory, result.claimsIdentity, this.clients),
    };
  }
}

class ReusedConnectorFactory extends ConnectorFactory {
  constructor(
    private readonly inner: ConnectorFactory,
    private readonly claimsIdentity: ClaimsIdentity,
    private readonly clients: LRUCache<string, Promise<ConnectorClient>>,
  ) {
    super();
  }

  override create(serviceUrl: string, audience?: string): Promise<ConnectorClient> {
    const key = JSON.stringify([appIdOf(this.claimsIdentity), serviceUrl, audience ?? '']);
    return reused(this.clients, key, () => this.inner.create(serviceUrl, audience));
  }
}

/** The app id botbuilder makes a client's credentials for: the audience claim, else the appid claim. */
function appIdOf(claimsIdentity: ClaimsIdentity): string {
  return (
    claimsIdentity.getClaimValue(AuthenticationConstants.AudienceClaim) ??
    claimsIdentity.getClaimValue(AuthenticationConstants.AppIdClaim) ??
    ''
  );
}

/** The client kept under `key`, or a new one kept there unless making it fails. */
function reused<T extends object>(clients: LRUCache<string, Promise<T>>, key: string, make: () => Promise<T>) {
  const known = clients.get(key);
  if (known) return known;
  const created = make();
  clients.set(key, created);
  created.catch(() => {
    if (clients.get(key) === created) clients.delete(key);
  });
  return created;
}
