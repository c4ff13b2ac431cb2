import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST_DEVICE_SECRET, TEST_PORTAL_KEY } from './app.ts';
import { signedDeviceAnswer } from './device-signing.ts';
import { type HttpAnswer, request } from './http.ts';
import { killServerProcesses, type ServerProcess, signalServer, startServerProcess, until } from './processes.ts';
import { RecordingServer } from './recording-server.ts';
import { useRedisServer } from './redis-fixture.ts';
import { freePort, type RedisServer } from './redis-server.ts';
import {
  SLACK_BOT_TOKEN,
  SLACK_SIGNING_SECRET,
  SlackApiDouble,
  type SlackCall,
  sessionIdOnCard,
  slackHeaders,
  slashCommand,
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
  private outbox = '';

  async start(count: number, redisUrl: string): Promise<void> {
    const apiUrl = await this.slack.start();
    const deviceUrl = await this.devices.start();
    this.outbox = mkdtempSync(join(tmpdir(), 'sv-replicas-'));
    this.list = await Promise.all(
      Array.from({ length: count }, async () => {
        const port = await freePort();
        const process = startServerProcess({
          PORT: String(port),
          REDIS_URL: redisUrl,
          SLACK_SIGNING_SECRET,
          SLACK_BOT_TOKEN,
          SLACK_API_URL: apiUrl,
          DEVICE_WEBHOOK_URL: `${deviceUrl}/push`,
          DEVICE_WEBHOOK_SECRET: TEST_DEVICE_SECRET,
          PORTAL_API_KEYS: TEST_PORTAL_KEY,
          PIN_PEPPER: 'replicas-pin-pepper-0123456789abcdef',
          AUDIT_KEY: 'replicas-audit-key-0123456789abcdef',
          OUTBOX_DIR: this.outbox,
          LOG_LEVEL: 'warn',
        });
        await process.started();
        if (process.child.exitCode !== null) throw new Error(`a replica did not start: ${process.stderr()}`);
        return { process, url: `http://127.0.0.1:${port}` };
      }),
    );
  }

  async stop(): Promise<void> {
    killServerProcesses();
    await this.slack.stop();
    await this.devices.stop();
    rmSync(this.outbox, { recursive: true, force: true });
  }

  url(replica: number): string {
    const url = this.list[replica]?.url;
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
