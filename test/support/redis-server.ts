import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

/** A free TCP port on loopback, as the OS hands it out. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * A real `redis-server` of the test's own, on a free port, so fault tests can stop, stall and restart it.
 * Nothing is persisted; the data folder is removed on `stop()`.
 */
export class RedisServer {
  private process: ChildProcess | undefined;
  private readonly dir = mkdtempSync(join(tmpdir(), 'sv-redis-'));

  private constructor(
    readonly port: number,
    private readonly extraArgs: string[],
    private readonly configFile: ((dir: string) => string) | undefined,
  ) {}

  /** The server's own data folder (removed on `dispose()`). */
  get folder(): string {
    return this.dir;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /**
   * `extraArgs` go to redis-server as they are, e.g. `['--replicaof', '127.0.0.1', '6390']`; `configFile`
   * writes a config file into the server's folder and returns its path (Sentinel needs one it can rewrite).
   */
  static async start(
    extraArgs: string[] = [],
    options: { configFile?: (dir: string) => string } = {},
  ): Promise<RedisServer> {
    const found = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
    if (found.error || found.status !== 0) {
      throw new Error(
        'the tests need a real redis-server on PATH and could not start one ' +
          `(${found.error?.message ?? found.stderr}). Install it: Debian/Ubuntu "apt-get install redis-server", macOS "brew install redis".`,
      );
    }
    const server = new RedisServer(await freePort(), extraArgs, options.configFile);
    await server.launch();
    return server;
  }

  async launch(): Promise<void> {
    const child = spawn(
      'redis-server',
      [
        ...(this.configFile ? [this.configFile(this.dir)] : []),
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        this.dir,
        ...this.extraArgs,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.process = child;
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`redis-server exited at start: ${output.slice(-500)}`);
      if (await this.answers()) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    child.kill('SIGKILL');
    throw new Error(`redis-server did not answer on port ${this.port} within 5 s: ${output.slice(-500)}`);
  }

  /** A fresh client for assertions (dumps, counts); the caller quits it. */
  client(): Redis {
    const client = new Redis(this.url, { maxRetriesPerRequest: 1, lazyConnect: false });
    // Tests stop and restart the server: a command says it failed; the reconnection's errors are no news.
    client.on('error', () => {});
    return client;
  }

  async flush(): Promise<void> {
    const client = this.client();
    await client.flushall();
    await client.quit();
  }

  /** Every key with its value (strings, hashes, streams flattened), to search for secrets at rest. */
  async dump(): Promise<string> {
    const client = this.client();
    const out: string[] = [];
    for (const key of await client.keys('*')) {
      const type = await client.type(key);
      out.push(key);
      if (type === 'string') out.push((await client.get(key)) ?? '');
      else if (type === 'hash') out.push(JSON.stringify(await client.hgetall(key)));
      else if (type === 'stream') out.push(JSON.stringify(await client.xrange(key, '-', '+')));
      else out.push(`<${type}>`);
    }
    await client.quit();
    return out.join('\n');
  }

  kill(signal: NodeJS.Signals): void {
    this.process?.kill(signal);
  }

  async stop(): Promise<void> {
    const child = this.process;
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    }
    this.process = undefined;
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async answers(): Promise<boolean> {
    const client = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => {});
    try {
      await client.connect();
      return (await client.ping()) === 'PONG';
    } catch {
      return false;
    } finally {
      client.disconnect();
    }
  }
}
