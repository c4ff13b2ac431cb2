import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { createKeepAliveFetch, type KeepAliveFetch } from '../../../../adapters/http/keep-alive-fetch.ts';

interface Seen {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  connection: number;
}

/** A server that records what reached it, per connection, and answers with `handle`. */
async function server(handle: (req: IncomingMessage, res: ServerResponse, seen: Seen) => void) {
  const seen: Seen[] = [];
  let connections = 0;
  const ids = new WeakMap<object, number>();
  const http: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const record = {
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
      body: Buffer.concat(chunks).toString(),
      connection: ids.get(req.socket) ?? 0,
    };
    seen.push(record);
    handle(req, res, record);
  });
  http.on('connection', (socket) => ids.set(socket, ++connections));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  return {
    url,
    seen,
    close: () => {
      http.closeAllConnections();
      return new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string | string[]> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

describe('the keep-alive fetch of outbound calls', () => {
  let client: KeepAliveFetch;
  let target: Awaited<ReturnType<typeof server>>;
  beforeEach(async () => {
    client = createKeepAliveFetch();
    target = await server((req, res) => {
      // Not writeHead(…).end(): restify, loaded by other specs, patches writeHead on every http server's responses,
      // and its writeHead returns nothing.
      if (req.url === '/empty') {
        res.writeHead(204);
        res.end();
        return;
      }
      if (req.url?.startsWith('/moved')) {
        res.writeHead(302, { location: '/landed' });
        res.end();
        return;
      }
      if (req.url === '/landed') {
        json(res, 200, { landed: true });
        return;
      }
      json(res, req.url === '/teapot' ? 418 : 200, { ok: true, method: req.method }, { 'set-cookie': ['a=1', 'b=2'] });
    });
  });
  afterEach(async () => {
    client.close();
    await target.close();
  });

  it('sends and answers what Node’s fetch sends and answers, for every body and header form the callers use', async () => {
    const calls: [string, RequestInit][] = [
      ['/v1/accounts?lookup=a%2Bb%40example.com', { headers: { accept: 'application/json' } }],
      ['/api/chat.update', { method: 'POST', headers: [['x-one', '1']], body: 'token=x&text=h%C3%A9' }],
      ['/api/chat.postMessage', { method: 'POST', body: new URLSearchParams({ text: 'héllo & bye' }) }],
      [
        '/push',
        {
          method: 'POST',
          headers: new Headers({ 'content-type': 'application/json', 'webhook-id': 'msg_1' }),
          body: Buffer.from('{"promptId":"p1","emoji":"✅"}'),
        },
      ],
      ['/teapot', { method: 'PUT', body: new TextEncoder().encode('x') }],
    ];
    for (const [path, init] of calls) {
      const ours = await client.fetch(`${target.url}${path}`, init);
      const theirs = await fetch(`${target.url}${path}`, init);
      const [mine, node] = target.seen.slice(-2);
      for (const name of ['content-type', 'content-length', 'accept', 'user-agent', 'x-one', 'webhook-id']) {
        expect(mine?.headers[name], `${path}: ${name}`).to.equal(node?.headers[name]);
      }
      expect([mine?.method, mine?.url, mine?.body]).to.deep.equal([node?.method, node?.url, node?.body]);
      expect([ours.status, ours.ok, ours.statusText]).to.deep.equal([theirs.status, theirs.ok, theirs.statusText]);
      expect(ours.headers.get('content-type')).to.equal(theirs.headers.get('content-type'));
      expect(ours.headers.getSetCookie()).to.deep.equal(['a=1', 'b=2']);
      expect(await ours.json()).to.deep.equal(await theirs.json());
    }
    const empty = await client.fetch(`${target.url}/empty`);
    expect([empty.status, empty.body]).to.deep.equal([204, null]);
  });

  it('keeps one connection for calls one after another, and opens more only for calls at the same time', async () => {
    for (let i = 0; i < 5; i++) await (await client.fetch(`${target.url}/x`)).text();
    expect(new Set(target.seen.map((s) => s.connection)).size, 'one connection').to.equal(1);
    await Promise.all(Array.from({ length: 3 }, async () => (await client.fetch(`${target.url}/x`)).text()));
    expect(new Set(target.seen.map((s) => s.connection)).size).to.be.within(2, 4);
  });

  it('follows a redirect only as asked: through Node’s fetch by default, answered with manual, refused with error', async () => {
    expect(await (await client.fetch(`${target.url}/moved`)).json()).to.deep.equal({ landed: true });
    const manual = await client.fetch(`${target.url}/moved`, { method: 'POST', body: 'x', redirect: 'manual' });
    expect([manual.status, manual.headers.get('location')]).to.deep.equal([302, '/landed']);
    let refused: unknown;
    await client.fetch(`${target.url}/moved`, { method: 'POST', redirect: 'error' }).catch((error: unknown) => {
      refused = error;
    });
    expect(refused).to.be.instanceOf(TypeError);
    expect(
      target.seen.filter((s) => s.url === '/moved' && s.method === 'POST'),
      'never sent again',
    ).to.have.length(2);
  });
});

describe('the keep-alive fetch when the other side fails', () => {
  let client: KeepAliveFetch;
  beforeEach(() => {
    client = createKeepAliveFetch({ maxBodyBytes: 1024 });
  });
  afterEach(() => client.close());

  const failure = async (call: Promise<Response>) => {
    try {
      await call;
    } catch (error) {
      return error as Error & { cause?: { code?: string } };
    }
    throw new Error('the call did not fail');
  };

  it('gives up when its signal does, with the signal’s reason (a TimeoutError), and sends nothing once aborted', async () => {
    const slow = await server(() => undefined);
    try {
      const timedOut = await failure(client.fetch(`${slow.url}/slow`, { signal: AbortSignal.timeout(100) }));
      expect(timedOut.name).to.equal('TimeoutError');
      const aborted = await failure(client.fetch(`${slow.url}/never`, { signal: AbortSignal.abort() }));
      expect(aborted.name).to.equal('AbortError');
      expect(slow.seen.map((s) => s.url)).to.deep.equal(['/slow']);
    } finally {
      await slow.close();
    }
  });

  it('fails with a TypeError naming the cause when nobody listens, on a header it cannot send, and on a body over its limit', async () => {
    const refused = await failure(client.fetch('http://127.0.0.1:1/nobody'));
    expect([refused.name, refused.message, refused.cause?.code]).to.deep.equal([
      'TypeError',
      'fetch failed',
      'ECONNREFUSED',
    ]);
    const injected = await failure(client.fetch('http://127.0.0.1:1/x', { headers: { 'x-a': 'b\r\nx-evil: 1' } }));
    expect([injected.name, injected.cause?.code]).to.deep.equal(['TypeError', 'ERR_INVALID_CHAR']);
    const huge = await server((_req, res) => json(res, 200, { pad: 'x'.repeat(5000) }));
    try {
      const tooBig = await failure(client.fetch(`${huge.url}/huge`));
      expect([tooBig.name, tooBig.message]).to.deep.equal([
        'TypeError',
        'fetch failed: the response body is over 1024 bytes',
      ]);
    } finally {
      await huge.close();
    }
  });

  it('sends a GET again on a fresh connection when a kept-alive one was closed as it was reused, never a POST', async () => {
    // The second request on any connection finds it closed, as when a server's idle timeout and a reuse cross.
    const perConnection = new Map<number, number>();
    const closing = await server((req, res, seen) => {
      const count = (perConnection.get(seen.connection) ?? 0) + 1;
      perConnection.set(seen.connection, count);
      if (count > 1) req.socket.destroy();
      else json(res, 200, { connection: seen.connection });
    });
    try {
      expect(await (await client.fetch(`${closing.url}/a`)).json()).to.deep.equal({ connection: 1 });
      expect(await (await client.fetch(`${closing.url}/b`)).json(), 'again, on a new one').to.deep.equal({
        connection: 2,
      });
      const post = await failure(client.fetch(`${closing.url}/c`, { method: 'POST', body: 'once' }));
      expect(post.name).to.equal('TypeError');
      expect(
        closing.seen.filter((s) => s.url === '/c'),
        'sent once',
      ).to.have.length(1);
    } finally {
      await closing.close();
    }
  });
});

describe('the keep-alive fetch over TLS', () => {
  let dir = '';
  let url = '';
  let tls: ReturnType<typeof createTlsServer> | undefined;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sv-tls-'));
    execFileSync(
      'openssl',
      [
        ...['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1'],
        ...['-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost'],
        ...['-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')],
      ],
      { stdio: 'ignore' },
    );
    tls = createTlsServer(
      { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) },
      (req, res) => json(res, 200, { secure: true, url: req.url }),
    );
    await new Promise<void>((resolve) => tls?.listen(0, '127.0.0.1', resolve));
    url = `https://localhost:${(tls.address() as AddressInfo).port}`;
  });
  after(async () => {
    tls?.closeAllConnections();
    await new Promise<void>((resolve) => (tls ? tls.close(() => resolve()) : resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('calls https URLs, trusting only what the TLS options trust', async () => {
    const trusting = createKeepAliveFetch({ tls: { ca: readFileSync(join(dir, 'cert.pem')) } });
    const strict = createKeepAliveFetch();
    try {
      expect(await (await trusting.fetch(`${url}/hello`)).json()).to.deep.equal({ secure: true, url: '/hello' });
      let refused: (Error & { cause?: { code?: string } }) | undefined;
      await strict.fetch(`${url}/hello`).catch((error: unknown) => {
        refused = error as Error & { cause?: { code?: string } };
      });
      expect(refused?.name).to.equal('TypeError');
      expect(refused?.cause?.code).to.equal('DEPTH_ZERO_SELF_SIGNED_CERT');
    } finally {
      trusting.close();
      strict.close();
    }
  });
});
