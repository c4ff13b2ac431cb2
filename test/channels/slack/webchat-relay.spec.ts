import { expect } from 'chai';
import { ACTIONS } from '../../../bots/slack/blocks.ts';
import { VERIFY_MODAL, VERIFY_QUERY } from '../../../bots/slack/verify-modal.ts';
import { WEBCHAT_VERIFY_ACTION } from '../../../bots/slack/webchat-relay.ts';
import type { ChatMessage } from '../../../core/chat.ts';
import { issuePin } from '../../support/app.ts';
import { assertValidBlocks } from '../../support/block-kit.ts';
import { outcomeImitations, sayInConversations } from '../../support/imitations.ts';
import { useRedisServer } from '../../support/redis-fixture.ts';
import {
  AGENT_USER,
  buttonClick,
  COLLEAGUE_USER,
  eventCallback,
  type SlackCall,
  shownText,
  TEAM,
  viewSubmission,
} from '../../support/slack.ts';
import { type SlackHarness, startSlackApp } from '../../support/slack-app.ts';
import { ChatClient, until } from '../../support/webchat.ts';

const RELAY = 'C0WEBCHAT';
type Json = Record<string, unknown>;

describe('Web chat relayed to a Slack channel', () => {
  const redis = useRedisServer();
  let h: SlackHarness;
  let customer: ChatClient;
  beforeEach(async () => {
    await redis().flush();
    h = await startSlackApp({
      redisUrl: redis().url,
      mutate: (config) => {
        config.webchat.slackChannel = RELAY;
      },
    });
    customer = new ChatClient(h.t.url);
    await customer.open({ locale: 'en' });
  });
  afterEach(async () => h.close());

  const inRelay = () => h.slack.calls('chat.postMessage').filter((c) => c.args.channel === RELAY);
  const replies = () => inRelay().filter((c) => c.args.thread_ts);
  const rootTs = () => String(replies()[0]?.args.thread_ts ?? '');
  const agentReplies = (text: string, user = AGENT_USER) =>
    h.send(
      eventCallback({
        type: 'message',
        channel: RELAY,
        channel_type: 'channel',
        user,
        text,
        ts: `${Date.now() / 1000}`,
        thread_ts: rootTs(),
        event_ts: `${Date.now() / 1000}`,
      }),
      { json: true },
    );

  it('opens one thread per conversation with a verify button, and relays each customer line once, in order, redacted', async () => {
    await customer.say('Hi, I am locked out. My email is alex@example.com');
    await customer.say('my password is Hunter2!xyz');
    await customer.say('can you help?');
    await until(() => replies().length === 3, 'three replies');
    const roots = inRelay().filter((c) => !c.args.thread_ts);
    expect(roots).to.have.length(1);
    expect(JSON.stringify(roots[0]?.args.blocks))
      .to.contain(WEBCHAT_VERIFY_ACTION)
      .and.contain(customer.conversationId);
    const texts = replies().map((c) => String(c.args.text));
    expect(texts[0]).to.contain('My email is alex@example.com');
    expect(texts[1]).to.contain('[hidden]').and.not.contain('Hunter2');
    expect(texts[2]).to.contain('can you help?');
    expect(new Set(replies().map((c) => c.args.thread_ts)).size).to.equal(1);
  });

  it('writes the thread’s notes in the agents’ language (webchat.agentLocale), the customer’s words as typed', async () => {
    await h.close();
    h = await startSlackApp({
      redisUrl: redis().url,
      mutate: (config) => {
        config.webchat.slackChannel = RELAY;
        config.webchat.agentLocale = 'nl';
      },
    });
    customer = new ChatClient(h.t.url);
    await customer.open({ locale: 'en' });
    await customer.say('Hello, I need help');
    await until(() => replies().length === 1, 'the thread');
    const root = shownText(inRelay()[0] as SlackCall);
    expect(root).to.contain('Nieuw webchatgesprek (taal van de klant: en)').and.contain('Verifieer deze klant');
    const line = shownText(replies()[0] as SlackCall);
    expect(line).to.contain('De klant schreef in de webchat').and.contain('Hello, I need help');
  });

  it('posts a customer line that imitates the bot’s outcomes as the customer’s words only, literally', async () => {
    const lines = outcomeImitations();
    const stored = await sayInConversations(h.t.url, lines);
    expect(stored).to.have.length(lines.length);
    await until(() => replies().length === lines.length, 'every line relayed', 10_000);
    for (const call of replies()) {
      const blocks = call.args.blocks as Array<{ type: string; text?: Json; elements?: Json[] }>;
      assertValidBlocks(blocks);
      expect(String(call.args.mrkdwn), 'the notification text is not formatted').to.equal('false');
      const [label, ...words] = blocks;
      expect(label?.type).to.equal('context');
      expect(JSON.stringify(label)).to.contain('The customer wrote in the web chat');
      expect(words.map((b) => b.type)).to.deep.equal(['section']);
      expect(words[0]?.text).to.deep.include({ type: 'plain_text', emoji: false });
      expect(stored).to.include((words[0]?.text as { text?: string } | undefined)?.text);
      // Nothing the customer typed reaches a field Slack formats.
      expect(JSON.stringify(label)).not.to.contain('Alex Morgan');
    }
  });

  it('sends the agents’ thread replies to the customer, and refuses one that asks for a secret', async () => {
    await customer.say('Hello?');
    await until(() => replies().length === 1, 'the thread');
    await agentReplies('Hi! I am Robin, how can I help?');
    await until(async () => (await customer.messages()).some((m) => m.from === 'agent'), 'the agent’s line');
    const line = (await customer.messages()).find((m) => m.from === 'agent') as ChatMessage;
    expect(line).to.deep.include({ text: 'Hi! I am Robin, how can I help?', author: 'Robin Agent' });

    await agentReplies('Please send me your password so I can check');
    await h.slack.waitFor('chat.postEphemeral');
    expect(String(h.slack.calls('chat.postEphemeral')[0]?.args.text)).to.contain('Not sent');
    expect((await customer.messages()).filter((m) => m.from === 'agent')).to.have.length(1);
  });

  for (const reply of ['verify alex@example.com', '<@U0SUPPORTBOT> verify alex@example.com']) {
    it(`verifies the chatting customer from a reply “${reply}”, which never reaches the customer`, async () => {
      await customer.say('Hello?');
      await until(() => replies().length === 1, 'the thread');
      await agentReplies(reply);
      await until(async () => (await customer.read()).json.verification !== undefined, 'the verification');
      const [session] = await h.t.app.verification.recent({ id: AGENT_USER, channel: 'slack', workspaceId: TEAM }, 1);
      expect(session?.refs?.webchat).to.equal(customer.conversationId);
      expect((await customer.messages()).filter((m) => m.from === 'agent')).to.deep.equal([]);
    });
  }

  it('verifies the chatting customer from the thread: pre-filled modal, card for the agent, PIN field for the customer', async () => {
    await customer.say('Hi, I am locked out. My email is alex@example.com');
    await until(() => replies().length === 1, 'the thread');
    await h.send(buttonClick(WEBCHAT_VERIFY_ACTION, customer.conversationId, { channel: RELAY }));
    const [modal] = await h.slack.waitFor('views.open');
    expect(JSON.stringify(modal?.args.view)).to.contain('alex@example.com');
    const metadata = String((modal?.args.view as { private_metadata?: string } | undefined)?.private_metadata);
    expect(JSON.parse(metadata)).to.deep.include({ conversationId: customer.conversationId });

    await h.send(
      viewSubmission(VERIFY_MODAL, metadata, {
        block: VERIFY_QUERY.block,
        action: VERIFY_QUERY.action,
        value: 'alex@example.com',
      }),
    );
    await until(
      () => h.slack.calls('chat.postMessage').some((c) => String(c.args.channel) === AGENT_USER),
      'the agent’s card',
    );
    const [session] = await h.t.app.verification.recent({ id: AGENT_USER, channel: 'slack', workspaceId: TEAM }, 1);
    expect(session?.refs).to.deep.equal({ webchat: customer.conversationId });
    // A modal's submission has no response URL: the agent hears it privately in the thread's channel.
    const [started] = await h.slack.waitFor('chat.postEphemeral');
    expect(started?.args).to.deep.include({ channel: RELAY, user: AGENT_USER });
    expect(String(started?.args.text)).to.contain('Verification of Alex Morgan started');

    const pin = await issuePin(h.t.url);
    await h.send(buttonClick(ACTIONS.choosePin, session?.id ?? ''));
    await until(async () => (await customer.read()).json.verification !== undefined, 'the PIN field');
    expect((await customer.read()).json.verification).to.deep.include({ state: 'awaiting_pin', triesLeft: 3 });
    expect((await customer.pin(pin)).json).to.deep.include({ result: 'accepted' });
    await until(
      () =>
        h.slack
          .calls('chat.update')
          .some((c) => String(c.args.channel).startsWith('D') && shownText(c as SlackCall).includes('is verified')),
      'the verified card',
    );
    const card = h.slack
      .calls('chat.update')
      .filter((c) => String(c.args.channel).startsWith('D'))
      .at(-1) as SlackCall;
    expect(shownText(card)).to.contain('DMPXK1ALEX01');
    expect(JSON.stringify(replies())).not.to.contain(pin);
  });

  it('never lets a second agent take over a running verification: told who, offered nothing, link unchanged', async () => {
    await customer.say('Hi, I am locked out. My email is alex@example.com');
    await until(() => replies().length === 1, 'the thread');
    await h.send(buttonClick(WEBCHAT_VERIFY_ACTION, customer.conversationId, { channel: RELAY }));
    const [modal] = await h.slack.waitFor('views.open');
    const metadata = String((modal?.args.view as { private_metadata?: string } | undefined)?.private_metadata);
    const query = { block: VERIFY_QUERY.block, action: VERIFY_QUERY.action, value: 'alex@example.com' };
    await h.send(viewSubmission(VERIFY_MODAL, metadata, query));
    await until(async () => (await h.t.app.chat.get(customer.conversationId)).sessionId !== undefined, 'the link');
    const first = (await h.t.app.chat.get(customer.conversationId)).sessionId;

    // The second agent presses the thread's button: told who is verifying, no modal.
    await h.send(
      buttonClick(WEBCHAT_VERIFY_ACTION, customer.conversationId, {
        channel: RELAY,
        user: COLLEAGUE_USER,
        responseUrl: h.slack.responseUrl('second'),
      }),
    );
    const [busy] = await h.slack.responses('second');
    expect(String(busy?.text)).to.contain('Robin Agent is already verifying the customer in this conversation');
    expect(h.slack.calls('views.open')).to.have.length(1);
    // A modal opened before the first one started, submitted now, starts nothing either.
    await h.send(viewSubmission(VERIFY_MODAL, metadata, query, { user: COLLEAGUE_USER }));
    await until(
      () => h.slack.calls('chat.postEphemeral').some((c) => c.args.user === COLLEAGUE_USER),
      'the second agent told',
    );
    expect(
      String(h.slack.calls('chat.postEphemeral').find((c) => c.args.user === COLLEAGUE_USER)?.args.text),
    ).to.contain('is already verifying');
    expect((await h.t.app.chat.get(customer.conversationId)).sessionId, 'the link is the first agent’s').to.equal(
      first,
    );
    expect(
      await h.t.app.verification.recent({ id: COLLEAGUE_USER, channel: 'slack', workspaceId: TEAM }),
    ).to.deep.equal([]);

    // Once it ends, the next agent may start.
    await h.send(buttonClick(ACTIONS.cancel, first ?? ''));
    await until(async () => (await h.t.app.verification.get(first ?? '')).state === 'cancelled', 'cancelled');
    await h.send(buttonClick(WEBCHAT_VERIFY_ACTION, customer.conversationId, { channel: RELAY, user: COLLEAGUE_USER }));
    await h.slack.waitFor('views.open', 2);
  });
});
