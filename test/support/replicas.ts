import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST_DEVICE_SECRET, TEST_PORTAL_KEY } from './app.ts';
import { signedDeviceAnswer } from './device-signing.ts';
import { type HttpAnswer, request } from './http.ts';
import { killServerProcesses, type ServerProcess, signalServer, startServerProcess } from './processes.ts';
import { RecordingServer } from './recording-server.ts';
import { freePort } from './redis-server.ts';
import { SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, SlackApiDouble, slackHeaders } from './slack.ts';

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

  kill(replica: number, signal: NodeJS.Signals = 'SIGKILL'): void {
    const process = this.list[replica]?.process;
    if (process) signalServer(process.child, signal);
  }

  /** True while every replica's process is running. */
  allAlive(): boolean {
    return this.list.every((r) => r.process.child.exitCode === null && r.process.child.signalCode === null);
  }
}
