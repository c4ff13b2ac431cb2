import { expect } from 'chai';
import type { Session } from '../../../core/session.ts';
import { assertValidCard, cardText } from '../../support/adaptive-cards.ts';
import { issuePin } from '../../support/app.ts';
import { useRedisServer } from '../../support/redis-fixture.ts';
import {
  type ActivityOptions,
  AGENT,
  CUSTOMER,
  cardAction,
  GROUP_CHAT,
  message,
  messageActionFetch,
  messageActionSubmit,
  OTHER_AGENT,
  PERSONAL,
  taskFetch,
  taskSubmit,
  teamsUser,
} from '../../support/teams.ts';
import { startTeamsApp, type TeamsHarness } from '../../support/teams-app.ts';

describe('Teams: verifying a customer', () => {
  const redis = useRedisServer();
  const clock = { offset: 0, now: () => Date.now() + clock.offset };
  let h: TeamsHarness;
  beforeEach(async () => {
    await redis().flush();
    clock.offset = 0;
    h = await startTeamsApp({ redisUrl: redis().url, clock });
  });
  afterEach(async () => h.close());

  async function start(options: ActivityOptions & { mention?: boolean } = {}): Promise<Session> {
    const before = h.connector.cards().length;
    await h.send(message(h.serviceUrl, 'verify alex@example.com', options));
    await h.connector.waitFor(() => h.connector.cards().length > before, 'the new card');
    const [session] = await h.t.app.verification.recent(teamsUser(AGENT), 1);
    if (!session) throw new Error('no session started');
    return session;
  }

  /** Presses a card button as the agent; the invoke answers with the agent's updated card. */
  async function press(
    verb: string,
    session: Session,
    data: Record<string, unknown> = {},
    options: ActivityOptions = {},
  ) {
    const answer = await h.send(cardAction(h.serviceUrl, verb, { sessionId: session.id, ...data }, options));
    expect(answer.status).to.equal(200);
    return answer.json as { statusCode: number; type: string; value: unknown };
  }

  /** The latest proactive update of the agent's card (PUT on the connector) once it shows `expected`. */
  async function cardShowing(expected: string, conversationId = PERSONAL): Promise<string> {
    let last = '';
    await h.connector.waitFor(() => {
      const updates = h.connector.cards((c) => c.method === 'PUT' && c.conversationId === conversationId);
      const latest = updates.at(-1);
      if (!latest) return false;
      assertValidCard(latest.card);
      last = cardText(latest.card);
      return last.includes(expected);
    }, `a card update showing "${expected}"`);
    return last;
  }

  describe('by trusted device', () => {
    it('answers the press with the waiting card and the number, then updates it to verified with serials', async () => {
      const session = await start();
      const waiting = await press('sv.choose_device', session);
      expect(waiting.type).to.equal('application/vnd.microsoft.card.adaptive');
      assertValidCard(waiting.value);
      const state = await h.t.app.verification.get(session.id);
      expect(cardText(waiting.value))
        .to.contain(String(state.prompt?.matchNumber))
        .and.contain(`Pick the number ${state.prompt?.matchNumber} there`);

      await h.t.app.device?.answer(state.prompt?.id ?? '', {
        decision: 'confirmed',
        matchedNumber: state.prompt?.matchNumber,
      });
      const verified = await cardShowing('is verified');
      expect(verified).to.contain('DMPXK1ALEX01').and.contain('Revoke access').and.contain('alex@example.com');
    });

    it('tells the agent not to proceed when the customer taps Don’t confirm', async () => {
      const session = await start();
      await press('sv.choose_device', session);
      const state = await h.t.app.verification.get(session.id);
      await h.t.app.device?.answer(state.prompt?.id ?? '', { decision: 'denied' });
      const denied = await cardShowing('do not proceed');
      expect(denied).to.contain('Security has been notified').and.not.contain('DMPXK1ALEX01');
    });

    it('shows the prompt expired when nobody answers', async () => {
      const session = await start();
      await press('sv.choose_device', session);
      clock.offset = 121_000;
      await h.t.app.verification.settle(session.id);
      expect(await cardShowing('expired')).to.contain('Start a new one');
    });
  });

  describe('by support PIN', () => {
    it('takes the PIN on the card, with tries left, and verifies with the right one', async () => {
      const pin = await issuePin(h.t.url);
      const session = await start();
      const entry = await press('sv.choose_pin', session);
      assertValidCard(entry.value);
      expect(cardText(entry.value)).to.contain('Tries left: 3').and.contain('PIN the customer reads out');
      const wrong = await press('sv.submit_pin', session, { pin: pin === '0000' ? '1111' : '0000' });
      expect(cardText(wrong.value)).to.contain('Tries left: 2');
      const right = await press('sv.submit_pin', session, { pin });
      expect(cardText(right.value)).to.contain('is verified').and.contain('DMPXK1ALEX01');
    });

    it('fails after the last wrong try, and refuses a PIN that is not 4 digits without using one', async () => {
      const pin = await issuePin(h.t.url);
      const session = await start();
      await press('sv.choose_pin', session);
      const refused = await press('sv.submit_pin', session, { pin: '12a4' });
      expect(refused.type).to.equal('application/vnd.microsoft.activity.message');
      expect(refused.value).to.contain('exactly 4 digits');
      const wrong = pin === '0000' ? '1111' : '0000';
      await press('sv.submit_pin', session, { pin: wrong });
      await press('sv.submit_pin', session, { pin: wrong });
      const failed = await press('sv.submit_pin', session, { pin: wrong });
      expect(cardText(failed.value)).to.contain('wrong PIN');
      expect((await h.t.app.verification.get(session.id)).state).to.equal('failed');
    });

    it('locks PIN checks for the account after 10 wrong PINs, whatever the sessions', async () => {
      await issuePin(h.t.url);
      let last: { value: unknown } | undefined;
      for (let i = 0; i < 4; i++) {
        const session = await start();
        await press('sv.choose_pin', session);
        for (const wrong of ['0000', '0001', '0002']) {
          last = await press('sv.submit_pin', session, { pin: wrong });
          if ((await h.t.app.verification.get(session.id)).state !== 'awaiting_pin') break;
        }
        if ((await h.t.app.verification.get(session.id)).reason === 'pin_locked') break;
      }
      expect(cardText(last?.value)).to.contain('locked for 24 hours');
      // The next card says so before offering anything, and a crafted press is answered with that card.
      const locked = await start();
      const refused = await press('sv.choose_pin', locked);
      expect(cardText(refused.value)).to.contain('Support PIN: locked until').and.not.contain('Use support PIN');
      expect((await h.t.app.verification.get(locked.id)).state).to.equal('started');
      expect(await issuePin(h.t.url).catch((error: Error) => error.message)).to.contain('423');
    });

    it('ends access when the agent revokes it', async () => {
      const pin = await issuePin(h.t.url);
      const session = await start();
      await press('sv.choose_pin', session);
      await press('sv.submit_pin', session, { pin });
      const revoked = await press('sv.revoke', session);
      expect(cardText(revoked.value)).to.contain('Access revoked').and.not.contain('DMPXK1ALEX01');
    });
  });

  it('lets only the verifying agent act on a card', async () => {
    const session = await start();
    const theirs = await press('sv.choose_pin', session, {}, { from: OTHER_AGENT });
    expect(theirs.type).to.equal('application/vnd.microsoft.activity.message');
    expect(theirs.value).to.contain('Only the agent who started');
    expect((await h.t.app.verification.get(session.id)).state).to.equal('started');
  });

  it('cancels from the card', async () => {
    const session = await start();
    expect(cardText((await press('sv.cancel', session)).value)).to.contain('cancelled');
  });

  describe('with the customer in the chat', () => {
    async function startFromMessage(): Promise<Session> {
      const fetched = await h.send(
        messageActionFetch(h.serviceUrl, 'Hi, I am locked out. My email is alex@example.com'),
      );
      const dialog = fetched.json as { task: { type: string; value: { card: { content: unknown } } } };
      expect(dialog.task.type).to.equal('continue');
      assertValidCard(dialog.task.value.card.content);
      expect(JSON.stringify(dialog.task.value.card.content)).to.contain('"value":"alex@example.com"');
      const submitted = await h.send(messageActionSubmit(h.serviceUrl, 'alex@example.com', 'Hi, I am locked out'));
      expect(submitted.status).to.equal(200);
      await h.connector.waitFor(() => h.connector.cards().length > 0, 'the shared card');
      const [session] = await h.t.app.verification.recent(teamsUser(AGENT), 1);
      if (!session) throw new Error('no session started');
      return session;
    }
    const customerCards = () =>
      h.connector
        .cards((c) => c.conversationId === GROUP_CHAT)
        .filter(({ card }) => !cardText(card).includes('Verification by'));

    it('starts from the customer’s message and lets the customer type the PIN in a private dialog', async () => {
      const pin = await issuePin(h.t.url);
      const session = await startFromMessage();
      await press('sv.choose_pin', session, {}, { conversation: 'groupChat' });
      await h.connector.waitFor(() => customerCards().length > 0, 'the customer’s card');
      const [{ card } = { card: {} }] = customerCards();
      assertValidCard(card);
      expect(cardText(card)).to.contain('Enter support PIN').and.contain('We will never ask for your password');

      const asAgent = await h.send(
        taskFetch(h.serviceUrl, { dialog: 'sv.customer_pin', sessionId: session.id }, { conversation: 'groupChat' }),
      );
      expect((asAgent.json as { task: { type: string } }).task.type).to.equal('message');

      const opened = await h.send(
        taskFetch(
          h.serviceUrl,
          { dialog: 'sv.customer_pin', sessionId: session.id },
          { conversation: 'groupChat', from: CUSTOMER },
        ),
      );
      const dialog = opened.json as { task: { type: string; value: { card: { content: unknown } } } };
      expect(dialog.task.type).to.equal('continue');
      assertValidCard(dialog.task.value.card.content);

      const done = await h.send(
        taskSubmit(
          h.serviceUrl,
          { dialog: 'sv.customer_pin', sessionId: session.id, pin },
          { conversation: 'groupChat', from: CUSTOMER },
        ),
      );
      expect((done.json as { task: { value: string } }).task.value).to.contain('you are verified');
      expect((await h.t.app.verification.get(session.id)).state).to.equal('verified');
    });

    it('warns a customer who types a secret, and takes a PIN typed in the chat only while one is expected', async () => {
      const pin = await issuePin(h.t.url);
      const session = await startFromMessage();
      await h.send(message(h.serviceUrl, 'my password is Hunter2!!', { conversation: 'groupChat', from: CUSTOMER }));
      await h.connector.waitFor(
        (calls) => calls.some((c) => String(c.activity.text ?? '').includes('don’t share passwords')),
        'the warning',
      );
      await h.send(message(h.serviceUrl, pin, { conversation: 'groupChat', from: CUSTOMER }));
      expect((await h.t.app.verification.get(session.id)).state).to.equal('started');

      await press('sv.choose_pin', session, {}, { conversation: 'groupChat' });
      await h.send(message(h.serviceUrl, pin, { conversation: 'groupChat', from: AGENT }));
      expect((await h.t.app.verification.get(session.id)).state).to.equal('awaiting_pin');
      await h.send(message(h.serviceUrl, pin, { conversation: 'groupChat', from: CUSTOMER }));
      expect((await h.t.app.verification.get(session.id)).state).to.equal('verified');
      const sent = JSON.stringify(h.connector.calls());
      expect(sent).not.to.contain('Hunter2');
    });
  });

  it('refuses politely, and audits, an agent outside the configured tenants', async () => {
    await h.close();
    h = await startTeamsApp({
      redisUrl: redis().url,
      clock,
      mutate: (config) => {
        config.agents.teams.tenantIds = ['00000000-0000-4000-8000-0000000other'];
      },
    });
    // Delivered twice (Teams redelivers with the same id): refused, told and audited once.
    const activity = message(h.serviceUrl, 'verify alex@example.com');
    await h.send(activity);
    await h.send(activity);
    await h.connector.waitFor((calls) => calls.length > 0, 'the refusal');
    await new Promise((r) => setTimeout(r, 200));
    expect(h.connector.calls()).to.have.length(1);
    expect(String(h.connector.calls()[0]?.activity.text)).to.contain('not set up to verify customers');
    const audit = (await h.t.app.auditRecord.read()).filter((e) => e.type === 'agent_unauthorized');
    expect(audit.map((e) => e.agent)).to.deep.equal([teamsUser(AGENT)]);
    expect(await h.t.app.verification.recent(teamsUser(AGENT), 5)).to.deep.equal([]);
  });
});
