import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

type Waiter = { test: (body: string) => boolean; resolve: (body: string) => void };

/**
 * The third parties a benchmark run talks to, in one lean HTTP server: Slack's Web API, the company's
 * account directory and the device service. Unlike the test doubles it keeps nothing it does not need, so a
 * ten-minute soak does not grow here, and it wakes a flow's waiter instead of polling a growing list.
 */
export class BenchDoubles {
  private server: Server | undefined;
  private ts = 1_700_000_000;
  // Keyed by the agent's user id (Slack messages) or by the session id (device prompts).
  private readonly waiters = new Map<string, Waiter[]>();
  private readonly last = new Map<string, string>();
  url = '';

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /**
   * Resolves with the next message (card post or update) to `key` whose body passes `test`, or the last one
   * already received if it passes. Rejects after `timeoutMs`.
   */
  next(key: string, test: (body: string) => boolean, timeoutMs = 10_000): Promise<string> {
    const seen = this.last.get(key);
    if (seen !== undefined && test(seen)) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const list = this.waiters.get(key) ?? [];
        this.waiters.set(
          key,
          list.filter((w) => w !== waiter),
        );
        reject(new Error(`no matching message for ${key} within ${timeoutMs} ms (last: ${seen?.slice(0, 200)})`));
      }, timeoutMs);
      const waiter: Waiter = {
        test,
        resolve: (body) => {
          clearTimeout(timer);
          resolve(body);
        },
      };
      this.waiters.set(key, [...(this.waiters.get(key) ?? []), waiter]);
    });
  }

  /** Drops what is kept for a key once its flow is done. */
  forget(key: string): void {
    this.last.delete(key);
    this.waiters.delete(key);
  }

  private deliver(key: string, body: string): void {
    this.last.set(key, body);
    const list = this.waiters.get(key);
    if (!list) return;
    const remaining = list.filter((w) => {
      if (!w.test(body)) return true;
      w.resolve(body);
      return false;
    });
    if (remaining.length > 0) this.waiters.set(key, remaining);
    else this.waiters.delete(key);
  }

  /** Requests received, by what was called (`chat.update`, `directory`, `device`), since the last {@link resetCalls}. */
  readonly calls = new Map<string, number>();

  resetCalls(): void {
    this.calls.clear();
  }

  private count(what: string): void {
    this.calls.set(what, (this.calls.get(what) ?? 0) + 1);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString();
    const url = req.url ?? '';
    this.count(
      url.startsWith('/api/')
        ? (url.slice(5).split('?')[0] ?? 'api')
        : url.startsWith('/directory')
          ? 'directory'
          : url.startsWith('/device')
            ? 'device'
            : 'other',
    );
    const send = (value: unknown, status = 200) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    if (url.startsWith('/api/')) return send(this.slack(url.slice(5).split('?')[0] ?? '', body));
    if (url.startsWith('/directory/accounts')) {
      const account = directoryAccount(url);
      return account ? send(account) : send({ error: 'not found' }, 404);
    }
    if (url === '/device/push') {
      const prompt = JSON.parse(body) as { promptId: string };
      this.deliver(`prompt:${prompt.promptId.split('.')[0]}`, body);
      return send({ ok: true });
    }
    send({ ok: true });
  }

  private slack(method: string, body: string): unknown {
    const args = new URLSearchParams(body);
    const channel = args.get('channel') ?? '';
    const ts = `${++this.ts}.000100`;
    // What a person would see: the flows look for buttons, numbers and serials in it.
    const shown = `${args.get('text') ?? ''}\n${args.get('blocks') ?? ''}`;
    switch (method) {
      case 'chat.postMessage':
        // A message to a user id lands in the DM with the bot, as on Slack.
        this.deliver(channel.replace(/^[UD]/u, ''), shown);
        return { ok: true, channel: channel.startsWith('U') ? `D${channel.slice(1)}` : channel, ts, message: { ts } };
      case 'chat.update':
        this.deliver(channel.replace(/^[UD]/u, ''), shown);
        return { ok: true, channel, ts: args.get('ts') };
      case 'users.info': {
        const user = args.get('user') ?? 'U0';
        return {
          ok: true,
          user: { id: user, name: user.toLowerCase(), real_name: `Agent ${user}`, locale: 'en-US', profile: {} },
        };
      }
      default:
        return { ok: true };
    }
  }
}

/** Any `bench-<n>@example.com` exists, with one trusted phone, so every flow has an account of its own. */
function directoryAccount(url: string): Record<string, unknown> | undefined {
  const parsed = new URL(url, 'http://directory');
  const query = parsed.searchParams.get('lookup') ?? decodeURIComponent(parsed.pathname.split('/').pop() ?? '');
  const match = /^(?:bench-(\d+)@example\.com|acct-(\d+))$/u.exec(query);
  const n = match?.[1] ?? match?.[2];
  if (n === undefined) return undefined;
  return {
    id: `acct-${n}`,
    displayName: `Bench Customer ${n}`,
    email: `bench-${n}@example.com`,
    locale: 'en',
    memberSince: '2020-01-01',
    plan: 'Family',
    devices: [{ id: `dev-${n}`, name: 'iPhone', kind: 'phone', trusted: true, model: 'iPhone 15', serial: `SN${n}` }],
  };
}
