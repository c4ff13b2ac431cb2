import { expect } from 'chai';
import { ACTIONS, PIN_INPUT, SHORTCUT, VIEWS } from '../../../bots/slack/blocks.ts';
import { customerConversation } from '../../../bots/slack/message-refs.ts';
import { VERIFY_CUSTOMER } from '../../../bots/slack/verify-modal.ts';
import type { Session } from '../../../core/session.ts';
import { issuePin } from '../../support/app.ts';
import { assertValidBlocks, assertValidView } from '../../support/block-kit.ts';
import { useRedisServer } from '../../support/redis-fixture.ts';
import {
  AGENT_USER,
  buttonClick,
  CUSTOMER_COLLEAGUE,
  CUSTOMER_USER,
  channelMessage,
  eventCallback,
  messageShortcut,
  SHARED_CHANNEL,
  type SlackCall,
  shownText,
  slashCommand,
  TEAM,
  verifyModalSubmission,
  viewSubmission,
} from '../../support/slack.ts';
import { type SlackHarness, startSlackApp } from '../../support/slack-app.ts';

describe('Slack: the customer in Slack Connect, App Home and the shortcut', () => {
  const redis = useRedisServer();
  let h: SlackHarness;
  beforeEach(async () => {
    await redis().flush();
    h = await startSlackApp({ redisUrl: redis().url });
  });
  afterEach(async () => h.close());

  /** `/verify` in the Slack Connect channel opens the modal, where the agent names the customer and starts. */
  async function startShared(named: string | null = CUSTOMER_USER): Promise<Session> {
    await h.send(slashCommand('alex@example.com', { channel_id: SHARED_CHANNEL }, h.slack.responseUrl()));
    const [open] = await h.slack.waitFor('views.open');
    const view = open?.args.view as { private_metadata: string };
    const answer = await h.send(verifyModalSubmission(view.private_metadata, 'alex@example.com', named));
    expect(answer.text).to.equal('');
    await h.slack.waitFor('chat.postMessage');
    const [session] = await h.t.app.verification.recent({ id: AGENT_USER, channel: 'slack', workspaceId: TEAM }, 1);
    if (!session) throw new Error('no session');
    return session;
  }
  const inChannel = (method: string) => h.slack.calls(method).filter((c) => c.args.channel === SHARED_CHANNEL);
  async function customerMessage(expected: string): Promise<SlackCall> {
    const deadline = Date.now() + 5000;
    for (;;) {
      const last = [...inChannel('chat.postMessage'), ...inChannel('chat.update')].at(-1);
      if (last && shownText(last).includes(expected)) {
        assertValidBlocks(last.args.blocks);
        return last;
      }
      if (Date.now() > deadline)
        throw new Error(`customer never saw ${expected}; last: ${last ? shownText(last) : 'none'}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  it('asks the customer in the channel to type the PIN privately, in a modal, and shows the receipt', async () => {
    const pin = await issuePin(h.t.url);
    const session = await startShared();
    await h.send(buttonClick(ACTIONS.choosePin, session.id));
    const prompt = shownText(await customerMessage('Enter support PIN'));
    expect(prompt).to.contain('We will never ask for your password');

    await h.send(buttonClick(ACTIONS.customerEnterPin, session.id, { user: CUSTOMER_USER, channel: SHARED_CHANNEL }));
    const modal = (await h.slack.waitFor('views.open', 2)).at(-1);
    assertValidView(modal?.args.view);
    expect(shownText(modal as SlackCall)).to.contain('Your 4-digit support PIN');

    const wrong = await h.send(
      viewSubmission(
        VIEWS.customerPin,
        session.id,
        { block: PIN_INPUT.block, action: PIN_INPUT.action, value: pin === '1357' ? '2468' : '1357' },
        { user: CUSTOMER_USER },
      ),
    );
    expect(JSON.stringify(wrong.json)).to.contain('That PIN was not accepted. Tries left: 2');
    const right = await h.send(
      viewSubmission(
        VIEWS.customerPin,
        session.id,
        { block: PIN_INPUT.block, action: PIN_INPUT.action, value: pin },
        { user: CUSTOMER_USER },
      ),
    );
    expect(right.text).to.equal('');
    const receipt = shownText(await customerMessage('you are verified'));
    expect(receipt).to.contain('Robin Agent can see your devices’ serial numbers');
    expect(receipt, 'the channel never shows serials').to.not.contain('DMPXK1ALEX01');
    expect(
      h.slack.calls('chat.postMessage').filter((c) => c.args.channel === SHARED_CHANNEL),
      'one customer message, updated',
    ).to.have.length(1);
  });

  it('shows the customer the number to pick for a device prompt', async () => {
    const session = await startShared();
    await h.send(buttonClick(ACTIONS.chooseDevice, session.id));
    const shown = shownText(await customerMessage('tap Confirm'));
    const state = await h.t.app.verification.get(session.id);
    expect(shown).to.contain(`Pick the number ${state.prompt?.matchNumber} there`);
  });

  it('warns whoever types a secret in the channel, privately, and audits it by kind only', async () => {
    await startShared();
    await h.send(
      eventCallback({
        type: 'message',
        channel: SHARED_CHANNEL,
        channel_type: 'channel',
        user: CUSTOMER_USER,
        text: 'my password is Hunter2!',
        ts: '1700000001.000100',
        event_ts: '1700000001.000100',
      }),
      { json: true },
    );
    const [warning] = await h.slack.waitFor('chat.postEphemeral');
    expect(warning?.args).to.deep.include({ channel: SHARED_CHANNEL, user: CUSTOMER_USER });
    expect(String(warning?.args.text)).to.contain('please delete that message');
    const audit = (await h.t.app.auditRecord.read()).filter((e) => e.type === 'secret_redacted');
    expect(audit).to.have.length(1);
    expect(audit[0]?.findings).to.deep.equal(['password']);
    expect(JSON.stringify(await h.t.app.auditRecord.read())).to.not.contain('Hunter2');
  });

  it('takes a PIN typed in the channel while one is expected, from the customer only', async () => {
    const pin = await issuePin(h.t.url);
    const session = await startShared();
    await h.send(buttonClick(ACTIONS.choosePin, session.id));
    await customerMessage('Enter support PIN');
    const typed = (user: string, text: string) => h.send(channelMessage(user, text), { json: true });
    await typed(AGENT_USER, `pin ${pin}`);
    await new Promise((r) => setTimeout(r, 200));
    expect((await h.t.app.verification.get(session.id)).state, 'the agent typing it does not count').to.equal(
      'awaiting_pin',
    );
    await typed(CUSTOMER_USER, `the pin is ${pin}`);
    await customerMessage('you are verified');
  });

  it('ignores a retried event', async () => {
    await startShared();
    const body = eventCallback({
      type: 'message',
      channel: SHARED_CHANNEL,
      channel_type: 'channel',
      user: CUSTOMER_USER,
      text: 'code 482913',
      ts: '1700000002.000100',
      event_ts: '1',
    });
    await h.send(body, { json: true });
    await h.slack.waitFor('chat.postEphemeral');
    await h.send(body, { json: true, retryNum: 1 });
    await new Promise((r) => setTimeout(r, 300));
    expect(h.slack.calls('chat.postEphemeral')).to.have.length(1);
  });

  it('ignores bot messages and edits', async () => {
    await startShared();
    await h.send(
      eventCallback({
        type: 'message',
        subtype: 'bot_message',
        bot_id: 'B1',
        channel: SHARED_CHANNEL,
        text: 'password: x1y2z3!',
        ts: '1',
        event_ts: '1',
      }),
      { json: true },
    );
    await h.send(
      eventCallback({ type: 'message', subtype: 'message_changed', channel: SHARED_CHANNEL, ts: '2', event_ts: '2' }),
      { json: true },
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(h.slack.calls('chat.postEphemeral')).to.deep.equal([]);
  });

  it('shows App Home with active access (revocable there) and recent verifications', async () => {
    const pin = await issuePin(h.t.url);
    const session = await startShared();
    await h.send(buttonClick(ACTIONS.choosePin, session.id));
    await customerMessage('Enter support PIN');
    await h.send(
      viewSubmission(VIEWS.agentPin, session.id, { block: PIN_INPUT.block, action: PIN_INPUT.action, value: pin }),
    );
    await customerMessage('you are verified');
    await h.send(slashCommand('jan@example.nl', {}, h.slack.responseUrl()));
    await h.slack.waitFor('chat.postMessage', 3);

    await h.send(
      eventCallback({ type: 'app_home_opened', user: AGENT_USER, channel: 'D0AGENTDM', tab: 'home', event_ts: '1' }),
      { json: true },
    );
    const [home] = await h.slack.waitFor('views.publish');
    assertValidView(home?.args.view);
    expect(home?.args.user_id).to.equal(AGENT_USER);
    const shown = shownText(home as SlackCall);
    expect(shown)
      .to.contain('Active access')
      .and.contain('Alex Morgan')
      .and.contain('Jan de Vries')
      .and.contain('Revoke access');

    await h.send(buttonClick(ACTIONS.revoke, session.id, { view: 'home' }));
    await h.slack.waitFor('views.publish', 2);
    expect(shownText(h.slack.calls('views.publish').at(-1) as SlackCall)).to.contain('No active access right now.');
  });

  it('opens the verify modal from a customer’s message, pre-filled, and starts from it', async () => {
    await h.send(
      messageShortcut(SHORTCUT, {
        text: 'Hi, I am locked out, my email is <mailto:jan@example.nl|jan@example.nl>',
        user: CUSTOMER_USER,
        channel: SHARED_CHANNEL,
      }),
    );
    const [open] = await h.slack.waitFor('views.open');
    assertValidView(open?.args.view);
    const view = open?.args.view as {
      blocks: Array<{ element?: { initial_value?: string } }>;
      private_metadata: string;
    };
    expect(view.blocks[0]?.element?.initial_value).to.equal('jan@example.nl');

    const picker = (view.blocks as Array<{ block_id?: string; element?: Record<string, unknown> }>).find(
      (b) => b.block_id === VERIFY_CUSTOMER.block,
    );
    expect(picker?.element?.initial_option, 'the message’s author, an external member, is named').to.deep.include({
      value: CUSTOMER_USER,
    });
    expect(
      ((picker?.element?.options ?? []) as Array<{ value: string }>).map((o) => o.value),
      'only the channel’s members from outside the organisation',
    ).to.deep.equal([CUSTOMER_USER, CUSTOMER_COLLEAGUE]);

    const answer = await h.send(verifyModalSubmission(view.private_metadata, 'jan@example.nl', CUSTOMER_USER));
    expect(answer.text).to.equal('');
    const [card] = await h.slack.waitFor('chat.postMessage');
    expect(shownText(card as SlackCall)).to.contain('Verify Jan de Vries');
    const [session] = await h.t.app.verification.recent({ id: AGENT_USER, channel: 'slack', workspaceId: TEAM }, 1);
    expect(session && customerConversation(session)?.channel).to.equal(SHARED_CHANNEL);
    expect(session?.customer).to.deep.include({ channel: 'slack', workspaceId: TEAM, id: CUSTOMER_USER });
  });

  it('pre-fills the author’s email when the message holds none', async () => {
    await h.send(
      messageShortcut(SHORTCUT, { text: 'my phone is broken', user: CUSTOMER_USER, channel: SHARED_CHANNEL }),
    );
    const [open] = await h.slack.waitFor('views.open');
    const view = open?.args.view as { blocks: Array<{ element?: { initial_value?: string } }> };
    expect(view.blocks[0]?.element?.initial_value).to.equal('alex@example.com');
  });
});
