import { expect } from 'chai';
import { TEST_DEVICE_SECRET } from '../support/app.ts';
import { signRawBody } from '../support/device-signing.ts';
import { useRedisServer } from '../support/redis-fixture.ts';
import { slackHeaders } from '../support/slack.ts';
import { type SlackHarness, startSlackApp } from '../support/slack-app.ts';

const PER_ROUTE = 10_000;
const CONCURRENCY = 32;
const SEED = 20261125;

/** A small seeded generator (mulberry32), so a failing case can be replayed from the seed. */
function random(seed: number) {
  let a = seed;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(list: readonly T[]): T => list[int(list.length)] as T;
  return { next, int, pick };
}

type Rng = ReturnType<typeof random>;
interface FuzzCase {
  path: string;
  method?: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

const ODD_TEXT = [
  '',
  '\u0000',
  '\ud800',
  '\u202e\u202d',
  '\u200b'.repeat(50),
  '𝕏'.repeat(300),
  '"; DROP TABLE x; --',
  '<script>alert(1)</script>',
  '%00%0d%0a',
  '../../etc/passwd',
  '\r\nSet-Cookie: a=b',
  'a'.repeat(5000),
];

function oddValue(rng: Rng, depth = 0): unknown {
  switch (rng.int(depth > 3 ? 6 : 8)) {
    case 0:
      return rng.pick(ODD_TEXT);
    case 1:
      return rng.pick([0, -1, 1e308, Number.MAX_SAFE_INTEGER + 2, 4821, 3.14]);
    case 2:
      return rng.pick([true, false, null]);
    case 3:
      return String(rng.int(100_000)).padStart(4, '0');
    case 4:
      return rng.pick(['confirmed', 'denied', 'fraud', 'en', 'nl', 'msteams', 'message', 'invoke']);
    case 5:
      return rng.pick([[], {}, '{}', '[]']);
    case 6:
      return Array.from({ length: rng.int(4) }, () => oddValue(rng, depth + 1));
    default:
      return Object.fromEntries(
        Array.from({ length: 1 + rng.int(4) }, () => [
          rng.pick(['text', 'pin', 'type', 'promptId', 'decision', 'locale', 'id', 'x', '__proto__', 'constructor']),
          oddValue(rng, depth + 1),
        ]),
      );
  }
}

/** A body that is malformed for every route: broken or truncated JSON, wrong shapes, odd bytes, nesting. */
function malformedBody(rng: Rng): string | Buffer {
  switch (rng.int(9)) {
    case 0:
      return Buffer.from(Array.from({ length: rng.int(200) }, () => rng.int(256)));
    case 1:
      return JSON.stringify(oddValue(rng)).slice(0, -1 - rng.int(3));
    case 2:
      return `${'['.repeat(2000)}${']'.repeat(2000)}`;
    case 3:
      return JSON.stringify(rng.pick([null, 42, 'text', [1, 2], true]));
    case 4:
      // Always at least one property no route accepts, so no generated object is accidentally valid.
      return JSON.stringify({ ...(oddValue(rng) as object), [`unexpected_${rng.int(1000)}`]: oddValue(rng) });
    case 5:
      return `payload=${percentEncoded(rng.pick(ODD_TEXT))}&command=${rng.pick(ODD_TEXT)}`;
    case 6:
      return Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1]);
    case 7:
      return 'x'.repeat(300 * 1024);
    default:
      return rng.pick(ODD_TEXT);
  }
}

const CONTENT_TYPES = [
  'application/json',
  'application/x-www-form-urlencoded',
  'text/plain',
  'multipart/form-data; boundary=x',
  'application/json; charset=utf-16',
  '',
];

function headersFor(rng: Rng): Record<string, string> {
  const type = rng.pick(CONTENT_TYPES);
  return type ? { 'content-type': type } : {};
}

/** Percent-encodes any text, a lone surrogate included (as the bytes of its UTF-8-like form: malformed on purpose). */
function percentEncoded(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return '%ED%A0%80';
  }
}

const oddId = (rng: Rng) =>
  percentEncoded(rng.pick([...ODD_TEXT.filter((t) => t.length < 400), 'demo-alex', 'x'.repeat(600), '%', '..']));

/** Every public route, each with its own way of being wrong. */
const ROUTES: Record<string, (rng: Rng) => FuzzCase> = {
  'POST /slack/events': (rng) => {
    const body = malformedBody(rng);
    const signed = rng.next() < 0.5;
    const type = rng.pick(['application/json', 'application/x-www-form-urlencoded'] as const);
    return {
      path: '/slack/events',
      headers: signed ? slackHeaders(String(body), type) : headersFor(rng),
      body,
    };
  },
  'POST /api/messages': (rng) => ({ path: '/api/messages', headers: headersFor(rng), body: malformedBody(rng) }),
  'POST /v1/accounts/:accountId/support-pins': (rng) => ({
    path: `/v1/accounts/${oddId(rng)}/support-pins`,
    headers: {
      ...headersFor(rng),
      ...(rng.next() < 0.7
        ? { authorization: `Bearer ${rng.pick(ODD_TEXT.filter((t) => /^[\x20-\x7e]*$/u.test(t)))}` }
        : {}),
    },
    body: malformedBody(rng),
  }),
  'POST /v1/device-prompts/:promptId/response': (rng) => {
    const body = malformedBody(rng);
    const signed = rng.next() < 0.5 && typeof body === 'string';
    return {
      path: `/v1/device-prompts/${oddId(rng)}/response`,
      headers: signed ? signRawBody(TEST_DEVICE_SECRET, body) : headersFor(rng),
      body,
    };
  },
  'POST /v1/chat/conversations': (rng) => {
    const body = malformedBody(rng);
    // No body at all is a valid way to open a conversation; send a locale that does not exist instead.
    return {
      path: '/v1/chat/conversations',
      headers: headersFor(rng),
      body: String(body) === '' ? '{"locale":"fr"}' : body,
    };
  },
  'POST /v1/chat/conversations/:id/messages': (rng) => ({
    path: `/v1/chat/conversations/${oddId(rng)}/messages`,
    headers: headersFor(rng),
    body: malformedBody(rng),
  }),
  'POST /v1/chat/conversations/:id/pin': (rng) => ({
    path: `/v1/chat/conversations/${oddId(rng)}/pin`,
    headers: headersFor(rng),
    body: malformedBody(rng),
  }),
  'POST /v1/chat/conversations/:id/end': (rng) => {
    const body = malformedBody(rng);
    return {
      path: `/v1/chat/conversations/${oddId(rng)}/end`,
      headers: headersFor(rng),
      body: String(body) === '' ? '{"now":true}' : body,
    };
  },
  'GET /v1/chat/conversations/:id': (rng) => ({
    path: `/v1/chat/conversations/${oddId(rng)}${rng.pick(['', '/events'])}`,
    method: 'GET',
    headers:
      rng.next() < 0.5
        ? { authorization: `Bearer ${rng.pick(['x', 'a'.repeat(300), ''])}` }
        : ({} as Record<string, string>),
  }),
};

describe('fuzzing every public route', function () {
  this.timeout(300_000);
  const redis = useRedisServer();
  let h: SlackHarness;
  const failures: string[] = [];
  const onUnhandled = (reason: unknown) => failures.push(`unhandled: ${String(reason)}`);
  before(async () => {
    await redis().flush();
    // Logging at error level: only a failure in the service itself is written, and the test reads none.
    h = await startSlackApp({ redisUrl: redis().url, env: { LOG_LEVEL: 'error' } });
    process.on('unhandledRejection', onUnhandled);
    process.on('uncaughtException', onUnhandled);
  });
  after(async () => {
    process.off('unhandledRejection', onUnhandled);
    process.off('uncaughtException', onUnhandled);
    await h.close();
  });

  async function run(route: string, count: number, seed: number): Promise<Map<number, number>> {
    const rng = random(seed);
    const make = ROUTES[route];
    if (!make) throw new Error(route);
    const statuses = new Map<number, number>();
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < count) {
          const i = next++;
          const input = make(rng);
          let status: number;
          try {
            const response = await fetch(`${h.t.url}${input.path}`, {
              method: input.method ?? 'POST',
              headers: input.headers,
              ...(input.body === undefined ? {} : { body: input.body }),
              signal: AbortSignal.timeout(10_000),
            });
            status = response.status;
            // Streams answer 4xx here; read every body so connections are reused.
            await response.arrayBuffer();
          } catch (error) {
            status = 0;
            if (failures.length < 20) failures.push(`${route} #${i} (seed ${seed}): ${(error as Error).message}`);
          }
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          if ((status < 400 || status > 499) && failures.length < 20)
            failures.push(`${route} #${i} (seed ${seed}) answered ${status}: ${input.method ?? 'POST'} ${input.path}`);
        }
      }),
    );
    return statuses;
  }

  it(`answers ${PER_ROUTE} malformed requests per route with a 4xx, stays up, and holds its memory`, async () => {
    const gc = (globalThis as { gc?: () => void }).gc;
    expect(gc, 'mocha runs node with --expose-gc (.mocharc.json)').to.be.a('function');
    // A first round warms every path (JIT, caches, pools) before memory is measured.
    for (const route of Object.keys(ROUTES)) await run(route, 500, SEED);
    gc?.();
    const heapBefore = process.memoryUsage().heapUsed;

    const summary: string[] = [];
    for (const [n, route] of Object.keys(ROUTES).entries()) {
      const statuses = await run(route, PER_ROUTE, SEED + n + 1);
      summary.push(`${route}: ${[...statuses].map(([s, c]) => `${s}×${c}`).join(' ')}`);
    }
    gc?.();
    const growthMb = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;

    expect(failures, summary.join('\n')).to.deep.equal([]);
    expect((await fetch(`${h.t.url}/healthz`)).status).to.equal(200);
    expect(growthMb, `heap grew ${growthMb.toFixed(1)} MB over ${PER_ROUTE * 8} requests`).to.be.below(25);
  });
});
