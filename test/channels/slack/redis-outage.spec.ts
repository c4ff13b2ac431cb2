import { expect } from 'chai';
import { ACTIONS, PIN_INPUT, VIEWS } from '../../../bots/slack/blocks.ts';
import { sleep, useRedisServer } from '../../support/redis-fixture.ts';
import { AGENT_USER, buttonClick, slashCommand, TEAM, viewSubmission } from '../../support/slack.ts';
import { type SlackHarness, startSlackApp } from '../../support/slack-app.ts';

describe('Slack while Redis is down', function () {
  this.timeout(30_000);
  const redis = useRedisServer();
  let h: SlackHarness;
  beforeEach(async () => {
    await redis().flush();
    h = await startSlackApp({ redisUrl: redis().url });
  });
  afterEach(async () => {
    await h.close();
  });

  // How fast the answer comes is a budget for `npm run bench`; this checks that it comes and what it says.
  it('answers every request, says to try again, grants nothing, and recovers', async () => {
    await h.send(slashCommand('alex@example.com', {}, h.slack.responseUrl()));
    await h.slack.waitFor('chat.postMessage');
    const [session] = await h.t.app.verification.recent({ id: AGENT_USER, channel: 'slack', workspaceId: TEAM });

    await redis().stop();
    const command = await h.send(slashCommand('jan@example.nl', {}, h.slack.responseUrl()));
    expect(command.status).to.equal(200);
    expect(String(command.json.text)).to.contain('temporarily unavailable');

    const click = await h.send(buttonClick(ACTIONS.choosePin, session?.id ?? ''));
    expect(click.status).to.equal(200);

    const submit = await h.send(
      viewSubmission(VIEWS.agentPin, session?.id ?? '', {
        block: PIN_INPUT.block,
        action: PIN_INPUT.action,
        value: '4821',
      }),
    );
    expect(JSON.stringify(submit.json)).to.contain('temporarily unavailable');
    expect(h.slack.calls('chat.postMessage'), 'nothing new was started').to.have.length(1);

    await redis().launch();
    for (let i = 0; i < 100 && (await fetch(`${h.t.url}/healthz?deep`)).status !== 200; i++) await sleep(100);
    await h.send(slashCommand('jan@example.nl', {}, h.slack.responseUrl()));
    await h.slack.waitFor('chat.postMessage', 2);
  });
});
