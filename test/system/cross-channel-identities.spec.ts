import { expect } from 'chai';
import { ACTIONS, PIN_INPUT, VIEWS } from '../../bots/slack/blocks.ts';
import { issuePin } from '../support/app.ts';
import { request } from '../support/http.ts';
import { useRedisServer } from '../support/redis-fixture.ts';
import { AGENT_USER, buttonClick, slashCommand, TEAM, viewSubmission } from '../support/slack.ts';
import { type SlackHarness, startSlackApp } from '../support/slack-app.ts';
import { BotConnectorDouble, cardAction, taskFetch, taskSubmit } from '../support/teams.ts';

/**
 * Teams without authentication (local use) takes `from.id` as sent. Identities are channel + workspace +
 * user, so an activity carrying a Slack user's id is a Teams user who happens to have that id: nobody.
 */
describe('identities across channels', () => {
  const redis = useRedisServer();
  let h: SlackHarness;
  let connector: BotConnectorDouble;
  let serviceUrl: string;
  beforeEach(async () => {
    await redis().flush();
    h = await startSlackApp({ redisUrl: redis().url });
    connector = new BotConnectorDouble();
    serviceUrl = await connector.start();
  });
  afterEach(async () => {
    await h.close();
    await connector.stop();
  });
  const teams = (activity: unknown) =>
    request(`${h.t.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity),
    });

  it('lets a Teams activity with a Slack agent’s id act on, read or revoke nothing of Slack’s', async () => {
    const pin = await issuePin(h.t.url);
    await h.send(slashCommand('alex@example.com', {}, h.slack.responseUrl()));
    await h.slack.waitFor('chat.postMessage');
    const [session] = await h.t.app.verification.recent({ channel: 'slack', workspaceId: TEAM, id: AGENT_USER }, 1);
    const id = session?.id ?? '';
    // Someone in Teams posing as the Slack agent: the same id, in from.id and in from.aadObjectId.
    const impostor = { from: { id: AGENT_USER, name: 'Robin Agent', aadObjectId: AGENT_USER }, tenantId: TEAM };
    const choose = await teams(cardAction(serviceUrl, 'sv.choose_pin', { sessionId: id }, impostor));
    expect(JSON.stringify(choose.json)).to.contain('Only the agent who started this verification');
    expect((await h.t.app.verification.get(id)).state).to.equal('started');

    await h.send(buttonClick(ACTIONS.choosePin, id));
    const asCustomer = await teams(taskFetch(serviceUrl, { dialog: 'sv.customer_pin', sessionId: id }, impostor));
    expect((asCustomer.json as { task: { type: string } }).task.type).to.equal('message');
    const guess = await teams(taskSubmit(serviceUrl, { dialog: 'sv.customer_pin', sessionId: id, pin }, impostor));
    expect((guess.json as { task: { type: string } }).task.type).to.equal('message');
    expect(await h.t.app.verification.get(id)).to.include({ state: 'awaiting_pin', pinTriesLeft: 3 });

    await h.send(viewSubmission(VIEWS.agentPin, id, { block: PIN_INPUT.block, action: PIN_INPUT.action, value: pin }));
    expect((await h.t.app.verification.get(id)).state).to.equal('verified');
    const peek = await teams(cardAction(serviceUrl, 'sv.refresh', { sessionId: id }, impostor));
    expect(JSON.stringify(peek.json), 'no serial for the impostor').to.not.contain('DMPXK1ALEX01');
    const revoke = await teams(cardAction(serviceUrl, 'sv.revoke', { sessionId: id }, impostor));
    expect(JSON.stringify(revoke.json)).to.contain('Only the agent who started this verification');
    expect((await h.t.app.verification.get(id)).state).to.equal('verified');
    expect(
      await h.t.app.verification.recent({ channel: 'teams', workspaceId: TEAM, id: AGENT_USER }),
      'nothing of Slack’s listed for the Teams identity',
    ).to.deep.equal([]);
  });
});
