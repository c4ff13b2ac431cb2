import { type ClientRequest, request } from 'node:http';
import { type FrontDoorBench, percentile, round } from './figures.ts';
import { type Conversation, openConversations } from './streams.ts';

/** What `npm run bench` reports about the web chat: lines posted and delivered over SSE, beside a bare SSE chat. */
export interface WebChatFigures {
  linesPerSec: number;
  bareLinesPerSec: number;
  ratio: number;
  /** From posting a line until its event arrives on the conversation's stream. */
  p50Ms: number;
  p99Ms: number;
  serverCpuMsPerLine: number;
  redisCommandsPerLine: number;
  errors: number;
}

export interface WebChatBenchOptions extends FrontDoorBench {
  ours: string;
  bare: string;
  conversations: number;
  linesPerConversation: number;
}

/** One open event stream per conversation, telling `arrived` the text of each message event. */
function listen(base: string, conversation: Conversation, arrived: (text: string) => void): Promise<ClientRequest> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}/v1/chat/conversations/${conversation.id}/events?token=${conversation.token}`, {
      localAddress: conversation.from,
      agent: false,
      headers: { accept: 'text/event-stream' },
    });
    req.on('response', (res) => {
      if (res.statusCode !== 200) reject(new Error(`the event stream answered ${res.statusCode}`));
      res.setEncoding('utf8');
      let pending = '';
      res.on('data', (chunk: string) => {
        pending += chunk;
        let end = pending.indexOf('\n\n');
        while (end >= 0) {
          const frame = pending.slice(0, end);
          pending = pending.slice(end + 2);
          if (frame.includes('event: message')) {
            const data = frame.split('\n').find((line) => line.startsWith('data: '));
            if (data) arrived((JSON.parse(data.slice(6)) as { text?: string }).text ?? '');
          }
          end = pending.indexOf('\n\n');
        }
      });
      res.on('error', () => {});
      resolve(req);
    });
    req.on('error', reject);
    req.end();
  });
}

async function run(
  options: WebChatBenchOptions,
  base: string,
  lines: number,
  firstAddress: number,
  latencies?: number[],
  aroundPosts: (posts: () => Promise<void>) => Promise<void> = (posts) => posts(),
): Promise<{ linesPerSec: number; errors: number }> {
  // Addresses of their own per run: a replica lets one address open only so many conversations an hour.
  const conversations = await openConversations(base, options.conversations, firstAddress);
  const waiting = new Map<string, () => void>();
  const streams = await Promise.all(conversations.map((c) => listen(base, c, (text) => waiting.get(text)?.())));
  let errors = 0;
  const started = performance.now();
  await aroundPosts(() =>
    options.pool(lines, options.concurrency, async (i) => {
      const conversation = conversations[i % conversations.length] as Conversation;
      const text = `line ${i} about my order ${conversation.id.slice(0, 8)}`;
      const delivered = new Promise<void>((resolve) => waiting.set(text, resolve));
      const sent = performance.now();
      const response = await fetch(`${base}/v1/chat/conversations/${conversation.id}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${conversation.token}` },
        body: JSON.stringify({ text }),
      });
      await response.text();
      if (response.status !== 201) {
        errors++;
        waiting.delete(text);
        return;
      }
      const late = setTimeout(() => waiting.get(text)?.(), 5000);
      await delivered;
      clearTimeout(late);
      waiting.delete(text);
      latencies?.push(performance.now() - sent);
    }),
  );
  const linesPerSec = lines / ((performance.now() - started) / 1000);
  for (const stream of streams) stream.destroy();
  return { linesPerSec, errors };
}

/** Lines through the web chat: posted, scanned by the guard, stored and delivered to the open stream. */
export async function measureWebChat(options: WebChatBenchOptions): Promise<WebChatFigures> {
  const lines = options.conversations * options.linesPerConversation;
  const bare = await run(options, options.bare, lines, 2000);
  await options.quiet();
  const latencies: number[] = [];
  const cpuBefore = options.cpuMs();
  const ours = await run(options, options.ours, lines, 2000, latencies);
  await options.quiet();
  const serverCpuMsPerLine = (options.cpuMs() - cpuBefore) / lines;
  // Only the lines are counted, not opening the conversations and their streams.
  const counted = 100;
  let redisCommandsPerLine = Number.NaN;
  await run({ ...options, conversations: 20 }, options.ours, counted, 3000, undefined, async (posts) => {
    redisCommandsPerLine = await options.redisCommandsPerFlow(posts, counted);
  });
  const sorted = latencies.sort((a, b) => a - b);
  return {
    linesPerSec: round(ours.linesPerSec),
    bareLinesPerSec: round(bare.linesPerSec),
    ratio: round(ours.linesPerSec / bare.linesPerSec, 3),
    p50Ms: round(percentile(sorted, 50), 2),
    p99Ms: round(percentile(sorted, 99), 2),
    serverCpuMsPerLine: round(serverCpuMsPerLine, 2),
    redisCommandsPerLine: round(redisCommandsPerLine, 1),
    errors: ours.errors + bare.errors,
  };
}
