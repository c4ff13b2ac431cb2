import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Cluster, Redis } from 'ioredis';
import type { RedisTopology } from '../../adapters/redis/connect.ts';
import { RedisServer } from './redis-server.ts';
import { until } from './webchat.ts';

// A check that cannot reach its server yet (it is starting, or failing over) counts as not yet.
const eventually = (what: string, check: () => Promise<boolean>, timeoutMs: number) =>
  until(() => check().catch(() => false), what, timeoutMs);

async function ask<T>(port: number, call: (client: Redis) => Promise<T>): Promise<T> {
  const client = new Redis({
    port,
    host: '127.0.0.1',
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    return await call(client);
  } finally {
    client.disconnect();
  }
}

/**
 * A real three-master Redis Cluster on free ports: three `redis-server --cluster-enabled yes` joined with
 * `redis-cli --cluster create`, as an operator would build one.
 */
export class RedisClusterServers {
  private constructor(readonly masters: RedisServer[]) {}

  static async start(): Promise<RedisClusterServers> {
    const masters = await Promise.all(
      [0, 1, 2].map(() => RedisServer.start(['--cluster-enabled', 'yes', '--cluster-node-timeout', '2000'])),
    );
    const created = spawnSync(
      'redis-cli',
      ['--cluster', 'create', ...masters.map((m) => `127.0.0.1:${m.port}`), '--cluster-replicas', '0', '--cluster-yes'],
      { encoding: 'utf8', timeout: 20_000 },
    );
    if (created.status !== 0) {
      await Promise.all(masters.map((m) => m.dispose()));
      throw new Error(`redis-cli --cluster create failed: ${created.error?.message ?? created.stdout.slice(-400)}`);
    }
    const cluster = new RedisClusterServers(masters);
    await eventually(
      'the cluster reaching state ok on every node',
      async () => {
        const states = await Promise.all(masters.map((m) => ask(m.port, (c) => c.cluster('INFO'))));
        return states.every((info) => String(info).includes('cluster_state:ok'));
      },
      15_000,
    );
    return cluster;
  }

  get topology(): RedisTopology {
    return { mode: 'cluster', nodes: this.masters.map((m) => ({ host: '127.0.0.1', port: m.port })) };
  }

  /** `REDIS_CLUSTER_NODES` as a replica would be given it. */
  get env(): Record<string, string> {
    return { REDIS_CLUSTER_NODES: this.masters.map((m) => `127.0.0.1:${m.port}`).join(',') };
  }

  /** A plain Cluster client for assertions; the caller quits it. */
  client(): Cluster {
    return new Cluster(this.topology.mode === 'cluster' ? this.topology.nodes : [], {
      redisOptions: { maxRetriesPerRequest: 1 },
    });
  }

  async flush(): Promise<void> {
    await Promise.all(this.masters.map((m) => m.flush()));
  }

  /** How many keys each master holds: a spread over several shows the slots are really in use. */
  async keysPerMaster(): Promise<number[]> {
    return Promise.all(this.masters.map((m) => ask(m.port, (c) => c.dbsize())));
  }

  /**
   * The commands clients sent to any master while `run` ran, by name, as MONITOR shows them: a script's own calls
   * (source "lua") are not counted, a script is one command: `script`, whether sent as EVALSHA or (the first
   * time a master sees it) as EVAL.
   */
  async commandsSentDuring(run: () => Promise<void>): Promise<Record<string, number>> {
    const sent: Record<string, number> = {};
    const marker = `end-${Math.random().toString(36).slice(2)}`;
    const seen = new Set<Redis>();
    const monitors = await Promise.all(
      this.masters.map(async (m) => {
        const client = new Redis({ port: m.port, host: '127.0.0.1', maxRetriesPerRequest: 0 });
        try {
          return await client.monitor();
        } finally {
          client.disconnect();
        }
      }),
    );
    for (const monitor of monitors) {
      monitor.on('monitor', (_time: string, args: string[], source: string) => {
        const name = String(args[0])
          .toLowerCase()
          .replace(/^evalsha$|^eval$/u, 'script');
        if (seen.has(monitor)) return;
        if (name === 'echo' && args[1] === marker) seen.add(monitor);
        else if (source !== 'lua' && !['hello', 'info', 'client', 'cluster', 'command', 'select'].includes(name))
          sent[name] = (sent[name] ?? 0) + 1;
      });
    }
    try {
      await run();
      await Promise.all(this.masters.map((m) => ask(m.port, (c) => c.echo(marker))));
      await eventually('every master’s monitor to catch up', async () => seen.size === monitors.length, 5_000);
      return { ...sent };
    } finally {
      for (const monitor of monitors) monitor.disconnect();
    }
  }

  /** The slot a master of this cluster gives `key` (CLUSTER KEYSLOT). */
  async keySlot(key: string): Promise<number> {
    return ask(this.masters[0]?.port ?? 0, (c) => c.cluster('KEYSLOT', key));
  }

  async dispose(): Promise<void> {
    await Promise.all(this.masters.map((m) => m.dispose()));
  }
}

/**
 * A Redis master, one replica and a Sentinel watching them (quorum 1, a master is down after 1 s), on free
 * ports, so a test can kill the master and watch the replica take over.
 */
export class RedisSentinelServers {
  static readonly NAME = 'sv-master';

  private constructor(
    readonly master: RedisServer,
    readonly replica: RedisServer,
    readonly sentinel: RedisServer,
  ) {}

  static async start(): Promise<RedisSentinelServers> {
    const master = await RedisServer.start();
    const replica = await RedisServer.start(['--replicaof', '127.0.0.1', String(master.port)]);
    await eventually(
      'the replica syncing with the master',
      async () => String(await ask(replica.port, (c) => c.info('replication'))).includes('master_link_status:up'),
      10_000,
    );
    const sentinel = await RedisServer.start(['--sentinel'], {
      configFile: (dir) => {
        const path = join(dir, 'sentinel.conf');
        writeFileSync(
          path,
          [
            `sentinel monitor ${RedisSentinelServers.NAME} 127.0.0.1 ${master.port} 1`,
            `sentinel down-after-milliseconds ${RedisSentinelServers.NAME} 1000`,
            `sentinel failover-timeout ${RedisSentinelServers.NAME} 5000`,
            '',
          ].join('\n'),
        );
        return path;
      },
    });
    const servers = new RedisSentinelServers(master, replica, sentinel);
    await eventually('the sentinel seeing the replica', async () => (await servers.replicasSeen()) > 0, 10_000);
    return servers;
  }

  get topology(): RedisTopology {
    return {
      mode: 'sentinel',
      sentinels: [{ host: '127.0.0.1', port: this.sentinel.port }],
      name: RedisSentinelServers.NAME,
    };
  }

  get env(): Record<string, string> {
    return { REDIS_SENTINELS: `127.0.0.1:${this.sentinel.port}`, REDIS_SENTINEL_NAME: RedisSentinelServers.NAME };
  }

  /** The port of the server the sentinel currently names as master. */
  async masterPort(): Promise<number> {
    const address = await ask(this.sentinel.port, (c) =>
      c.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', RedisSentinelServers.NAME),
    );
    return Number((address as string[])[1]);
  }

  private async replicasSeen(): Promise<number> {
    const replicas = await ask(this.sentinel.port, (c) => c.call('SENTINEL', 'REPLICAS', RedisSentinelServers.NAME));
    return (replicas as unknown[]).length;
  }

  /** Kills the master and waits until the sentinel has promoted the replica. */
  async failover(): Promise<void> {
    await this.master.stop();
    await eventually(
      'the sentinel promoting the replica',
      async () => (await this.masterPort()) === this.replica.port,
      20_000,
    );
    await eventually(
      'the replica answering as master',
      async () => String(await ask(this.replica.port, (c) => c.info('replication'))).includes('role:master'),
      10_000,
    );
  }

  /** Starts the old master again and waits until the sentinel has made it a replica of the new one. */
  async restoreOldMaster(): Promise<void> {
    await this.master.launch();
    await eventually(
      'the old master syncing as a replica of the new one',
      async () =>
        String(await ask(this.replica.port, (c) => c.info('replication'))).includes('state=online') &&
        String(await ask(this.master.port, (c) => c.info('replication'))).includes('master_link_status:up'),
      30_000,
    );
  }

  async flush(): Promise<void> {
    await ((await this.masterPort()) === this.master.port ? this.master : this.replica).flush();
  }

  async dispose(): Promise<void> {
    await Promise.all([this.sentinel.dispose(), this.replica.dispose(), this.master.dispose()]);
  }
}

/** Starts a Redis Cluster or Sentinel set before the suite and removes it after, as `useRedisServer` does. */
export function useRedisTopology<T extends { dispose(): Promise<void> }>(start: () => Promise<T>): () => T {
  let servers: T | undefined;
  before(async function () {
    this.timeout(60_000);
    servers = await start();
  });
  after(async () => {
    await servers?.dispose();
  });
  return () => {
    if (!servers) throw new Error('the Redis servers have not started');
    return servers;
  };
}
