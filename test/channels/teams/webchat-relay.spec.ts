import { expect } from 'chai';
import { assertValidCard, cardText } from '../../support/adaptive-cards.ts';
import { issuePin } from '../../support/app.ts';
import { outcomeImitations, sayInConversations } from '../../support/imitations.ts';
import { useRedisServer } from '../../support/redis-fixture.ts';
import { AGENT, message, OTHER_AGENT, TENANT, teamsUser } from '../../support/teams.ts';
import { startTeamsApp, type TeamsHarness } from '../../support/teams-app.ts';
import { ChatClient, until } from '../../support/webchat.ts';

const CHANNEL = '19:support-webchat@thread.tacv2';
type Json = Record<string, unknown>;

describe('Web chat relayed to a Teams channel', () => {
  const redis = useRedisServer();
  let h: TeamsHarness;
  let customer: ChatClient;
  beforeEach(async () => {
    await redis().flush();
    h = await startTeamsApp({
      redisUrl: redis().url,
      configure: (config, serviceUrl) => {
        config.webchat.teamsChannel = { serviceUrl, channelId: CHANNEL, tenantId: TENANT };
      },
    });
    customer = new ChatClient(h.t.url);
    await customer.open({ locale: 'en' });
  });
  afterEach(async () => h.close());

  const thread = () => `${CHANNEL};messageid=act-1`;
  const inThread = () => h.connector.calls().filter((c) => c.conversationId === thread() && c.method === 'POST');
  const agentSays = (text: string) =>
    h.send(
      message(h.serviceUrl, text, {
        conversation: 'channel',
        conversationId: thread(),
        mention: text.startsWith('verify'),
      }),
    );

  it('starts one thread in the channel and posts each customer line there once, in order, redacted', async () => {
    await customer.say('Hi, I am locked out. My email is alex@example.com');
    await customer.say('my password is Hunter2!xyz');
    await until(() => inThread().length === 2, 'two lines in the thread');
    expect(h.connector.created()).to.have.length(1);
    expect(JSON.stringify(h.connector.created()[0])).to.contain(CHANNEL).and.contain('New web chat conversation');
    const texts = inThread().map((c) => cardText(c.activity.attachments));
    expect(texts[0]).to.contain('My email is alex@example.com');
    expect(texts[1]).to.contain('[hidden]').and.not.contain('Hunter2');
  });

  it('posts a customer line that imitates the bot’s outcomes in a TextRun, never Markdown, under the bot’s label', async () => {
    const lines = outcomeImitations();
    const stored = await sayInConversations(h.t.url, lines);
    const relayed = () => h.connector.calls().filter((c) => c.method === 'POST' && c.activity.summary === 'Customer');
    await until(() => relayed().length === lines.length, 'every line relayed', 10_000);
    const texts = relayed().map((c) => JSON.stringify(c.activity.attachments));
    expect(stored.every((line) => texts.some((t) => t.includes(JSON.stringify(line).slice(1, -1))))).to.equal(true);
    for (const call of relayed()) {
      expect(call.activity.text, 'no text Teams would format').to.equal(undefined);
      const attachments = call.activity.attachments as Array<{ contentType: string; content: Json }>;
      expect(attachments.map((a) => a.contentType)).to.deep.equal(['application/vnd.microsoft.card.adaptive']);
      const card = attachments[0]?.content as { body: Json[] };
      assertValidCard(card);
      const [label, quote] = card.body as [Json, { items: Json[] }];
      expect(label).to.deep.include({
        type: 'TextBlock',
        text: 'The customer wrote in the web chat (their words, shown as typed):',
      });
      const [run] = quote.items as [{ type: string; inlines: Array<{ type: string; text: string }> }];
      expect(run.type).to.equal('RichTextBlock');
      expect(run.inlines).to.have.length(1);
      expect(run.inlines[0]?.type).to.equal('TextRun');
      expect(stored).to.include(run.inlines[0]?.text);
    }
  });

  it('sends agents’ replies in the thread to the customer, refuses one asking for a secret, and verifies the chatting customer', async () => {
    await customer.say('Hello, can you help me?');
    await until(() => inThread().length === 1, 'the thread');
    await agentSays('Hi! I am Robin, happy to help.');
    await until(async () => (await customer.messages()).some((m) => m.from === 'agent'), 'the agent’s line');
    expect((await customer.messages()).find((m) => m.from === 'agent')).to.deep.include({ author: 'Robin Agent' });

    await agentSays('What is your password?');
    await until(
      () => h.connector.calls().some((c) => String(c.activity.text ?? '').includes('Not sent')),
      'the refusal',
    );
    expect((await customer.messages()).filter((m) => m.from === 'agent')).to.have.length(1);

    const pin = await issuePin(h.t.url);
    await agentSays('verify alex@example.com');
    await until(() => h.connector.cards().length > 0, 'the agent’s card');
    const [session] = await h.t.app.verification.recent(teamsUser(AGENT), 1);
    expect(session?.refs?.webchat).to.equal(customer.conversationId);
    await h.t.app.verification.choosePin(session?.id ?? '', { kind: 'agent', who: teamsUser(AGENT) });
    await until(async () => (await customer.read()).json.verification !== undefined, 'the PIN field');
    expect((await customer.pin(pin)).json).to.deep.include({ result: 'accepted' });
    expect((await h.t.app.verification.get(session?.id ?? '')).state).to.equal('verified');
    // Only the agents' shared card is in the thread: no customer card (the customer is in the web chat).
    const cards = h.connector
      .cards()
      .map(({ card }) => cardText(card))
      .filter((text) => !text.includes('The customer wrote in the web chat'));
    expect(cards.length).to.be.greaterThan(0);
    expect(cards.every((text) => text.includes('Verification by'))).to.equal(true);
    expect(JSON.stringify(h.connector.calls())).not.to.contain(pin);
  });

  it('takes “@Support Verify verify …” typed as text (no mention entity) as the command, never as a line for the customer', async () => {
    await customer.say('Hello, can you help me?');
    await until(() => inThread().length === 1, 'the thread');
    // As the thread's hint spells it, typed in full on top of the real mention.
    await h.send(
      message(h.serviceUrl, '@Support Verify verify alex@example.com', {
        conversation: 'channel',
        conversationId: thread(),
        mention: true,
      }),
    );
    await until(() => h.connector.cards().length > 0, 'the agent’s card');
    const [session] = await h.t.app.verification.recent(teamsUser(AGENT), 1);
    expect(session?.refs?.webchat).to.equal(customer.conversationId);
    expect((await customer.messages()).filter((m) => m.from === 'agent')).to.deep.equal([]);
  });

  it('never lets a second agent take over the customer’s verification from the thread', async () => {
    await customer.say('Hi, I am locked out. My email is alex@example.com');
    await until(() => inThread().length === 1, 'the thread');
    await agentSays('verify alex@example.com');
    await until(async () => (await h.t.app.chat.get(customer.conversationId)).sessionId !== undefined, 'the link');
    const first = (await h.t.app.chat.get(customer.conversationId)).sessionId;
    expect(first).to.be.a('string');
    await h.send(
      message(h.serviceUrl, 'verify alex@example.com', {
        conversation: 'channel',
        conversationId: thread(),
        mention: true,
        from: OTHER_AGENT,
      }),
    );
    await until(
      () => h.connector.calls().some((c) => String(c.activity.text ?? '').includes('Robin Agent is already verifying')),
      'the second agent told who is verifying',
    );
    expect((await h.t.app.chat.get(customer.conversationId)).sessionId, 'the link is unchanged').to.equal(first);
    expect(await h.t.app.verification.recent(teamsUser(OTHER_AGENT))).to.deep.equal([]);
  });
});
