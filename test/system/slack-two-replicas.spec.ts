import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { ACTIONS } from '../../bots/slack/blocks.ts';
import { TEST_DEVICE_SECRET, TEST_PORTAL_KEY } from '../support/app.ts';
import { signedDeviceAnswer } from '../support/device-signing.ts';
import { request } from '../support/http.ts';
import { killServerProcesses, type ServerProcess, startServerProcess, until } from '../support/processes.ts';
import { RecordingServer } from '../support/recording-server.ts';
import { useRedisServer } from '../support/redis-fixture.ts';
import { freePort } from '../support/redis-server.ts';
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
} from '../support/slack.ts';

describe('Slack across two server processes on one Redis', function () {
  this.timeout(60_000);
  const redis = useRedisServer();
  const slack = new SlackApiDouble();
  const devices = new RecordingServer();
  let outbox: string;
  let replicas: Array<{ process: ServerProcess; url: string }> = [];

  before(async () => {
    await redis().flush();
    const apiUrl = await slack.start();
    const deviceUrl = await devices.start();
    outbox = mkdtempSync(join(tmpdir(), 'sv-replicas-'));
    replicas = await Promise.all(
      [0, 1].map(async () => {
        const port = await freePort();
        const process = startServerProcess({
          PORT: String(port),
          REDIS_URL: redis().url,
          SLACK_SIGNING_SECRET,
          SLACK_BOT_TOKEN,
          SLACK_API_URL: apiUrl,
          DEVICE_WEBHOOK_URL: `${deviceUrl}/push`,
          DEVICE_WEBHOOK_SECRET: TEST_DEVICE_SECRET,
          PORTAL_API_KEYS: TEST_PORTAL_KEY,
          PIN_PEPPER: 'two-replicas-pin-pepper-0123456789abcdef',
          AUDIT_KEY: 'two-replicas-audit-key-0123456789abcdef',
          OUTBOX_DIR: outbox,
          LOG_LEVEL: 'warn',
        });
        await process.started();
        return { process, url: `http://127.0.0.1:${port}` };
      }),
    );
  });
  after(async () => {
    killServerProcesses();
    await slack.stop();
    await devices.stop();
    rmSync(outbox, { recursive: true, force: true });
  });

  const send = (replica: number, body: string) =>
    request(`${replicas[replica]?.url}/slack/events`, {
      method: 'POST',
      headers: slackHeaders(body, 'application/x-www-form-urlencoded'),
      body,
    });

  // The agent's card lives in the agent's DM; the customer's message in the shared channel is another.
  const agentCard = () => slack.calls('chat.update').filter((c) => String(c.args.channel).startsWith('D'));
  async function cardUpdates(count: number): Promise<SlackCall[]> {
    await until(() => agentCard().length >= count, 5000);
    const updates = agentCard();
    if (updates.length < count) throw new Error(`expected ${count} card updates, saw ${updates.length}`);
    return updates;
  }

  it('updates the agent’s card exactly once per state change, whichever replica takes each step', async () => {
    for (const { process } of replicas) expect(process.stdout()).to.contain('(development, Redis mode)');

    await send(0, slashCommand('alex@example.com', {}, slack.responseUrl()));
    const [card] = await slack.waitFor('chat.postMessage');
    const sessionId = sessionIdOnCard(card as SlackCall);
    expect(sessionId).to.match(/^[0-9a-f-]{36}$/u);

    await send(0, buttonClick(ACTIONS.chooseDevice, sessionId, { responseUrl: slack.responseUrl() }));
    const [waiting] = await cardUpdates(1);
    await until(() => devices.requests.length > 0, 5000);
    const prompt = JSON.parse(devices.requests[0]?.body ?? '{}') as { promptId: string; numberChoices: number[] };
    const number = prompt.numberChoices.find((n) => shownText(waiting as SlackCall).includes(`*${n}*`));
    expect(number, 'the card shows one of the numbers the device offers').to.be.a('number');

    const answer = signedDeviceAnswer(TEST_DEVICE_SECRET, {
      promptId: prompt.promptId,
      decision: 'confirmed',
      matchedNumber: number,
    });
    const response = await request(`${replicas[1]?.url}/v1/device-prompts/${prompt.promptId}/response`, {
      method: 'POST',
      ...answer,
    });
    expect(response.json).to.deep.equal({ state: 'verified' });

    const [, verified] = await cardUpdates(2);
    if (!shownText(verified as SlackCall).includes('is verified'))
      console.log(
        JSON.stringify(
          agentCard().map((c) => shownText(c).slice(0, 300)),
          null,
          1,
        ),
        replicas.map((r) => r.process.stdout() + r.process.stderr()).join('\n----\n'),
      );
    expect(shownText(verified as SlackCall))
      .to.contain('is verified')
      .and.contain('DMPXK1ALEX01');
    // Both replicas saw the change; give a duplicate render the time it would need to show up.
    await new Promise((r) => setTimeout(r, 500));
    expect(agentCard(), 'one update per state change: awaiting device, verified').to.have.length(2);
  });
});
