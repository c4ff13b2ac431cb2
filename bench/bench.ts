import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Redis } from 'ioredis';
import { ACTIONS } from '../bots/slack/blocks.ts';
import { signedDeviceAnswer } from '../test/support/device-signing.ts';
import { type ServerProcess, signalServer, startServerProcess } from '../test/support/processes.ts';
import { freePort, RedisServer } from '../test/support/redis-server.ts';
import { RedisClusterServers } from '../test/support/redis-topologies.ts';
import { buttonClick, slackHeaders, slashCommand } from '../test/support/slack.ts';
import { BotConnectorDouble } from '../test/support/teams.ts';
import { BenchDoubles } from './doubles.ts';
import { type FrontDoorBench, percentile, round } from './figures.ts';
import { type GuardFigures, measureGuard } from './guard.ts';
import { measurePortal } from './portal.ts';
import { measureStreams, type StreamFigures } from './streams.ts';
import { measureTeams } from './teams.ts';
import { measureWebChat } from './webchat.ts';

const { values: options } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    concurrency: { type: 'string', default: '50' },
    commands: { type: 'string', default: '4000' },
    flows: { type: 'string', default: '600' },
    sessions: { type: 'string', default: '10000' },
    soak: { type: 'boolean', default: false },
    'soak-minutes': { type: 'string', default: '10' },
    /** Measures the guard only (no server, no Redis). */
    'guard-only': { type: 'boolean', default: false },
    /** Adds the scale-out curve: the same Slack flows against 1, 2 and 3 replicas on one Redis. */
    scale: { type: 'boolean', default: false },
    /** Writes a V8 CPU profile of the server to this folder (see `node --cpu-prof`). */
    'cpu-prof': { type: 'string' },
    /** Writes every Redis command one flow alone sends to this file, in order (values cut to 60 characters). */
    trace: { type: 'string' },
  },
});
const CONCURRENCY = Number(options.concurrency);
const SIGNING_SECRET = 'bench-slack-signing-secret-0123456789';
const PORTAL_KEYS = Array.from({ length: 20 }, (_, i) => `bench-portal-key-${String(i).padStart(4, '0')}-abcdefgh`);
const DEVICE_SECRET = `whsec_${Buffer.from('bench-device-secret-0123456789abcdef').toString('base64')}`;
const ROOT = new URL('../', import.meta.url).pathname;

type Step = 'command' | 'button' | 'device';
const say = (line: string) => {
  if (!options.json) process.stdout.write(`${line}\n`);
};

/** Runs `total` tasks, at most `concurrency` at a time; `slot` is which of the concurrent lanes runs it. */
async function pool(total: number, concurrency: number, task: (i: number, slot: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, total) }, async (_, slot) => {
      while (next < total) await task(next++, slot);
    }),
  );
}

class Target {
  errors = 0;
  readonly errorSamples: string[] = [];
  private turn = 0;
  /** Requests take turns among `urls`, as a load balancer spreads them over replicas. */
  constructor(
    readonly url: string,
    private readonly urls: readonly string[] = [url],
  ) {}

  async post(path: string, body: string, headers: Record<string, string>): Promise<{ ms: number; text: string }> {
    const started = performance.now();
    const base = this.urls[this.turn++ % this.urls.length] ?? this.url;
    try {
      const response = await fetch(`${base}${path}`, { method: 'POST', headers, body });
      const text = await response.text();
      const ms = performance.now() - started;
      if (response.status !== 200) this.fail(`${path} answered ${response.status}: ${text.slice(0, 120)}`);
      return { ms, text };
    } catch (error) {
      this.fail(`${path}: ${(error as Error).message}`);
      return { ms: performance.now() - started, text: '' };
    }
  }

  fail(what: string): void {
    this.errors++;
    if (this.errorSamples.length < 5) this.errorSamples.push(what);
  }

  slack(body: string, type: 'application/x-www-form-urlencoded' | 'application/json') {
    return this.post('/slack/events', body, slackHeaders(body, type, { secret: SIGNING_SECRET }));
  }
}

let accountSequence = 0;

/** One `/verify` acknowledged by `target`; resolves with how long the ack took. */
async function slackAckOn(target: Target): Promise<number> {
  const n = ++accountSequence;
  const body = slashCommand(`bench-${n}@example.com`, { user_id: agentFor(n), channel_id: 'C0BENCH01' });
  return (await target.slack(body, 'application/x-www-form-urlencoded')).ms;
}
// Agents take turns, as a support floor would, and no two flows in flight share one. 200 agents are all
// warmed up (the directory cache) before anything is measured; each starts at most ~75 verifications in a
// default run, within the per-agent limit the bench configures (200 an hour, the highest allowed). A soak
// spreads its flows over more agents for the same reason.
let agents = 200;
const agentFor = (n: number) => `UB${String(n % agents).padStart(5, '0')}`;

/** One complete device verification through Slack: `/verify`, "Trusted device", the device's confirmation. */
async function deviceFlow(
  target: Target,
  doubles: BenchDoubles,
  slot: number,
  latencies: Record<Step, number[]>,
  until: 'verified' | 'awaiting_device' = 'verified',
): Promise<void> {
  const n = ++accountSequence;
  const agent = agentFor(n);
  const key = agent.slice(1);
  doubles.forget(key);
  try {
    const command = slashCommand(`bench-${n}@example.com`, {
      user_id: agent,
      user_name: `agent${slot}`,
      channel_id: 'C0BENCH01',
    });
    latencies.command.push((await target.slack(command, 'application/x-www-form-urlencoded')).ms);
    const card = await doubles.next(key, (shown) => shown.includes(ACTIONS.chooseDevice));
    const sessionId = /"action_id":"sv_choose_device"[^}]*"value":"([^"]+)"/u.exec(card)?.[1];
    if (!sessionId) throw new Error('no session id on the card');

    const click = buttonClick(ACTIONS.chooseDevice, sessionId, { user: agent, channel: `D${key}` });
    latencies.button.push((await target.slack(click, 'application/x-www-form-urlencoded')).ms);
    const prompt = JSON.parse(await doubles.next(`prompt:${sessionId}`, () => true)) as {
      promptId: string;
      numberChoices: number[];
    };
    const waiting = await doubles.next(key, (shown) => prompt.numberChoices.some((c) => shown.includes(`*${c}*`)));
    doubles.forget(`prompt:${sessionId}`);
    if (until === 'awaiting_device') return;
    const matchedNumber = prompt.numberChoices.find((c) => waiting.includes(`*${c}*`));

    const answer = signedDeviceAnswer(DEVICE_SECRET, {
      promptId: prompt.promptId,
      decision: 'confirmed',
      matchedNumber,
    });
    const response = await target.post(
      `/v1/device-prompts/${encodeURIComponent(prompt.promptId)}/response`,
      answer.body,
      answer.headers,
    );
    latencies.device.push(response.ms);
    if (!response.text.includes('verified')) throw new Error(`device answer: ${response.text.slice(0, 120)}`);
    await doubles.next(key, (shown) => shown.includes(`SN${n}`));
  } catch (error) {
    target.fail((error as Error).message);
  } finally {
    doubles.forget(key);
  }
}

/** Slash commands only, as fast as `concurrency` clients can send them: acknowledgements per second. */
async function commandThroughput(target: Target, total: number): Promise<number> {
  const started = performance.now();
  await pool(total, CONCURRENCY, async () => {
    const n = ++accountSequence;
    const body = slashCommand(`bench-${n}@example.com`, {
      user_id: agentFor(n),
      channel_id: 'C0BENCH01',
    });
    await target.slack(body, 'application/x-www-form-urlencoded');
  });
  return total / ((performance.now() - started) / 1000);
}

async function commandStats(redis: Redis): Promise<Map<string, number>> {
  const stats = new Map<string, number>();
  for (const line of (await redis.info('commandstats')).split('\n')) {
    const match = /^cmdstat_([^:]+):calls=(\d+)/u.exec(line.trim());
    if (match?.[1] && !['info', 'config|resetstat', 'monitor', 'ping'].includes(match[1]))
      stats.set(match[1], Number(match[2]));
  }
  return stats;
}

/**
 * CPU time (user + system) a process has used so far, in ms, from /proc (Linux): the server's own
 * `process.cpuUsage`, read from outside so the bench needs no hook in it.
 */
function cpuMs(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    // Fields after the command name (which may hold spaces, so split after its closing parenthesis).
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks * 1000) / CLOCK_TICKS;
  } catch {
    return Number.NaN;
  }
}
// USER_HZ: 100 on every Linux this runs on (getconf CLK_TCK).
const CLOCK_TICKS = 100;

/** Redis's own CPU time so far, in ms (INFO cpu: used_cpu_sys + used_cpu_user). */
async function redisCpuMs(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  const read = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'mu').exec(info)?.[1] ?? Number.NaN);
  return (read('used_cpu_sys') + read('used_cpu_user')) * 1000;
}

/** Redis commands per flow while `run` runs `flows` flows: sent by the server (MONITOR), and executed counting calls inside scripts (INFO commandstats). */
async function countRedisCommands(
  redis: Redis | readonly Redis[],
  flows: number,
  run: () => Promise<void>,
): Promise<{ sentPerFlow: number; executedPerFlow: number; byName: string; sent: string[] }> {
  // Every server of a Cluster is watched: a flow's commands go to the masters of their slots.
  const servers = Array.isArray(redis) ? redis : [redis as Redis];
  await Promise.all(servers.map(waitQuiet));
  const monitors = await Promise.all(servers.map((server) => server.monitor()));
  const topLevel = new Map<string, number>();
  const sentLines: string[] = [];
  for (const monitor of monitors)
    monitor.on('monitor', (_time: string, args: string[], source: string) => {
      // Calls a script makes come from "lua"; INFO commandstats counts those too.
      const name = String(args[0]).toLowerCase();
      if (source !== 'lua' && !['info', 'config', 'monitor', 'cluster', 'command'].includes(name)) {
        topLevel.set(name, (topLevel.get(name) ?? 0) + 1);
        sentLines.push(args.map((arg) => String(arg).replaceAll('\\n', ' ').slice(0, 60)).join(' '));
      }
    });
  await Promise.all(servers.map((server) => server.config('RESETSTAT')));
  await run();
  await Promise.all(servers.map(waitQuiet));
  const stats = await Promise.all(servers.map(commandStats));
  for (const monitor of monitors) monitor.disconnect();
  const sent = [...topLevel.values()].reduce((a, b) => a + b, 0);
  const executed = stats.flatMap((each) => [...each.values()]).reduce((a, b) => a + b, 0);
  return {
    sent: sentLines,
    sentPerFlow: round(sent / flows),
    executedPerFlow: round(executed / flows),
    byName: [...topLevel]
      .sort((a, b) => b[1] - a[1])
      .map(([name, calls]) => `${name} ${round(calls / flows)}`)
      .join(', '),
  };
}

async function usedMemory(redis: Redis): Promise<number> {
  return Number(/used_memory:(\d+)/u.exec(await redis.info('memory'))?.[1] ?? 0);
}

/** Redis memory by kind of key (the part of the key name that says what it is), per pending session. */
async function memoryByKind(redis: Redis, sessions: number): Promise<string> {
  const kinds = new Map<string, number>();
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'COUNT', 1000);
    cursor = next;
    for (const key of keys) {
      const kind = key
        .replace(/\{[^}]*\}/u, (tag) => `{${tag.slice(1, 3)}…}`)
        .replace(/:(?:trigger|event):.*$/u, ':…')
        .replace(/pin-(tries|check):.*$/u, 'pin-$1:…');
      kinds.set(kind, (kinds.get(kind) ?? 0) + ((await redis.memory('USAGE', key)) ?? 0));
    }
  } while (cursor !== '0');
  return [...kinds]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 10)
    .map(([kind, bytes]) => `${kind} ${Math.round(bytes / sessions)} B`)
    .join(', ');
}

async function metric(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(new RegExp(`^${name} (\\S+)$`, 'mu').exec(text)?.[1] ?? Number.NaN);
}

/** A baseline (`bench/bare-bolt.ts`, `bench/bare-teams.ts`) as a process of its own, like the server. */
function startBare(
  script: string,
  port: number,
  env: Record<string, string> = {},
): { child: ChildProcess; ready: Promise<void> } {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', PORT: String(port), SLACK_SIGNING_SECRET: SIGNING_SECRET, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
  });
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
  return { child, ready };
}

async function waitQuiet(redis: Redis): Promise<void> {
  // Renders finish after the answers; wait until Redis has seen no command for a moment.
  let last = -1;
  for (;;) {
    await new Promise((r) => setTimeout(r, 300));
    const now = Number(/total_commands_processed:(\d+)/u.exec(await redis.info('stats'))?.[1] ?? 0);
    if (now - last <= 2) return;
    last = now;
  }
}

/** The guard's figures, measured in this process before the server takes the CPU. */
function guardSection(): GuardFigures {
  const figures = measureGuard();
  say(
    `guard: ${round(figures.guardMBps, 2)} MB/s on ordinary chat, ${round(figures.guardLookAlikesMBps, 2)} MB/s on harmless look-alikes, ${round(figures.guardAllLinesMBps, 2)} MB/s over every corpus line; worst ${round(figures.guardWorstMsPer10KB, 2)} ms per 10 KB (${figures.guardWorstInput}); outbound ${round(figures.outboundMBps, 2)} MB/s`,
  );
  return figures;
}

function guardBudgets(figures: GuardFigures): { lines: string[]; met: boolean } {
  const mbps = figures.guardMBps >= 5;
  const worst = figures.guardWorstMsPer10KB <= 10;
  const budget = (ok: boolean) => (ok ? 'within budget' : 'OVER BUDGET');
  return {
    lines: [
      `guard ${round(figures.guardMBps, 2)} MB/s (≥ 5): ${budget(mbps)}`,
      `guard worst ${round(figures.guardWorstMsPer10KB, 2)} ms per 10 KB (≤ 10): ${budget(worst)}`,
    ],
    met: mbps && worst,
  };
}

function guardJson(figures: GuardFigures): Record<string, number | string> {
  return {
    guardMBps: round(figures.guardMBps, 2),
    guardLookAlikesMBps: round(figures.guardLookAlikesMBps, 2),
    guardAllLinesMBps: round(figures.guardAllLinesMBps, 2),
    guardWorstMsPer10KB: round(figures.guardWorstMsPer10KB, 2),
    guardWorstInput: figures.guardWorstInput,
    outboundMBps: round(figures.outboundMBps, 2),
  };
}

async function main(): Promise<void> {
  if (options['guard-only']) {
    const figures = guardSection();
    const { lines, met } = guardBudgets(figures);
    if (options.json) process.stdout.write(`${JSON.stringify({ ...guardJson(figures), guardBudgetsMet: met })}\n`);
    else for (const line of ['', ...lines]) say(line);
    return;
  }
  const guard = guardSection();
  const redisServer = await RedisServer.start();
  const redis = redisServer.client();
  const doubles = new BenchDoubles();
  const doublesUrl = await doubles.start();
  const outbox = mkdtempSync(join(tmpdir(), 'sv-bench-'));
  const configFile = join(outbox, 'bench-config.json');
  writeFileSync(
    configFile,
    JSON.stringify({ policies: { agentVerificationsPerHour: 200, portalPinsPerMinute: 6000 } }),
  );
  if (options.soak) agents = 10_000;
  const port = await freePort();
  const barePort = await freePort();
  const bareTeamsPort = await freePort();
  const connector = new BotConnectorDouble();
  await connector.start();
  let bareTeamsChild: ChildProcess | undefined;
  const barePortalPort = await freePort();
  let barePortalChild: ChildProcess | undefined;
  const bareChatPort = await freePort();
  let bareChatChild: ChildProcess | undefined;
  let server: ServerProcess | undefined;
  let streamServer: ServerProcess | undefined;
  let bare: ChildProcess | undefined;
  try {
    const serverEnv = {
      REDIS_URL: redisServer.url,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_BOT_TOKEN: 'xoxb-bench-0000',
      SLACK_API_URL: `${doublesUrl}/api/`,
      DEVICE_WEBHOOK_URL: `${doublesUrl}/device/push`,
      DEVICE_WEBHOOK_SECRETS: DEVICE_SECRET,
      // Each key has its own 6,000 a minute; the portal bench takes turns with them.
      PORTAL_API_KEYS: PORTAL_KEYS.join(','),
      ACCOUNTS_URL: `${doublesUrl}/directory`,
      PIN_PEPPER: 'bench-pin-pepper-0123456789abcdef0123',
      AUDIT_KEY: 'bench-audit-key-0123456789abcdef01234',
      OUTBOX_DIR: outbox,
      CONFIG_FILE: configFile,
      LOG_LEVEL: 'error',
    };
    server = startServerProcess(
      { ...serverEnv, PORT: String(port) },
      options['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${options['cpu-prof']}`] : undefined,
    );
    await server.started();
    if (server.child.exitCode !== null) throw new Error(`the server did not start: ${server.stderr()}`);
    const bareBolt = startBare('bench/bare-bolt.ts', barePort);
    bare = bareBolt.child;
    await bareBolt.ready;
    const bareTeams = startBare('bench/bare-teams.ts', bareTeamsPort);
    bareTeamsChild = bareTeams.child;
    await bareTeams.ready;
    const barePortal = startBare('bench/bare-portal.ts', barePortalPort, {
      REDIS_URL: redisServer.url,
      PORTAL_API_KEYS: PORTAL_KEYS.join(','),
    });
    barePortalChild = barePortal.child;
    await barePortal.ready;
    const bareChat = startBare('bench/bare-webchat.ts', bareChatPort);
    bareChatChild = bareChat.child;
    await bareChat.ready;
    const ours = new Target(`http://127.0.0.1:${port}`);
    const baseline = new Target(`http://127.0.0.1:${barePort}`);

    say(`support-verify bench: ${CONCURRENCY} concurrent clients, Redis ${redisServer.url}`);
    // Warm both (JIT, connections, caches) before anything is measured.
    const warm = { command: [], button: [], device: [] } as Record<Step, number[]>;
    await commandThroughput(baseline, 500);
    await pool(200, CONCURRENCY, (_, slot) => deviceFlow(ours, doubles, slot, warm));
    await waitQuiet(redis);
    ours.errors = 0;

    const commands = Number(options.commands);
    const bareBoltPerSec = await commandThroughput(baseline, commands);
    const slackStepsPerSec = await commandThroughput(ours, commands);
    await waitQuiet(redis);
    say(`slash commands acknowledged: ${round(slackStepsPerSec)}/s (bare Bolt ${round(bareBoltPerSec)}/s)`);

    const latencies = { command: [], button: [], device: [] } as Record<Step, number[]>;
    const flows = Number(options.flows);
    const flowsStarted = performance.now();
    const cpuBefore = cpuMs(server.child.pid);
    const redisCpuBefore = await redisCpuMs(redis);
    await pool(flows, CONCURRENCY, (_, slot) => deviceFlow(ours, doubles, slot, latencies));
    const flowsPerSec = flows / ((performance.now() - flowsStarted) / 1000);
    // Renders after the last answer are part of a flow's cost.
    await waitQuiet(redis);
    const serverCpuMsPerFlow = (cpuMs(server.child.pid) - cpuBefore) / flows;
    const redisCpuMsPerFlow = ((await redisCpuMs(redis)) - redisCpuBefore) / flows;
    const all = [...latencies.command, ...latencies.button, ...latencies.device].sort((a, b) => a - b);
    for (const step of ['command', 'button', 'device'] as const) {
      const sorted = [...latencies[step]].sort((a, b) => a - b);
      say(`  ${step.padEnd(8)} p50 ${round(percentile(sorted, 50))} ms  p99 ${round(percentile(sorted, 99))} ms`);
    }
    say(
      `complete flows: ${round(flowsPerSec)}/s; every step p50 ${round(percentile(all, 50))} ms, p99 ${round(percentile(all, 99))} ms`,
    );
    say(
      `CPU per complete flow: server ${round(serverCpuMsPerFlow, 2)} ms, Redis ${round(redisCpuMsPerFlow, 2)} ms (/proc and INFO cpu)`,
    );

    // Redis commands: a separate run, so MONITOR's cost does not touch the latencies above.
    const counted = 50;
    doubles.resetCalls();
    const slackRedis = await countRedisCommands(redis, counted, () =>
      pool(counted, 10, (_, slot) => deviceFlow(ours, doubles, slot, warm)),
    );
    const redisCommandsPerFlow = slackRedis.sentPerFlow;
    say(
      `Redis commands per complete flow: ${redisCommandsPerFlow} sent at 10 flows at a time (${slackRedis.byName}); ${slackRedis.executedPerFlow} executed counting calls inside scripts (INFO commandstats)`,
    );
    const flowAlone = await oneFlowAlone([redis], ours, doubles, warm);
    const redisCommandsOneFlow = flowAlone.length;
    say(`Redis commands of one flow alone: ${redisCommandsOneFlow}`);
    if (options.trace) await writeFile(options.trace, `${flowAlone.join('\n')}\n`);
    const outbound = [...doubles.calls].sort((a, b) => b[1] - a[1]);
    const outboundCallsPerFlow = round(outbound.reduce((sum, [, calls]) => sum + calls, 0) / counted);
    say(
      `outbound calls per complete flow: ${outboundCallsPerFlow} (${outbound
        .map(([what, calls]) => `${what} ${round(calls / counted)}`)
        .join(', ')})`,
    );

    // What each front door's measurement runs its load with and reads its costs from.
    const measuredServer = server;
    const frontDoor: FrontDoorBench = {
      concurrency: CONCURRENCY,
      pool: (total, concurrency, task) => pool(total, concurrency, (i) => task(i)),
      cpuMs: () => cpuMs(measuredServer.child.pid),
      quiet: () => waitQuiet(redis),
      redisCommandsPerFlow: async (run, flows) => (await countRedisCommands(redis, flows, run)).sentPerFlow,
    };

    // Teams: the same flows through /api/messages, against a bare botbuilder bot on the same restify server.
    const teams = await measureTeams({
      ours: ours.url,
      bare: `http://127.0.0.1:${bareTeamsPort}`,
      connector,
      doubles,
      deviceSecret: DEVICE_SECRET,
      messages: Number(options.commands),
      flows: Number(options.flows),
      nextAccount: () => ++accountSequence,
      ...frontDoor,
    });
    ours.errors += teams.errors;
    ours.errorSamples.push(...teams.errorSamples);
    say(
      `Teams messages answered: ${teams.messagesPerSec}/s (bare botbuilder ${teams.bareMessagesPerSec}/s), ratio ${teams.ratio}`,
    );
    for (const step of ['message', 'invoke', 'device'] as const)
      say(`  ${step.padEnd(8)} p50 ${teams.steps[step].p50Ms} ms  p99 ${teams.steps[step].p99Ms} ms`);
    say(
      `  complete Teams flows: ${teams.flowsPerSec}/s; CPU per flow ${teams.serverCpuMsPerFlow} ms; Redis commands per flow ${teams.redisCommandsPerFlow}`,
    );

    // The portal PIN API, against bare restify with one Redis call per PIN.
    const portal = await measurePortal({
      ours: ours.url,
      bare: `http://127.0.0.1:${barePortalPort}`,
      keys: PORTAL_KEYS,
      pins: Number(options.commands),
      nextAccount: () => ++accountSequence,
      ...frontDoor,
    });
    ours.errors += portal.errors;
    say(
      `portal PINs issued: ${portal.pinsPerSec}/s (bare restify + one Redis call ${portal.barePinsPerSec}/s), ratio ${portal.ratio}; p50 ${portal.p50Ms} ms, p99 ${portal.p99Ms} ms; CPU per PIN ${portal.serverCpuMsPerPin} ms; Redis commands per PIN ${portal.redisCommandsPerPin}`,
    );

    // The web chat: lines posted and delivered over each conversation's event stream, against a bare SSE chat.
    const webchat = await measureWebChat({
      ours: ours.url,
      bare: `http://127.0.0.1:${bareChatPort}`,
      conversations: 250,
      linesPerConversation: 12,
      ...frontDoor,
    });
    ours.errors += webchat.errors;
    say(
      `web chat lines delivered: ${webchat.linesPerSec}/s (bare restify SSE chat ${webchat.bareLinesPerSec}/s), ratio ${webchat.ratio}; post to delivery p50 ${webchat.p50Ms} ms, p99 ${webchat.p99Ms} ms; CPU per line ${webchat.serverCpuMsPerLine} ms; Redis commands per line ${webchat.redisCommandsPerLine}`,
    );

    let scale: ScalePoint[] | undefined;
    if (options.scale) {
      const oneRedis: ScaleStore = {
        name: 'one Redis',
        env: { REDIS_URL: redisServer.url },
        cpuMs: () => redisCpuMs(redis),
        servers: [redis],
        quiet: () => waitQuiet(redis),
      };
      scale = await scaleCurve(oneRedis, serverEnv, doubles, warm, ours, { target: ours, server });
      const cluster = await RedisClusterServers.start();
      const masters = cluster.masters.map((m) => m.client());
      try {
        const threeMasters: ScaleStore = {
          name: 'three-master cluster',
          env: cluster.env,
          cpuMs: async () => (await Promise.all(masters.map(redisCpuMs))).reduce((a, b) => a + b, 0),
          servers: masters,
          quiet: async () => void (await Promise.all(masters.map(waitQuiet))),
        };
        scale.push(...(await scaleCurve(threeMasters, serverEnv, doubles, warm, ours)));
      } finally {
        for (const master of masters) master.disconnect();
        await cluster.dispose();
      }
      for (const point of scale)
        say(
          `scale-out, ${point.replicas} replica(s) on ${point.store}: ${point.flowsPerSec} flows/s (${point.flowsPerSecPerReplica}/s per replica); server CPU ${point.serverCpuMsPerFlow} ms and Redis CPU ${point.redisCpuMsPerFlow} ms per flow; p99 ${point.p99Ms} ms;${point.redisCommandsPerFlow === undefined ? '' : ` Redis commands per flow ${point.redisCommandsPerFlow} (${point.redisCommandsOneFlow} alone);`} outbound per flow ${Object.entries(
            point.outboundPerFlow,
          )
            .map(([what, calls]) => `${what} ${calls}`)
            .join(', ')}`,
        );
    }

    // Memory: sessions left waiting for the customer's device, the longest-lived pending state.
    const sessions = Number(options.sessions);
    // Everything earlier has finished; starting empty lets the breakdown below show only these sessions.
    await redis.flushall();
    const before = await usedMemory(redis);
    await pool(sessions, CONCURRENCY, (_, slot) => deviceFlow(ours, doubles, slot, warm, 'awaiting_device'));
    await waitQuiet(redis);
    const bytesPerPendingSession = Math.round(((await usedMemory(redis)) - before) / sessions);
    say(`Redis memory per pending session: ${bytesPerPendingSession} bytes (over ${sessions} sessions)`);
    if (!options.json) say(`  where it goes: ${await memoryByKind(redis, sessions)}`);

    // A replica of its own, fresh, so what the streams cost is not lost in what the flows above left behind.
    const streamsPort = await freePort();
    streamServer = startServerProcess({ ...serverEnv, PORT: String(streamsPort) });
    await streamServer.started();
    const fresh = new Target(`http://127.0.0.1:${streamsPort}`);
    for (let i = 0; i < 50; i++) await slackAckOn(fresh);
    const streams: StreamFigures = await measureStreams(fresh.url, () => slackAckOn(fresh));
    ours.errors += fresh.errors;
    ours.errorSamples.push(...fresh.errorSamples);
    say(
      `web chat streams: ${streams.streamsOpen} open on one replica, ${round(streams.bytesPerStream / 1024)} KiB RSS per stream (${round(streams.heapBytesPerStream / 1024)} KiB heap)`,
    );
    say(
      `  ${streams.stormStreams} connecting at once: all in ${streams.stormConnectMs} ms; meanwhile /healthz p99 ${streams.healthzP99Ms} ms, Slack ack p99 ${streams.slackAckP99Ms} ms (${streams.slackAcks} acks); ${streams.streamErrors} refused`,
    );
    await waitQuiet(redis);

    let soak: Record<string, number> | undefined;
    if (options.soak) soak = await runSoak(ours, doubles, redis, Number(options['soak-minutes']));

    const errors = ours.errors + baseline.errors;
    for (const sample of [...ours.errorSamples, ...baseline.errorSamples]) say(`  error: ${sample}`);
    const result = {
      slackStepsPerSec: round(slackStepsPerSec),
      bareBoltPerSec: round(bareBoltPerSec),
      ratio: round(slackStepsPerSec / bareBoltPerSec, 3),
      p50Ms: round(percentile(all, 50), 2),
      p99Ms: round(percentile(all, 99), 2),
      flowsPerSec: round(flowsPerSec),
      redisCommandsPerFlow,
      bytesPerPendingSession,
      errors,
      redisCommandsOneFlow,
      redisCallsPerFlowInclScripts: slackRedis.executedPerFlow,
      outboundCallsPerFlow,
      serverCpuMsPerFlow: round(serverCpuMsPerFlow, 2),
      redisCpuMsPerFlow: round(redisCpuMsPerFlow, 2),
      teams: { ...teams, errorSamples: undefined },
      portal,
      webchat,
      ...(scale ? { scale } : {}),
      ...guardJson(guard),
      streams,
      ...(soak ? { soak } : {}),
    };
    const budgets = budgetsOf(result, guard, streams);
    if (options.json)
      process.stdout.write(
        `${JSON.stringify({ ...result, budgetsMet: Object.fromEntries(budgets.map(({ name, met }) => [name, met])) })}\n`,
      );
    else {
      say('');
      for (const { line, met } of budgets) say(`${line}: ${met ? 'within budget' : 'OVER BUDGET'}`);
    }
  } finally {
    // A clean stop lets node write the CPU profile.
    if (server) signalServer(server.child, options['cpu-prof'] ? 'SIGTERM' : 'SIGKILL');
    await server?.exited;
    if (streamServer) signalServer(streamServer.child, 'SIGKILL');
    await streamServer?.exited;
    if (bare) signalServer(bare, 'SIGKILL');
    if (bareTeamsChild) signalServer(bareTeamsChild, 'SIGKILL');
    if (barePortalChild) signalServer(barePortalChild, 'SIGKILL');
    if (bareChatChild) signalServer(bareChatChild, 'SIGKILL');
    await connector.stop();
    redis.disconnect();
    await doubles.stop();
    await redisServer.dispose();
    rmSync(outbox, { recursive: true, force: true });
  }
}

interface BenchResult {
  ratio: number;
  p99Ms: number;
  redisCommandsPerFlow: number;
  bytesPerPendingSession: number;
  errors: number;
}

/** The budgets (docs/architecture.md#budgets), each with the figure that meets it or not. */
function budgetsOf(
  result: BenchResult & { teams: { ratio: number }; webchat: { ratio: number } },
  guard: GuardFigures,
  streams: StreamFigures,
): Array<{ name: string; line: string; met: boolean }> {
  return [
    { name: 'slackRatio', line: `ratio to bare Bolt ${result.ratio} (≥ 0.5)`, met: result.ratio >= 0.5 },
    {
      name: 'teamsRatio',
      line: `Teams ratio to bare botbuilder ${result.teams.ratio} (≥ 0.5)`,
      met: result.teams.ratio >= 0.5,
    },
    {
      name: 'webchatRatio',
      line: `web chat ratio to a bare SSE chat ${result.webchat.ratio} (≥ 0.5)`,
      met: result.webchat.ratio >= 0.5,
    },
    { name: 'p99', line: `p99 per step ${result.p99Ms} ms (≤ 25)`, met: result.p99Ms <= 25 },
    {
      name: 'redisCommandsPerFlow',
      line: `Redis commands per flow ${result.redisCommandsPerFlow} (≤ 12)`,
      met: result.redisCommandsPerFlow <= 12,
    },
    {
      name: 'bytesPerPendingSession',
      line: `bytes per pending session ${result.bytesPerPendingSession} (≤ 2048)`,
      met: result.bytesPerPendingSession <= 2048,
    },
    { name: 'errors', line: `errors ${result.errors} (0)`, met: result.errors === 0 },
    { name: 'guardMBps', line: `guard ${round(guard.guardMBps, 2)} MB/s (≥ 5)`, met: guard.guardMBps >= 5 },
    {
      name: 'guardWorst',
      line: `guard worst ${round(guard.guardWorstMsPer10KB, 2)} ms per 10 KB (≤ 10)`,
      met: guard.guardWorstMsPer10KB <= 10,
    },
    {
      name: 'bytesPerStream',
      line: `RSS per open stream ${streams.bytesPerStream} B (≤ 20480)`,
      met: streams.bytesPerStream <= 20_480,
    },
    {
      name: 'slackAckDuringStorm',
      line: `Slack ack p99 during the storm ${streams.slackAckP99Ms} ms (≤ 100)`,
      met: streams.slackAckP99Ms <= 100,
    },
    { name: 'streamErrors', line: `streams refused ${streams.streamErrors} (0)`, met: streams.streamErrors === 0 },
  ];
}

interface ScalePoint {
  /** `one Redis` or `three-master cluster`. */
  store: string;
  replicas: number;
  flowsPerSec: number;
  flowsPerSecPerReplica: number;
  serverCpuMsPerFlow: number;
  redisCpuMsPerFlow: number;
  p99Ms: number;
  /** Calls to the doubles (Slack, directory, device) per flow, by what was called. */
  outboundPerFlow: Record<string, number>;
  /** Commands the replicas sent, per flow, 10 flows at a time (measured on the first point only). */
  redisCommandsPerFlow?: number;
  /** Commands one flow alone sends (first point only; `--trace FILE` writes them to `FILE.<store>`). */
  redisCommandsOneFlow?: number;
}

/** Where the replicas of a scale-out curve keep their state, and how its load is read. */
interface ScaleStore {
  name: string;
  /** What a replica's environment says instead of the main run's `REDIS_URL`. */
  env: Record<string, string>;
  /** CPU time of every Redis server behind it so far, in ms. */
  cpuMs(): Promise<number>;
  /** Every Redis server behind it, for counting commands. */
  servers: readonly Redis[];
  quiet(): Promise<void>;
}

/**
 * The same complete Slack flows against 1, 2 and 3 replicas, each step of a flow going to the next replica in
 * turn (a load balancer's round robin). On a 2-core machine the flows/s curve is flat by nature; the CPU per
 * flow of the servers (all replicas together) and of Redis is what shows the next bottleneck. `first` is a
 * replica already running on `store`, or none (every replica is started here); failures are counted on `errors`.
 */
async function scaleCurve(
  store: ScaleStore,
  env: Record<string, string>,
  doubles: BenchDoubles,
  warm: Record<Step, number[]>,
  errors: Target,
  first?: { target: Target; server: ServerProcess },
): Promise<ScalePoint[]> {
  const started: Array<{ server: ServerProcess; url: string }> = [];
  const points: ScalePoint[] = [];
  const { REDIS_URL: _replaced, ...rest } = env;
  try {
    for (let replicas = 1; replicas <= 3; replicas++) {
      const replicasWanted = first ? replicas - 1 : replicas;
      while (started.length < replicasWanted) {
        const port = await freePort();
        const replica = startServerProcess({ ...rest, ...store.env, PORT: String(port) });
        await replica.started();
        started.push({ server: replica, url: `http://127.0.0.1:${port}` });
      }
      const running = [...(first ? [{ server: first.server, url: first.target.url }] : []), ...started];
      const servers = running.slice(0, replicas);
      const target = new Target(
        servers[0]?.url ?? '',
        servers.map((s) => s.url),
      );
      await pool(100, CONCURRENCY, (_, slot) => deviceFlow(target, doubles, slot, warm));
      await store.quiet();
      const flows = Number(options.flows);
      const latencies = { command: [], button: [], device: [] } as Record<Step, number[]>;
      const cpuBefore = servers.reduce((sum, s) => sum + cpuMs(s.server.child.pid), 0);
      const redisBefore = await store.cpuMs();
      doubles.resetCalls();
      const began = performance.now();
      await pool(flows, CONCURRENCY, (_, slot) => deviceFlow(target, doubles, slot, latencies));
      const flowsPerSec = flows / ((performance.now() - began) / 1000);
      await store.quiet();
      const cpuAfter = servers.reduce((sum, s) => sum + cpuMs(s.server.child.pid), 0);
      const all = [...latencies.command, ...latencies.button, ...latencies.device].sort((a, b) => a - b);
      errors.errors += target.errors;
      errors.errorSamples.push(...target.errorSamples);
      points.push({
        store: store.name,
        replicas,
        flowsPerSec: round(flowsPerSec),
        flowsPerSecPerReplica: round(flowsPerSec / replicas),
        serverCpuMsPerFlow: round((cpuAfter - cpuBefore) / flows, 2),
        redisCpuMsPerFlow: round(((await store.cpuMs()) - redisBefore) / flows, 2),
        p99Ms: round(percentile(all, 99), 2),
        outboundPerFlow: Object.fromEntries([...doubles.calls].map(([what, calls]) => [what, round(calls / flows)])),
        ...(replicas === 1 ? await commandsPerFlowOn(store, target, doubles, warm) : {}),
      });
    }
  } finally {
    for (const { server } of started) signalServer(server.child, 'SIGKILL');
    await Promise.all(started.map(({ server }) => server.exited));
  }
  return points;
}

/**
 * The commands one flow with nothing beside it sends, in order: where no other flow's audit entries share a write.
 * A replica's once-a-second deadline sweeps (sessions, web chats) are not the flow's.
 */
async function oneFlowAlone(
  servers: readonly Redis[],
  target: Target,
  doubles: BenchDoubles,
  warm: Record<Step, number[]>,
): Promise<string[]> {
  const alone = await countRedisCommands(servers, 1, () => deviceFlow(target, doubles, 0, warm));
  // A sweep is a script whose first key is a shard: all of them in one on one server, one per shard on Cluster.
  return alone.sent.filter((line) => !/^eval(?:sha)? \S+ \d+ sv:\{deadlines:/u.test(line));
}

/** A scale point's Redis commands per flow at 10 flows at a time and one alone (written out with `--trace`). */
async function commandsPerFlowOn(
  store: ScaleStore,
  target: Target,
  doubles: BenchDoubles,
  warm: Record<Step, number[]>,
): Promise<{ redisCommandsPerFlow: number; redisCommandsOneFlow: number }> {
  const counted = await countRedisCommands(store.servers, 50, () =>
    pool(50, 10, (_, slot) => deviceFlow(target, doubles, slot, warm)),
  );
  const alone = await oneFlowAlone(store.servers, target, doubles, warm);
  if (options.trace) await writeFile(`${options.trace}.${store.name.replaceAll(' ', '-')}`, `${alone.join('\n')}\n`);
  return { redisCommandsPerFlow: counted.sentPerFlow, redisCommandsOneFlow: alone.length };
}

/** Complete flows without pause for `minutes`, sampling the server's memory and Redis's every 30 s. */
async function runSoak(
  target: Target,
  doubles: BenchDoubles,
  redis: Redis,
  minutes: number,
): Promise<Record<string, number>> {
  say(`soak: ${minutes} min of complete flows at ${CONCURRENCY} concurrent`);
  const ends = Date.now() + minutes * 60_000;
  const samples: Array<{ rss: number; heap: number; redis: number }> = [];
  const sample = async () => {
    const entry = {
      rss: await metric(target.url, 'process_resident_memory_bytes'),
      heap: await metric(target.url, 'nodejs_heap_size_used_bytes'),
      redis: await usedMemory(redis),
    };
    samples.push(entry);
    say(
      `  ${samples.length === 1 ? 'start' : `${(samples.length - 1) * 0.5} min`}: rss ${round(entry.rss / 2 ** 20)} MiB, heap ${round(entry.heap / 2 ** 20)} MiB, Redis ${round(entry.redis / 2 ** 20)} MiB`,
    );
  };
  await sample();
  const timer = setInterval(() => void sample(), 30_000);
  let flows = 0;
  const scratch = { command: [], button: [], device: [] } as Record<Step, number[]>;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, slot) => {
      while (Date.now() < ends) {
        await deviceFlow(target, doubles, slot, scratch);
        flows++;
        for (const list of Object.values(scratch)) list.length = 0;
      }
    }),
  );
  clearInterval(timer);
  await sample();
  const first = samples[1] ?? samples[0];
  const last = samples.at(-1);
  return {
    minutes,
    flows,
    rssGrowthMiB: round(((last?.rss ?? 0) - (first?.rss ?? 0)) / 2 ** 20),
    heapGrowthMiB: round(((last?.heap ?? 0) - (first?.heap ?? 0)) / 2 ** 20),
    redisGrowthMiB: round(((last?.redis ?? 0) - (first?.redis ?? 0)) / 2 ** 20),
  };
}

await main();
