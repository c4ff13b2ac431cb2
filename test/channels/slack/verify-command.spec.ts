import { expect } from 'chai';
import { customerConversation } from '../../../bots/slack/message-refs.ts';
import { assertValidBlocks, assertValidView } from '../../support/block-kit.ts';
import { useRedisServer } from '../../support/redis-fixture.ts';
import {
  AGENT_USER,
  CUSTOMER_USER,
  INTERNAL_CHANNEL,
  SHARED_CHANNEL,
  type SlackCall,
  shownText,
  slashCommand,
  TEAM,
  verifyModalSubmission,
} from '../../support/slack.ts';
import { type SlackHarness, startSlackApp } from '../../support/slack-app.ts';

describe('Slack: /verify', () => {
  const redis = useRedisServer();
  let h: SlackHarness;
  beforeEach(async () => {
    await redis().flush();
    h = await startSlackApp({ redisUrl: redis().url });
  });
  afterEach(async () => h.close());

  it('acks at once, then posts the agent a private card and says where it is', async () => {
    const answer = await h.send(slashCommand('alex@example.com', {}, h.slack.responseUrl('cmd')));
    expect(answer.status).to.equal(200);
    expect(answer.text).to.equal('');

    const [card] = await h.slack.waitFor('chat.postMessage');
    expect(card?.args.channel, 'the agent’s DM with the app, never the channel').to.equal(AGENT_USER);
    assertValidBlocks(card?.args.blocks);
    const shown = shownText(card as NonNullable<typeof card>);
    expect(shown).to.contain('Verify Alex Morgan').and.contain('Prompt their device').and.contain('Use support PIN');
    expect(shown, 'no serial before verification').to.not.match(/DMPXK1ALEX01|C02ZK2ALEX02/u);

    const [reply] = await h.slack.waitFor('response_url');
    expect(reply?.args).to.deep.include({ response_type: 'ephemeral' });
    expect(String(reply?.args.text)).to.contain('Verification of Alex Morgan started');

    const sessions = await h.t.app.verification.recent({ id: AGENT_USER, channel: 'slack', workspaceId: TEAM });
    expect(sessions).to.have.length(1);
    expect(sessions[0]?.agent).to.deep.include({ displayName: 'Robin Agent', locale: 'en' });
  });

  it('refuses an agent past the hourly limit, says when they can go on, and alerts security', async () => {
    await h.close();
    h = await startSlackApp({
      redisUrl: redis().url,
      mutate: (config) => {
        config.policies = { ...config.policies, agentVerificationsPerHour: 5 };
      },
    });
    const answers = [];
    for (let i = 0; i < 6; i++)
      answers.push(await h.send(slashCommand('alex@example.com', {}, h.slack.responseUrl(`r${i}`))));
    // Counted before Slack is answered: the refusal is the answer itself, at once.
    const refusals = answers.filter((a) => String(a.json.text).includes('as many verifications as one agent may'));
    expect(refusals, 'exactly the sixth is refused').to.have.length(1);
    expect(answers.indexOf(refusals[0] as (typeof answers)[number])).to.equal(5);
    expect(refusals[0]?.json).to.deep.include({ response_type: 'ephemeral' });
    expect(String(refusals[0]?.json.text)).to.match(/Security has been told; you can start another in \d+ min\.$/u);
    await h.slack.waitFor('response_url', 5);
    await h.slack.waitFor('chat.postMessage', 5);
    await new Promise((r) => setTimeout(r, 200));
    expect(h.slack.calls('chat.postMessage'), 'five cards, no sixth').to.have.length(5);
    expect(h.t.logs.some((line) => line.includes('security alert: agent_rate_exceeded'))).to.equal(true);
  });

  it('starts one verification for a command delivered twice (the same trigger), counting it once', async () => {
    const command = slashCommand('alex@example.com', {}, h.slack.responseUrl());
    const [first, again] = [await h.send(command), await h.send(command)];
    expect([first.status, again.status]).to.deep.equal([200, 200]);
    await h.slack.waitFor('chat.postMessage');
    await new Promise((r) => setTimeout(r, 200));
    expect(h.slack.calls('chat.postMessage'), 'one card').to.have.length(1);
    const sessions = await h.t.app.verification.recent({ id: AGENT_USER, channel: 'slack', workspaceId: TEAM });
    expect(sessions).to.have.length(1);
    expect(h.t.logs.some((line) => line.includes('duplicate delivery ignored'))).to.equal(true);
  });

  it('answers an unknown customer clearly and starts nothing', async () => {
    await h.send(slashCommand('nobody@example.com', {}, h.slack.responseUrl()));
    const [reply] = await h.slack.waitFor('response_url');
    expect(String(reply?.args.text)).to.contain('No customer matches');
    expect(h.slack.calls('chat.postMessage')).to.deep.equal([]);
  });

  it('explains the usage when no customer is given', async () => {
    const answer = await h.send(slashCommand('   '));
    expect(answer.status).to.equal(200);
    expect(answer.json).to.deep.include({ response_type: 'ephemeral' });
    expect(String(answer.json.text)).to.contain('Usage: /verify');
  });

  it('never starts a second verification for a retried command', async () => {
    const body = slashCommand('alex@example.com', {}, h.slack.responseUrl());
    await h.send(body);
    await h.slack.waitFor('chat.postMessage');
    const retry = await h.send(body, { retryNum: 1 });
    expect(retry.status).to.equal(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(h.slack.calls('chat.postMessage')).to.have.length(1);
    expect(await h.t.app.verification.recent({ id: AGENT_USER, channel: 'slack', workspaceId: TEAM })).to.have.length(
      1,
    );
  });

  it('in a Slack Connect channel, first asks the agent to name the customer; in an internal one, starts', async () => {
    await h.send(slashCommand('alex@example.com', { channel_id: SHARED_CHANNEL }, h.slack.responseUrl()));
    const [open] = await h.slack.waitFor('views.open');
    const view = open?.args.view as {
      private_metadata: string;
      blocks: Array<{ element?: { initial_value?: string } }>;
    };
    assertValidView(view);
    expect(view.blocks[0]?.element?.initial_value, 'the query typed after /verify').to.equal('alex@example.com');
    expect(shownText(open as SlackCall))
      .to.contain('Customer in this conversation')
      .and.contain('Alex Morgan');
    expect(h.slack.calls('chat.postMessage'), 'nothing started before the agent submits').to.deep.equal([]);
    await h.send(verifyModalSubmission(view.private_metadata, 'alex@example.com', CUSTOMER_USER));
    await h.slack.waitFor('chat.postMessage');
    const [started] = await h.slack.waitFor('response_url');
    expect(String(started?.args.text), 'answered through the command’s response URL').to.contain(
      'Verification of Alex Morgan started',
    );
    await h.send(slashCommand('jan@example.nl', { channel_id: INTERNAL_CHANNEL }, h.slack.responseUrl()));
    await h.slack.waitFor('chat.postMessage', 2);
    const [jan, alex] = await h.t.app.verification.recent({ id: AGENT_USER, channel: 'slack', workspaceId: TEAM });
    expect(alex && customerConversation(alex)).to.deep.equal({ teamId: TEAM, channel: SHARED_CHANNEL });
    expect(jan && customerConversation(jan)).to.equal(undefined);
  });
});
