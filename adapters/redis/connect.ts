import { Redis, type RedisOptions } from 'ioredis';
import { StoreUnavailableError } from '../../core/errors.ts';

export interface RedisConnectionOptions {
  url: string;
  /** Bound on every command; an unanswered command is a failure, never a success. */
  commandTimeoutMs?: number;
  connectTimeoutMs?: number;
}

/**
 * A Redis client for the security path: no offline queue (a command during an outage fails at once instead
 * of waiting to run later), a timeout on every command, and reconnection in the background.
 */
export function connectRedis(options: RedisConnectionOptions): Redis {
  const settings: RedisOptions = {
    enableOfflineQueue: false,
    commandTimeout: options.commandTimeoutMs ?? 1000,
    connectTimeout: options.connectTimeoutMs ?? 2000,
    maxRetriesPerRequest: 0,
    retryStrategy: (times) => Math.min(50 * 2 ** times, 2000),
    lazyConnect: false,
  };
  const client = new Redis(options.url, settings);
  // Connection errors surface on the commands that fail; this only keeps them from crashing the process.
  client.on('error', () => {});
  return client;
}

/** Resolves when the client is ready, or rejects after `timeoutMs`. */
export async function whenReady(client: Redis, timeoutMs = 3000): Promise<void> {
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
