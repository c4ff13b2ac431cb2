import { randomUUID } from 'node:crypto';
import { VERBS } from '../bots/teams/cards.ts';
import { signedDeviceAnswer } from '../test/support/device-signing.ts';
import type { RecordedRequest } from '../test/support/recording-server.ts';
import { type BotConnectorDouble, cardAction, message } from '../test/support/teams.ts';
import type { BenchDoubles } from './doubles.ts';
import { type FrontDoorBench, percentile, round } from './figures.ts';

/** What `npm run bench` reports about the Teams front door, beside a bare botbuilder bot on the same server. */
export interface TeamsFigures {
  messagesPerSec: number;
  bareMessagesPerSec: number;
  ratio: number;
  /** Per step of a complete device flow: the agent's message, the card's Trusted device action, the answer. */
  steps: Record<'message' | 'invoke' | 'device', { p50Ms: number; p99Ms: number }>;
  p50Ms: number;
  p99Ms: number;
  flowsPerSec: number;
  /** CPU time of the server process per complete flow, and Redis commands sent per flow (as for Slack). */
  serverCpuMsPerFlow: number;
  redisCommandsPerFlow: number;
  errors: number;
  errorSamples: string[];
}

export interface TeamsBenchOptions extends FrontDoorBench {
  ours: string;
  bare: string;
  connector: BotConnectorDouble;
  doubles: BenchDoubles;
  deviceSecret: string;
  messages: number;
  flows: number;
  /** A new demo account number; `bench-<n>@example.com` has the trusted phone with serial `SN<n>`. */
  nextAccount(): number;
}

/** An agent of their own per flow, in a personal chat with the bot, as Teams identifies one. */
function agentOf(n: number) {
  return {
    from: { id: `29:bench-agent-${n}`, name: `Agent ${n}`, aadObjectId: randomUUID() },
    conversation: 'personal' as const,
    conversationId: `a:bench-chat-${n}`,
  };
}

async function post(base: string, body: unknown): Promise<{ status: number; text: string; ms: number }> {
  const started = performance.now();
  const response = await fetch(`${base}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, text, ms: performance.now() - started };
}

/** The first request to the connector from `from` on that matches, waiting for it. */
async function sentToConnector(
  connector: BotConnectorDouble,
  from: number,
  conversationId: string,
  test: (body: string) => boolean,
  timeoutMs = 5000,
): Promise<RecordedRequest> {
  const path = `/v3/conversations/${encodeURIComponent(conversationId)}/activities`;
  const deadline = Date.now() + timeoutMs;
  for (let seen = from; ; ) {
    const requests = connector.server.requests;
    for (; seen < requests.length; seen++) {
      const request = requests[seen];
      if (request?.url.startsWith(path) && test(request.body)) return request;
    }
    if (Date.now() > deadline) throw new Error(`nothing matching was sent to ${conversationId}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Messages only, as fast as `concurrency` clients send them: activities answered per second. */
async function messageThroughput(options: TeamsBenchOptions, base: string, total: number): Promise<number> {
  const started = performance.now();
  await options.pool(total, options.concurrency, async () => {
    const n = options.nextAccount();
    const answer = await post(base, message(options.connector.url, `verify bench-${n}@example.com`, agentOf(n)));
    if (answer.status !== 200) throw new Error(`message answered ${answer.status}`);
  });
  return total / ((performance.now() - started) / 1000);
}

/** The Teams figures: message throughput against the bare bot, then complete device flows step by step. */
export async function measureTeams(options: TeamsBenchOptions): Promise<TeamsFigures> {
  const errorSamples: string[] = [];
  let errors = 0;
  const latencies = { message: [] as number[], invoke: [] as number[], device: [] as number[] };

  const flow = async (record: boolean) => {
    const n = options.nextAccount();
    const agent = agentOf(n);
    const from = options.connector.server.requests.length;
    try {
      const said = await post(options.ours, message(options.connector.url, `verify bench-${n}@example.com`, agent));
      if (said.status !== 200) throw new Error(`message answered ${said.status}`);
      const card = await sentToConnector(options.connector, from, agent.conversationId, (body) =>
        body.includes(VERBS.chooseDevice),
      );
      const sessionId = /"sessionId":"([^"]+)"/u.exec(card.body)?.[1];
      if (!sessionId) throw new Error('no session id on the card');
      const invoked = await post(
        options.ours,
        cardAction(options.connector.url, VERBS.chooseDevice, { sessionId }, agent),
      );
      if (invoked.status !== 200) throw new Error(`card action answered ${invoked.status}`);
      const prompt = JSON.parse(await options.doubles.next(`prompt:${sessionId}`, () => true)) as {
        promptId: string;
        numberChoices: number[];
      };
      options.doubles.forget(`prompt:${sessionId}`);
      const shows = (text: string) =>
        prompt.numberChoices.find((c) => text.includes(`**${c}**`) || text.includes(`"${c}"`));
      const matchedNumber =
        shows(invoked.text) ??
        shows(
          (await sentToConnector(options.connector, from, agent.conversationId, (body) => shows(body) !== undefined))
            .body,
        );
      const answer = signedDeviceAnswer(options.deviceSecret, {
        promptId: prompt.promptId,
        decision: 'confirmed',
        matchedNumber,
      });
      const started = performance.now();
      const response = await fetch(
        `${options.ours}/v1/device-prompts/${encodeURIComponent(prompt.promptId)}/response`,
        {
          method: 'POST',
          headers: answer.headers,
          body: answer.body,
        },
      );
      const answered = await response.text();
      const deviceMs = performance.now() - started;
      if (!answered.includes('verified')) throw new Error(`device answer: ${answered.slice(0, 120)}`);
      await sentToConnector(options.connector, from, agent.conversationId, (body) => body.includes(`SN${n}`));
      if (record) {
        latencies.message.push(said.ms);
        latencies.invoke.push(invoked.ms);
        latencies.device.push(deviceMs);
      }
    } catch (error) {
      errors++;
      if (errorSamples.length < 5) errorSamples.push((error as Error).message);
    }
  };

  // Warm both (JIT, connections, the directory cache) before anything is measured.
  await messageThroughput(options, options.bare, 200);
  await options.pool(100, options.concurrency, () => flow(false));
  errors = 0;
  errorSamples.length = 0;

  const bareMessagesPerSec = await messageThroughput(options, options.bare, options.messages);
  const messagesPerSec = await messageThroughput(options, options.ours, options.messages);
  await options.quiet();
  const started = performance.now();
  const cpuBefore = options.cpuMs();
  await options.pool(options.flows, options.concurrency, () => flow(true));
  const flowsPerSec = options.flows / ((performance.now() - started) / 1000);
  await options.quiet();
  const serverCpuMsPerFlow = (options.cpuMs() - cpuBefore) / options.flows;
  const counted = 30;
  const redisCommandsPerFlow = await options.redisCommandsPerFlow(
    () => options.pool(counted, 10, () => flow(false)),
    counted,
  );
  const stat = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return { p50Ms: round(percentile(sorted, 50), 2), p99Ms: round(percentile(sorted, 99), 2) };
  };
  const all = [...latencies.message, ...latencies.invoke, ...latencies.device].sort((a, b) => a - b);
  return {
    messagesPerSec: round(messagesPerSec),
    bareMessagesPerSec: round(bareMessagesPerSec),
    ratio: round(messagesPerSec / bareMessagesPerSec, 3),
    steps: { message: stat(latencies.message), invoke: stat(latencies.invoke), device: stat(latencies.device) },
    p50Ms: round(percentile(all, 50), 2),
    p99Ms: round(percentile(all, 99), 2),
    flowsPerSec: round(flowsPerSec),
    serverCpuMsPerFlow: round(serverCpuMsPerFlow, 2),
    redisCommandsPerFlow: round(redisCommandsPerFlow),
    errors,
    errorSamples,
  };
}
