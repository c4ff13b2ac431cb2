import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ACTIONS, PIN_INPUT, VIEWS } from '../../bots/slack/blocks.ts';
import { TEST_DEVICE_SECRET, TEST_PORTAL_KEY } from './app.ts';
import { signedDeviceAnswer } from './device-signing.ts';
import { type HttpAnswer, request } from './http.ts';
import { killServerProcesses, type ServerProcess, signalServer, startServerProcess, until } from './processes.ts';
import { RecordingServer } from './recording-server.ts';
import { useRedisServer } from './redis-fixture.ts';
import { freePort, type RedisServer } from './redis-server.ts';
import {
  buttonClick,
  SLACK_BOT_TOKEN,
  SLACK_SIGNING_SECRET,
  SlackApiDouble,
  type SlackCall,
  sessionIdOnCard,
  shownText,
  slackHeaders,
  slashCommand,
  viewSubmission,
} from './slack.ts';

export interface Replica {
  process: ServerProcess;
  url: string;
}

/**
 * Several real `npm start` processes on one Redis, as replicas behind a load balancer, with the Slack Web
 * API and the device service as recording doubles.
 */
export class Replicas {
  readonly slack = new SlackApiDouble();
  readonly devices = new RecordingServer();
  list: Replica[] = [];
  private readonly attached: string[] = [];
  private outbox = '';
  private env: Record<string, string> = {};

  /** `redis` is a URL, or the variables that reach a Cluster or Sentinel (`REDIS_CLUSTER_NODES`, …). */
  async start(count: number, redis: string | Record<string, string>, env: Record<string, string> = {}): Promise<void> {
    await this.startDoubles(redis, env);
    this.list = await Promise.all(Array.from({ length: count }, () => this.spawn()));
  }

  /**
   * The doubles alone, resolving with the environment a replica gets; for servers started elsewhere (a
   * container image), which {@link Replicas.attach} then adds by their URL.
   */
  async startDoubles(
    redis: string | Record<string, string>,
    env: Record<string, string> = {},
  ): Promise<Record<string, string>> {
    const apiUrl = await this.slack.start();
    const deviceUrl = await this.devices.start();
    this.outbox = mkdtempSync(join(tmpdir(), 'sv-replicas-'));
    this.env = {
      ...(typeof redis === 'string' ? { REDIS_URL: redis } : redis),
      SLACK_SIGNING_SECRET,
      SLACK_BOT_TOKEN,
      SLACK_API_URL: apiUrl,
      DEVICE_WEBHOOK_URL: `${deviceUrl}/push`,
      DEVICE_WEBHOOK_SECRETS: TEST_DEVICE_SECRET,
      PORTAL_API_KEYS: TEST_PORTAL_KEY,
      PIN_PEPPER: 'replicas-pin-pepper-0123456789abcdef',
      AUDIT_KEY: 'replicas-audit-key-0123456789abcdef',
      OUTBOX_DIR: this.outbox,
      LOG_LEVEL: 'warn',
      ...env,
    };
    return { ...this.env };
  }

  /** A server this class did not start (a container), reached at `url`; returns its index. */
  attach(url: string): number {
    this.attached.push(url);
    return this.list.length + this.attached.length - 1;
  }

  /** One more replica, as the others (a replacement after a crash); resolves with its index. */
  async add(): Promise<number> {
    this.list.push(await this.spawn());
    return this.list.length - 1;
  }

  private async spawn(): Promise<Replica> {
    const port = await freePort();
    const process = startServerProcess({ PORT: String(port), ...this.env });
    await process.started();
    if (process.child.exitCode !== null) throw new Error(`a replica did not start: ${process.stderr()}`);
    return { process, url: `http://127.0.0.1:${port}` };
  }

  async stop(): Promise<void> {
    killServerProcesses();
    await this.slack.stop();
    await this.devices.stop();
    rmSync(this.outbox, { recursive: true, force: true });
  }

  url(replica: number): string {
    const url = this.list[replica]?.url ?? this.attached[replica - this.list.length];
    if (!url) throw new Error(`no replica ${replica}`);
    return url;
  }

  /** A Slack request, signed, to one replica. */
  slackRequest(replica: number, body: string): Promise<HttpAnswer> {
    const type = body.startsWith('{') ? 'application/json' : 'application/x-www-form-urlencoded';
    return request(`${this.url(replica)}/slack/events`, { method: 'POST', headers: slackHeaders(body, type), body });
  }

  /** The device service's signed answer to the latest prompt it was asked to show, sent to one replica. */
  async deviceAnswer(
    replica: number,
    prompt: { promptId: string },
    decision: 'confirmed' | 'denied',
    matchedNumber?: number,
  ): Promise<HttpAnswer> {
    const answer = signedDeviceAnswer(TEST_DEVICE_SECRET, { promptId: prompt.promptId, decision, matchedNumber });
    return request(`${this.url(replica)}/v1/device-prompts/${prompt.promptId}/response`, { method: 'POST', ...answer });
  }

  /** The prompts the device service was asked to show, oldest first. */
  prompts(): Array<{ promptId: string; numberChoices: number[] }> {
    return this.devices.requests.map((r) => JSON.parse(r.body) as { promptId: string; numberChoices: number[] });
  }

  /** The cards posted to an agent (to their user id: Slack opens the DM with the app). */
  agentPosts(agent: string): SlackCall[] {
    return this.slack.calls('chat.postMessage').filter((c) => c.args.channel === agent);
  }

  /** The updates of the cards in an agent's DM with the app. */
  agentUpdates(agent: string): SlackCall[] {
    return this.slack.calls('chat.update').filter((c) => c.args.channel === `D${agent.slice(1)}`);
  }

  /** `/verify <customer>` from `agent`, sent to one replica; resolves with the session id on the posted card. */
  async startVerification(replica: number, agent: string, customer: string): Promise<string> {
    this.slack.users[agent] ??= { real_name: `Agent ${agent.slice(-2)}`, locale: 'en-US' };
    await this.slackRequest(replica, slashCommand(customer, { user_id: agent }, this.slack.responseUrl()));
    await until(() => this.agentPosts(agent).length > 0, 10_000);
    const [card] = this.agentPosts(agent);
    if (!card) throw new Error(`no card was posted for ${agent}`);
    return sessionIdOnCard(card);
  }

  /** Waits for `count` updates of an agent's card, and a little longer, so a duplicate render would show. */
  async cardUpdates(agent: string, count: number): Promise<SlackCall[]> {
    await until(() => this.agentUpdates(agent).length >= count, 10_000);
    await new Promise((r) => setTimeout(r, 500));
    return this.agentUpdates(agent);
  }

  /**
   * A whole device verification, each step sent to the replica named: `/verify`, the "Trusted device" button,
   * then the device's confirmation with the number the agent's card shows. Resolves with the device answer.
   */
  async deviceFlow(
    on: { command: number; button: number; device: number },
    agent: string,
    customer: string,
  ): Promise<{ sessionId: string; answer: HttpAnswer }> {
    const sessionId = await this.startVerification(on.command, agent, customer);
    const before = this.prompts().length;
    const click = await this.slackRequest(on.button, buttonClick(ACTIONS.chooseDevice, sessionId, { user: agent }));
    if (click.status !== 200) throw new Error(`the button was answered ${click.status}`);
    await until(() => this.prompts().length > before && this.agentUpdates(agent).length > 0, 10_000);
    const prompt = this.prompts().at(-1);
    const waiting = shownText(this.agentUpdates(agent)[0] as SlackCall);
    const number = prompt?.numberChoices.find((n) => waiting.includes(`*${n}*`));
    if (!prompt || number === undefined) throw new Error('the card shows none of the numbers the device offers');
    return { sessionId, answer: await this.deviceAnswer(on.device, prompt, 'confirmed', number) };
  }

  /**
   * A whole PIN verification, each step sent to the replica named: `/verify`, the "Support PIN" button, the
   * portal issuing a PIN for `accountId`, and the agent submitting it. Resolves with the submission's answer.
   */
  async pinFlow(
    on: { command: number; button: number; portal: number; submit: number },
    agent: string,
    customer: { email: string; accountId: string },
  ): Promise<{ sessionId: string; issued: HttpAnswer; submit: HttpAnswer }> {
    const sessionId = await this.startVerification(on.command, agent, customer.email);
    await this.slackRequest(on.button, buttonClick(ACTIONS.choosePin, sessionId, { user: agent }));
    await until(() => this.agentUpdates(agent).length > 0, 10_000);
    const issued = await request(`${this.url(on.portal)}/v1/accounts/${customer.accountId}/support-pins`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_PORTAL_KEY}` },
    });
    const pin = { block: PIN_INPUT.block, action: PIN_INPUT.action, value: String(issued.json.pin) };
    const submit = await this.slackRequest(on.submit, viewSubmission(VIEWS.agentPin, sessionId, pin, { user: agent }));
    return { sessionId, issued, submit };
  }

  kill(replica: number, signal: NodeJS.Signals = 'SIGKILL'): void {
    const process = this.list[replica]?.process;
    if (process) signalServer(process.child, signal);
  }

  /** True while every replica's process is running. */
  allAlive(): boolean {
    return this.list.every((r) => r.process.child.exitCode === null && r.process.child.signalCode === null);
  }
}

/** `count` replicas on the suite's own Redis, started before the suite and stopped after it. */
export function useReplicas(count: number): { redis: () => RedisServer; replicas: Replicas } {
  const redis = useRedisServer();
  const replicas = new Replicas();
  before(async function () {
    this.timeout(60_000);
    await redis().flush();
    await replicas.start(count, redis().url);
  });
  after(() => replicas.stop());
  return { redis, replicas };
}
