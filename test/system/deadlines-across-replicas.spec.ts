import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { ACTIONS } from '../../bots/slack/blocks.ts';
import { until } from '../support/processes.ts';
import { useRedisServer } from '../support/redis-fixture.ts';
import { Replicas } from '../support/replicas.ts';
import { buttonClick, shownText } from '../support/slack.ts';

const AGENT = 'U0DEADLN01';

describe('deadlines survive the replica that set them (real processes)', function () {
  this.timeout(120_000);
  const redis = useRedisServer();
  const replicas = new Replicas();
  let dir = '';
  before(async function () {
    this.timeout(60_000);
    await redis().flush();
    dir = mkdtempSync(join(tmpdir(), 'sv-deadlines-'));
    const config = join(dir, 'config.json');
    // The shortest device prompt the policies allow, so the test waits half a minute, not two.
    writeFileSync(config, JSON.stringify({ policies: { devicePromptSeconds: 30 } }));
    await replicas.start(1, redis().url, { CONFIG_FILE: config });
  });
  after(async () => {
    await replicas.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('expires a device prompt on time when the replica that sent it was killed, and its replacement updates the card', async () => {
    const sessionId = await replicas.startVerification(0, AGENT, 'alex@example.com');
    await replicas.slackRequest(0, buttonClick(ACTIONS.chooseDevice, sessionId, { user: AGENT }));
    await until(
      () => replicas.agentUpdates(AGENT).some((c) => shownText(c).includes('Number for the customer')),
      10_000,
    );
    const sentAt = Date.now();
    // The only replica that heard of the prompt dies; its replacement never heard of it.
    replicas.kill(0);
    await replicas.add();
    const expired = () => replicas.agentUpdates(AGENT).some((c) => shownText(c).includes('expired'));
    await until(expired, 45_000);
    const late = Date.now() - sentAt;
    expect(late, 'within seconds of the 30 s deadline').to.be.within(25_000, 36_000);
    // Applied once: one card update says so, however many sweeps ran since.
    await new Promise((r) => setTimeout(r, 2500));
    expect(replicas.agentUpdates(AGENT).filter((c) => shownText(c).includes('expired'))).to.have.length(1);
    const client = redis().client();
    const deadlines = await client.keys('sv:{deadlines:*');
    for (const key of deadlines) expect(await client.zscore(key, sessionId), key).to.equal(null);
    await client.quit();
  });
});
