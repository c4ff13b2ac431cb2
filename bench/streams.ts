import { type ClientRequest, request } from 'node:http';

/** What `npm run bench` reports about the web chat's event streams. */
export interface StreamFigures {
  /** Streams held open at once on the one replica. */
  streamsOpen: number;
  /** Server RSS growth per open stream, in bytes. */
  bytesPerStream: number;
  /** Server JS heap growth per open stream, in bytes. */
  heapBytesPerStream: number;
  /** Streams that connected at once in the storm, and how long the last one took. */
  stormStreams: number;
  stormConnectMs: number;
  /** `/healthz` and Slack `/verify` acks answered while the storm connected. */
  healthzP99Ms: number;
  slackAckP99Ms: number;
  slackAcks: number;
  streamErrors: number;
}

export interface Conversation {
  id: string;
  token: string;
  from: string;
}

// Each address stays inside the per-client limits a replica keeps by default: 10 conversations an hour,
// 20 open streams; a real storm comes from many addresses too.
const CONVERSATIONS_PER_ADDRESS = 6;
const STREAMS_PER_CONVERSATION = 3;
const address = (n: number) => `127.1.${Math.floor(n / 250)}.${(n % 250) + 1}`;

function post(base: string, path: string, from: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, {
      method: 'POST',
      localAddress: from,
      agent: false,
      headers: { 'content-type': 'application/json', 'content-length': 2 },
    });
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        body += c;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end('{}');
  });
}

export async function openConversations(base: string, count: number, firstAddress = 0): Promise<Conversation[]> {
  const out: Conversation[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: 20 }, async () => {
      while (next < count) {
        const n = next++;
        const from = address(firstAddress + Math.floor(n / CONVERSATIONS_PER_ADDRESS));
        const answer = await post(base, '/v1/chat/conversations', from);
        if (answer.status !== 201) throw new Error(`opening a conversation answered ${answer.status}`);
        const body = JSON.parse(answer.body) as { conversation: { id: string }; token: string };
        out.push({ id: body.conversation.id, token: body.token, from });
      }
    }),
  );
  return out;
}

/** Opens one stream and resolves once its first bytes arrived (the server holds it from then on). */
function connect(base: string, conversation: Conversation): Promise<{ req: ClientRequest; ok: boolean }> {
  return new Promise((resolve) => {
    const req = request(`${base}/v1/chat/conversations/${conversation.id}/events?token=${conversation.token}`, {
      localAddress: conversation.from,
      agent: false,
      headers: { accept: 'text/event-stream' },
    });
    req.on('response', (res) => {
      res.once('data', () => resolve({ req, ok: res.statusCode === 200 }));
      res.on('error', () => {});
    });
    req.on('error', () => resolve({ req, ok: false }));
    req.end();
  });
}

async function serverMemory(base: string): Promise<{ rss: number; heap: number }> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const read = (name: string) => Number(new RegExp(`^${name} (\\S+)`, 'mu').exec(text)?.[1] ?? 0);
  return {
    rss: read('process_resident_memory_bytes'),
    heap: read('nodejs_heap_size_used_bytes'),
  };
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? 0 : (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0);
};

/**
 * 5,000 streams held open on one replica (memory per stream), then 2,000 connecting at once while `/healthz`
 * and Slack `/verify` are asked without pause (their p99 during the storm).
 */
export async function measureStreams(
  base: string,
  slackAck: () => Promise<number>,
  options: { open?: number; storm?: number } = {},
): Promise<StreamFigures> {
  const open = options.open ?? 5000;
  const storm = options.storm ?? 2000;
  let streamErrors = 0;
  const conversations = await openConversations(base, Math.ceil((open + storm) / STREAMS_PER_CONVERSATION));
  const targets = conversations.flatMap((c) => Array.from({ length: STREAMS_PER_CONVERSATION }, () => c));
  const held = targets.slice(0, open);
  const storming = targets.slice(open, open + storm);

  await new Promise((r) => setTimeout(r, 500));
  const before = await serverMemory(base);
  const requests: ClientRequest[] = [];
  for (let i = 0; i < held.length; i += 100) {
    const batch = await Promise.all(held.slice(i, i + 100).map((c) => connect(base, c)));
    for (const { req, ok } of batch) {
      requests.push(req);
      if (!ok) streamErrors++;
    }
  }
  await new Promise((r) => setTimeout(r, 1000));
  const after = await serverMemory(base);
  for (const req of requests) req.destroy();
  requests.length = 0;
  await new Promise((r) => setTimeout(r, 1500));

  const healthz: number[] = [];
  const acks: number[] = [];
  let storming_ = true;
  const probes = [
    (async () => {
      while (storming_) {
        const started = performance.now();
        await fetch(`${base}/healthz`).then((r) => r.arrayBuffer());
        healthz.push(performance.now() - started);
      }
    })(),
    ...Array.from({ length: 4 }, async () => {
      while (storming_) acks.push(await slackAck());
    }),
  ];
  const started = performance.now();
  const stormed = await Promise.all(storming.map((c) => connect(base, c)));
  const stormConnectMs = performance.now() - started;
  storming_ = false;
  await Promise.all(probes);
  for (const { req, ok } of stormed) {
    if (!ok) streamErrors++;
    req.destroy();
  }
  return {
    streamsOpen: held.length,
    bytesPerStream: Math.round((after.rss - before.rss) / held.length),
    heapBytesPerStream: Math.round((after.heap - before.heap) / held.length),
    stormStreams: storming.length,
    stormConnectMs: Math.round(stormConnectMs),
    healthzP99Ms: Math.round(percentile(healthz, 99) * 100) / 100,
    slackAckP99Ms: Math.round(percentile(acks, 99) * 100) / 100,
    slackAcks: acks.length,
    streamErrors,
  };
}
