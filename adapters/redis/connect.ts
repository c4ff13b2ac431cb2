import { Cluster, type ClusterOptions, Redis, type RedisOptions } from 'ioredis';
import { StoreUnavailableError } from '../../core/errors.ts';

/** One Redis server, a Redis Cluster, or a master found through Sentinel: the adapters run the same on each. */
export type RedisClient = Redis | Cluster;

export interface RedisNode {
  host: string;
  port: number;
}

/** Where Redis is, as the environment describes it (`REDIS_URL`, `REDIS_CLUSTER_NODES` or `REDIS_SENTINELS`). */
export type RedisTopology =
  | { mode: 'standalone'; url: string }
  | { mode: 'cluster'; nodes: RedisNode[]; username?: string; password?: string; tls?: boolean }
  | {
      mode: 'sentinel';
      sentinels: RedisNode[];
      /** The master's name in the sentinels' configuration (`sentinel monitor <name> …`). */
      name: string;
      username?: string;
      password?: string;
      sentinelPassword?: string;
      tls?: boolean;
    };

export interface RedisConnectionOptions {
  /** Bound on every command; an unanswered command is a failure, never a success. */
  commandTimeoutMs?: number;
  connectTimeoutMs?: number;
}

const reconnectDelay = (times: number) => Math.min(50 * 2 ** times, 2000);

/**
 * A Redis client for the security path: no offline queue (a command during an outage fails at once instead
 * of waiting to run later), a timeout on every command, and reconnection in the background. A Cluster client
 * follows slot moves and failovers; a Sentinel client asks the sentinels for the master on every reconnect.
 */
export function connectRedis(where: RedisTopology | string, options: RedisConnectionOptions = {}): RedisClient {
  const topology: RedisTopology = typeof where === 'string' ? { mode: 'standalone', url: where } : where;
  const settings: RedisOptions = {
    enableOfflineQueue: false,
    commandTimeout: options.commandTimeoutMs ?? 1000,
    connectTimeout: options.connectTimeoutMs ?? 2000,
    maxRetriesPerRequest: 0,
    retryStrategy: reconnectDelay,
    lazyConnect: false,
    // Commands issued in one turn of the event loop leave in one socket write: under load, a write per command
    // was the largest single share of a flow's CPU. Order on the connection is kept. (One server only: below.)
    enableAutoPipelining: true,
    // Not for the plain reads and writes a web chat stream makes as it opens: a pipelined reply is held by every
    // command of its batch, and 5,000 open streams then held 20 KiB of heap each instead of 10 (bench, streams).
    // The flows' own steps are scripts, pipelined as before.
    autoPipeliningIgnoredCommands: ['get', 'set', 'hget', 'lrange', 'exists'],
  };
  let client: RedisClient;
  if (topology.mode === 'standalone') {
    client = new Redis(topology.url, settings);
  } else if (topology.mode === 'sentinel') {
    client = new Redis({
      ...settings,
      ...credentials(topology),
      sentinels: topology.sentinels,
      name: topology.name,
      ...(topology.sentinelPassword ? { sentinelPassword: topology.sentinelPassword } : {}),
      ...(topology.tls ? { tls: {}, enableTLSForSentinelMode: true } : {}),
      sentinelRetryStrategy: reconnectDelay,
    });
  } else {
    // No auto-pipelining on Cluster: with it, the bench's flows on three masters failed under load (753 errors,
    // device answers answered 503, 30 flows/s instead of 160); measured, not guessed.
    const clusterSettings: ClusterOptions = {
      enableOfflineQueue: false,
      clusterRetryStrategy: reconnectDelay,
      // A slot move or failover is followed, within the command timeout; past it the call fails closed.
      retryDelayOnFailover: 100,
      retryDelayOnClusterDown: 100,
      maxRedirections: 8,
      slotsRefreshTimeout: options.connectTimeoutMs ?? 2000,
      redisOptions: { ...settings, ...credentials(topology), ...(topology.tls ? { tls: {} } : {}) },
    };
    client = new Cluster(topology.nodes, clusterSettings);
  }
  // Connection errors surface on the commands that fail; this only keeps them from crashing the process.
  client.on('error', () => {});
  return client;
}

/**
 * A second connection for pub/sub, which queues while offline: a subscription made during an outage resumes
 * when Redis returns (ioredis subscribes again after every reconnect, and on Cluster after a failover).
 */
export function subscriberFor(client: RedisClient): RedisClient {
  const subscriber =
    client instanceof Cluster
      ? client.duplicate([], { enableOfflineQueue: true })
      : client.duplicate({ enableOfflineQueue: true });
  subscriber.on('error', () => {});
  return subscriber;
}

function credentials(topology: { username?: string; password?: string }): Pick<RedisOptions, 'username' | 'password'> {
  return {
    ...(topology.username ? { username: topology.username } : {}),
    ...(topology.password ? { password: topology.password } : {}),
  };
}

/** A safe description of where Redis is, for the start-up banner: never a password. */
export function describeTopology(topology: RedisTopology): string {
  if (topology.mode === 'standalone') {
    try {
      const url = new URL(topology.url);
      url.username = '';
      url.password = '';
      return `Redis at ${url.toString().replace(/\/$/u, '')}`;
    } catch {
      return 'Redis';
    }
  }
  const list = (nodes: RedisNode[]) => nodes.map((n) => `${n.host}:${n.port}`).join(', ');
  return topology.mode === 'cluster'
    ? `Redis Cluster through ${list(topology.nodes)}`
    : `Redis master "${topology.name}" through Sentinel ${list(topology.sentinels)}`;
}

/** Resolves when the client is ready, or rejects after `timeoutMs`. */
export async function whenReady(client: RedisClient, timeoutMs = 3000): Promise<void> {
  if (client.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new StoreUnavailableError(`Redis was not ready within ${timeoutMs} ms`));
    }, timeoutMs);
    const onReady = () => {
      cleanup();
      resolve();
    };
    const cleanup = () => {
      clearTimeout(timer);
      client.off('ready', onReady);
    };
    client.on('ready', onReady);
  });
}

/** Runs a Redis call, turning any connection or timeout failure into {@link StoreUnavailableError}. */
export async function guarded<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw new StoreUnavailableError(`Redis ${what} failed: ${(error as Error).message}`, { cause: error });
  }
}
