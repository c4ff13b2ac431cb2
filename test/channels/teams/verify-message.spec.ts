import { expect } from 'chai';
import { isDevelopmentServiceUrl } from '../../../bots/teams/teams-front-door.ts';
import { assertValidCard, cardText } from '../../support/adaptive-cards.ts';
import { useRedisServer } from '../../support/redis-fixture.ts';
import {
  AGENT,
  botAdded,
  CUSTOMER,
  cardAction,
  GROUP_CHAT,
  message,
  PERSONAL,
  teamsUser,
} from '../../support/teams.ts';
import { startTeamsApp, type TeamsHarness } from '../../support/teams-app.ts';

describe('Teams: verify from a chat', () => {
  const redis = useRedisServer();
  let h: TeamsHarness;
  beforeEach(async () => {
    await redis().flush();
    h = await startTeamsApp({ redisUrl: redis().url });
  });
  afterEach(async () => h.close());

  const textsSent = () => h.connector.calls().map((c) => String(c.activity.text ?? ''));

  it('posts the agent’s card in a personal chat, valid Adaptive Card 1.5 with a refresh for the agent', async () => {
    const answer = await h.send(message(h.serviceUrl, 'verify alex@example.com'));
    expect(answer.status).to.equal(200);
    const [{ call, card } = { call: undefined, card: {} }] = (
      await h.connector.waitFor((calls) => calls.some((c) => c.activity.attachments), 'the card')
    ).length
      ? h.connector.cards()
      : [];
    expect(call?.conversationId).to.equal(PERSONAL);
    assertValidCard(card);
    expect(cardText(card))
      .to.contain('Verify Alex Morgan')
      .and.contain('Use support PIN')
      .and.contain('Prompt their device');
    expect((card as { refresh?: unknown }).refresh).to.deep.include({ userIds: [AGENT.id] });
  });

  it('answers help for anything else, in Dutch for a Dutch client', async () => {
    await h.send(message(h.serviceUrl, 'hallo', { locale: 'nl-NL' }));
    await h.connector.waitFor((calls) => calls.length > 0, 'a reply');
    expect(textsSent()[0]).to.contain('Typ verify gevolgd door');
  });

  it('says so for an unknown customer, and for a missing one', async () => {
    await h.send(message(h.serviceUrl, 'verify nobody@example.com'));
    await h.send(message(h.serviceUrl, 'verify'));
    await h.connector.waitFor((calls) => calls.length >= 2, 'two replies');
    expect(textsSent()[0]).to.contain('No customer matches');
    expect(textsSent()[1]).to.contain('verify alex@example.com');
  });

  it('starts once however often Teams redelivers the same activity', async () => {
    const activity = message(h.serviceUrl, 'verify alex@example.com');
    await h.send(activity);
    await h.send(activity);
    await h.connector.waitFor((calls) => calls.length > 0, 'the card');
    await new Promise((r) => setTimeout(r, 300));
    const sessions = await h.t.app.verification.recent(teamsUser(AGENT), 5);
    expect(sessions).to.have.length(1);
    expect(h.connector.cards()).to.have.length(1);
  });

  it('in a group chat shows everyone only who is verifying; the agent’s refresh gets the details, others’ do not', async () => {
    await h.send(message(h.serviceUrl, 'verify alex@example.com', { conversation: 'groupChat', mention: true }));
    await h.connector.waitFor((calls) => calls.some((c) => c.activity.attachments), 'the shared card');
    const [{ call, card } = { call: undefined, card: {} }] = h.connector.cards();
    expect(call?.conversationId).to.equal(GROUP_CHAT);
    assertValidCard(card);
    expect(cardText(card)).to.contain('Verification by Robin Agent').and.not.contain('Alex Morgan');
    const [session] = await h.t.app.verification.recent(teamsUser(AGENT), 1);

    const mine = await h.send(
      cardAction(h.serviceUrl, 'sv.refresh', { sessionId: session?.id }, { conversation: 'groupChat' }),
    );
    expect(mine.json).to.include({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    assertValidCard(mine.json.value);
    expect(cardText(mine.json.value)).to.contain('Verify Alex Morgan');

    const theirs = await h.send(
      cardAction(h.serviceUrl, 'sv.refresh', { sessionId: session?.id }, { conversation: 'groupChat', from: CUSTOMER }),
    );
    expect(cardText(theirs.json.value)).to.contain('Verification by Robin Agent').and.not.contain('Alex Morgan');
  });

  it('says hello with the usage when it is added to a conversation', async () => {
    await h.send(botAdded(h.serviceUrl));
    await h.connector.waitFor((calls) => calls.length > 0, 'a welcome');
    expect(textsSent()[0]).to.contain('verify alex@example.com');
  });

  it('refuses malformed activities with 400 and changes nothing', async () => {
    const bad = [
      '{"type": "message"',
      JSON.stringify({ type: 'message', text: 'verify alex@example.com' }),
      JSON.stringify({ ...message(h.serviceUrl, 'verify alex@example.com'), from: 'robin' }),
      JSON.stringify({ ...message(h.serviceUrl, 'verify alex@example.com'), serviceUrl: 'javascript:alert(1)' }),
      JSON.stringify({ ...message(h.serviceUrl, 'verify alex@example.com'), type: 'nonsense' }),
    ];
    for (const body of bad) {
      const answer = await h.send(body);
      expect(answer.status, body).to.equal(400);
    }
    const form = await h.send('verify', { 'content-type': 'text/plain' });
    expect(form.status).to.equal(415);
    await new Promise((r) => setTimeout(r, 200));
    expect(h.connector.calls()).to.deep.equal([]);
    expect(await h.t.app.verification.recent(teamsUser(AGENT), 5)).to.deep.equal([]);
  });

  it('unauthenticated (development), answers only a loopback or Bot Framework serviceUrl', async () => {
    for (const serviceUrl of [
      'https://attacker.example/',
      'http://169.254.169.254/',
      'https://smba.trafficmanager.net.evil.io/',
    ]) {
      const answer = await h.send(JSON.stringify(message(serviceUrl, 'verify alex@example.com')));
      expect(answer.status, serviceUrl).to.equal(400);
      expect(answer.json.error?.code).to.equal('service_url_not_allowed');
    }
    expect(await h.t.app.verification.recent(teamsUser(AGENT), 5)).to.deep.equal([]);
    expect(isDevelopmentServiceUrl('https://smba.trafficmanager.net/emea/')).to.equal(true);
    expect(isDevelopmentServiceUrl('https://europe.webchat.botframework.com/')).to.equal(true);
    expect(isDevelopmentServiceUrl('http://smba.trafficmanager.net/emea/'), 'not over plain http').to.equal(false);
    expect(isDevelopmentServiceUrl('http://localhost:3978/')).to.equal(true);
    expect(isDevelopmentServiceUrl('http://[::1]:3978/')).to.equal(true);
    expect(isDevelopmentServiceUrl('http://localhost.evil.io/')).to.equal(false);
    expect(isDevelopmentServiceUrl('not a url')).to.equal(false);
    // The Bot Connector double of these tests is on loopback, so the usual flow works.
    expect((await h.send(message(h.serviceUrl, 'verify alex@example.com'))).status).to.equal(200);
  });

  it('says in the log at info why an activity was refused: where its schema failed first, never a value', async () => {
    const bad = [
      { ...message(h.serviceUrl, 'verify alex@example.com'), from: 'VALUE-ONE-4711' },
      { ...message(h.serviceUrl, 'verify alex@example.com'), serviceUrl: 'javascript:VALUE-TWO-4712' },
      { ...message(h.serviceUrl, 'verify alex@example.com'), type: 'VALUE-THREE-4713' },
    ];
    for (const body of bad) expect((await h.send(JSON.stringify(body))).status).to.equal(400);
    const refused = h.t.logs
      .flatMap((chunk) => chunk.split('\n'))
      .filter((line) => line.includes('teams: activity refused'))
      .map((line) => JSON.parse(line) as { level: string; schema: Record<string, string> });
    expect(refused.map((line) => [line.level, line.schema])).to.deep.equal([
      ['info', { schemaPath: '#/properties/from/type', instancePath: '/from' }],
      ['info', { schemaPath: '#/properties/serviceUrl/pattern', instancePath: '/serviceUrl' }],
      ['info', { schemaPath: '#/properties/type/enum', instancePath: '/type' }],
    ]);
    expect(h.t.logs.join('')).not.to.match(/VALUE-(ONE|TWO|THREE)/u);
  });
});
