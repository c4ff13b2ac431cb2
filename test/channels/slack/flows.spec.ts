import { expect } from 'chai';
import { ACTIONS, PIN_INPUT, VIEWS } from '../../../bots/slack/blocks.ts';
import type { Session } from '../../../core/session.ts';
import { issuePin } from '../../support/app.ts';
import { assertValidBlocks, assertValidView } from '../../support/block-kit.ts';
import type { HttpAnswer } from '../../support/http.ts';
import { useRedisServer } from '../../support/redis-fixture.ts';
import {
  AGENT_USER,
  buttonClick,
  type SlackCall,
  shownText,
  slashCommand,
  TEAM,
  viewSubmission,
} from '../../support/slack.ts';
import { type SlackHarness, startSlackApp } from '../../support/slack-app.ts';

describe('Slack: verifying a customer', () => {
  const redis = useRedisServer();
  const clock = { offset: 0, now: () => Date.now() + clock.offset };
  let h: SlackHarness;
  beforeEach(async () => {
    await redis().flush();
    clock.offset = 0;
    h = await startSlackApp({ redisUrl: redis().url, clock });
  });
  afterEach(async () => h.close());

  async function start(query = 'alex@example.com'): Promise<Session> {
    const before = h.slack.calls('chat.postMessage').length;
    await h.send(slashCommand(query, {}, h.slack.responseUrl()));
    await h.slack.waitFor('chat.postMessage', before + 1);
    const [session] = await h.t.app.verification.recent({ id: AGENT_USER, channel: 'slack', workspaceId: TEAM }, 1);
    if (!session) throw new Error('no session started');
    return session;
  }

  /** The agent's latest card (as posted or updated) once it shows `expected`. */
  async function cardShowing(expected: string | RegExp): Promise<SlackCall> {
    const deadline = Date.now() + 5000;
    for (;;) {
      const updates = h.slack
        .calls()
        .filter(
          (c) =>
            (c.method === 'chat.update' && String(c.args.channel).startsWith('D')) ||
            (c.method === 'chat.postMessage' && c.args.channel === AGENT_USER),
        );
      const last = updates.at(-1);
      if (
        last &&
        (typeof expected === 'string' ? shownText(last).includes(expected) : expected.test(shownText(last)))
      ) {
        assertValidBlocks(last.args.blocks);
        return last;
      }
      if (Date.now() > deadline)
        throw new Error(`card never showed ${expected}; last: ${last ? shownText(last) : 'none'}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Chooses the PIN and waits for it to be in effect: Slack gets its ack before the work is done. */
  async function choosePin(session: Session): Promise<void> {
    await click(ACTIONS.choosePin, session);
    const deadline = Date.now() + 5000;
    while ((await h.t.app.verification.get(session.id)).state !== 'awaiting_pin') {
      if (Date.now() > deadline) throw new Error('the PIN was never chosen');
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  const click = (action: string, session: Session, user = AGENT_USER) =>
    h.send(buttonClick(action, session.id, { user, responseUrl: h.slack.responseUrl(action) }));
  const submitPin = (session: Session, pin: string) =>
    h.send(
      viewSubmission(VIEWS.agentPin, session.id, { block: PIN_INPUT.block, action: PIN_INPUT.action, value: pin }),
    );

  describe('by trusted device', () => {
    it('shows the number to give, then the profile with serials once the customer confirms', async () => {
      const session = await start();
      expect((await click(ACTIONS.chooseDevice, session)).status).to.equal(200);
      const waiting = await cardShowing('Number for the customer to pick');
      const state = await h.t.app.verification.get(session.id);
      expect(shownText(waiting)).to.contain(`*${state.prompt?.matchNumber}*`).and.contain('Say to the customer');
      expect(shownText(waiting)).to.contain(`Pick the number ${state.prompt?.matchNumber} there`);

      expect(
        await h.t.app.device?.answer(state.prompt?.id ?? '', {
          decision: 'confirmed',
          matchedNumber: state.prompt?.matchNumber,
        }),
      ).to.equal(200);
      const verified = shownText(await cardShowing('is verified'));
      expect(verified).to.contain('DMPXK1ALEX01').and.contain('C02ZK2ALEX02').and.contain('Revoke access');
      expect(verified).to.contain('alex@example.com').and.contain('Family');
    });

    it('sends one prompt for a button delivered twice (the same trigger)', async () => {
      const session = await start();
      const said = h.slack.calls('response_url').length;
      const clicked = buttonClick(ACTIONS.chooseDevice, session.id, { responseUrl: h.slack.responseUrl('twice') });
      expect([(await h.send(clicked)).status, (await h.send(clicked)).status]).to.deep.equal([200, 200]);
      await cardShowing('Number for the customer to pick');
      await new Promise((r) => setTimeout(r, 200));
      const state = await h.t.app.verification.get(session.id);
      expect(state.state).to.equal('awaiting_device');
      expect(h.slack.calls('response_url').slice(said), 'no refusal said beside the card').to.deep.equal([]);
      expect(h.t.logs.some((line) => line.includes('duplicate delivery ignored'))).to.equal(true);
    });

    it('tells the agent not to proceed when the customer taps Don’t confirm', async () => {
      const session = await start();
      await click(ACTIONS.chooseDevice, session);
      await cardShowing('Number for the customer to pick');
      const state = await h.t.app.verification.get(session.id);
      await h.t.app.device?.answer(state.prompt?.id ?? '', { decision: 'denied' });
      const denied = shownText(await cardShowing('do not proceed'));
      expect(denied).to.contain('Security has been notified');
      expect(denied).to.not.contain('DMPXK1ALEX01');
    });

    it('shows the prompt expired when nobody answers', async () => {
      const session = await start();
      await click(ACTIONS.chooseDevice, session);
      await cardShowing('Number for the customer to pick');
      clock.offset = 121_000;
      await h.t.app.verification.settle(session.id);
      expect(shownText(await cardShowing('expired'))).to.contain('Start a new one');
    });

    it('does not offer a second prompt while one waits, says why on the card, and changes nothing if pressed', async () => {
      const first = await start();
      await click(ACTIONS.chooseDevice, first);
      await cardShowing('Number for the customer to pick');
      const second = await start();
      const card = shownText(await cardShowing('waiting for an answer until'));
      const responses = h.slack.calls('response_url').length;
      expect(card, 'not offered').to.not.contain('Prompt their device');
      expect(card).to.contain('Use support PIN');
      // A crafted press anyway: refused, counted nowhere, and no second message beside the card.
      await click(ACTIONS.chooseDevice, second);
      expect((await h.t.app.verification.get(second.id)).state).to.equal('started');
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(h.slack.calls('response_url').length).to.equal(responses);
    });
  });

  describe('by support PIN', () => {
    it('opens a 4-digit PIN modal and verifies with the right PIN', async () => {
      const pin = await issuePin(h.t.url);
      const session = await start();
      await click(ACTIONS.choosePin, session);
      expect(shownText(await cardShowing('Tries left: 3'))).to.contain('Enter PIN');
      await click(ACTIONS.enterPin, session);
      const [open] = await h.slack.waitFor('views.open');
      assertValidView(open?.args.view);
      expect(shownText(open as SlackCall)).to.contain('PIN the customer reads out');

      const answer = await submitPin(session, pin);
      expect(answer.status).to.equal(200);
      expect(answer.text, 'the modal closes').to.equal('');
      expect(shownText(await cardShowing('is verified'))).to.contain('DMPXK1ALEX01');
    });

    it('keeps the modal open on a wrong PIN with the tries left, and fails after the last', async () => {
      await issuePin(h.t.url);
      const session = await start();
      await click(ACTIONS.choosePin, session);
      await cardShowing('Tries left: 3');
      const first = await submitPin(session, '0000');
      expect(first.json).to.deep.equal({
        response_action: 'errors',
        errors: {
          [PIN_INPUT.block]:
            'That PIN was not accepted. Tries left: 2. Ask the customer to check the PIN in their account portal.',
        },
      });
      await submitPin(session, '0001');
      const last = await submitPin(session, '0002');
      expect(last.text, 'the modal closes; the card tells the rest').to.equal('');
      expect(shownText(await cardShowing('too many wrong PINs'))).to.not.contain('Enter PIN');
    });

    it('refuses a PIN that was already used', async () => {
      const pin = await issuePin(h.t.url);
      const first = await start();
      await choosePin(first);
      await submitPin(first, pin);
      await cardShowing('is verified');
      const second = await start();
      await choosePin(second);
      const reused = await submitPin(second, pin);
      expect(reused.json.response_action).to.equal('errors');
      expect(JSON.stringify(reused.json)).to.contain('Tries left: 2');
    });

    it('locks PIN checks after 10 wrong PINs, showing the real tries left, then offers no PIN until the lock ends', async () => {
      let answer: HttpAnswer | undefined;
      for (let i = 0; i < 3; i++) {
        const session = await start();
        await click(ACTIONS.choosePin, session);
        await cardShowing('Tries left: 3');
        for (const wrong of ['0000', '0001', '0002']) answer = await submitPin(session, wrong);
        await cardShowing('too many wrong PINs');
      }
      // Nine wrong PINs on the account: the tenth locks it, and the card says so before a try is spent.
      const last = await start();
      expect(shownText(await cardShowing('1 wrong PIN left today'))).to.contain('Use support PIN');
      await click(ACTIONS.choosePin, last);
      await cardShowing('Tries left: 1');
      answer = await submitPin(last, '0003');
      expect(answer?.status).to.equal(200);
      expect(shownText(await cardShowing('locked for 24 hours'))).to.contain('Verification failed');

      await start();
      const locked = shownText(await cardShowing('Support PIN: locked until'));
      expect(locked).to.not.contain('Use support PIN');
      expect((await issuePin(h.t.url).catch((error: Error) => error.message)).toString()).to.contain('423');
    });

    it('refuses anything but 4 digits without using a try', async () => {
      const session = await start();
      await click(ACTIONS.choosePin, session);
      await cardShowing('Tries left: 3');
      for (const bad of ['12a4', '123', '']) {
        const answer = await submitPin(session, bad);
        expect(answer.json).to.deep.equal({
          response_action: 'errors',
          errors: { [PIN_INPUT.block]: 'A support PIN is exactly 4 digits.' },
        });
      }
      expect((await h.t.app.verification.get(session.id)).pinTriesLeft).to.equal(3);
    });
  });

  describe('the grant', () => {
    it('ends when the agent revokes it, removing the serials from the card', async () => {
      const pin = await issuePin(h.t.url);
      const session = await start();
      await choosePin(session);
      await submitPin(session, pin);
      await cardShowing('is verified');
      await click(ACTIONS.revoke, session);
      const closed = shownText(await cardShowing('Access revoked.'));
      expect(closed).to.not.contain('DMPXK1ALEX01');
    });
  });

  it('lets only the verifying agent act on a card', async () => {
    const session = await start();
    await click(ACTIONS.chooseDevice, session, 'U0STRANGER');
    await h.slack.waitFor('response_url', 2);
    expect(String(h.slack.calls('response_url').at(-1)?.args.text)).to.contain('Only the agent who started');
    expect((await h.t.app.verification.get(session.id)).state).to.equal('started');
  });

  it('cancels from the card', async () => {
    const session = await start();
    await click(ACTIONS.cancel, session);
    expect(shownText(await cardShowing('Verification cancelled.'))).to.not.contain('Use support PIN');
  });
});
