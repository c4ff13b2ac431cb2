import { expect } from 'chai';
import { ACTIONS, PIN_INPUT, VIEWS } from '../../../bots/slack/blocks.ts';
import { VERIFY_CUSTOMER } from '../../../bots/slack/verify-modal.ts';
import type { Session } from '../../../core/session.ts';
import { issuePin } from '../../support/app.ts';
import { assertValidBlocks, assertValidView } from '../../support/block-kit.ts';
import { platformFixture, slackEvent, slackInteraction } from '../../support/platform-fixtures.ts';
import { useRedisServer } from '../../support/redis-fixture.ts';
import { buttonClick, shownText, slashCommand, verifyModalSubmission, viewSubmission } from '../../support/slack.ts';
import { type SlackHarness, startSlackApp } from '../../support/slack-app.ts';
import { until } from '../../support/webchat.ts';

type Json = Record<string, unknown>;

// The cast, read from the blind fixtures themselves (test/fixtures/platforms/README.md), so they cannot drift.
const fromCustomer = platformFixture('slack/connect-message-from-external-member');
const fromStaff = platformFixture('slack/connect-message-from-installing-member');
const customerEvent = fromCustomer.event as Json;
const VENDOR = String((fromCustomer.authorizations as Json[])[0]?.team_id);
const CHANNEL = String(customerEvent.channel);
const CUSTOMER = String(customerEvent.user);
const CUSTOMER_TEAM = String(customerEvent.team);
const STAFF = String((fromStaff.event as Json).user);
// Two more people in the channel, shaped like the cast: a colleague of the staff, and one of the customer's.
const STAFF_COLLEAGUE = 'U04STAFF9Z2';
const CUSTOMER_COLLEAGUE = 'U05CUSTCO2B';

const staffTeams = { team: VENDOR, userTeam: VENDOR } as const;

describe('Slack Connect: the customer’s side, as Slack sends it', () => {
  const redis = useRedisServer();
  let h: SlackHarness;
  beforeEach(async () => {
    await redis().flush();
    h = await startSlackApp(harness());
  });
  afterEach(async () => h.close());

  /** The app with the cast of the shared channel, its policies changed by `mutate`. */
  type HarnessOptions = NonNullable<Parameters<typeof startSlackApp>[0]>;
  const harness = (mutate?: HarnessOptions['mutate']): HarnessOptions => ({
    redisUrl: redis().url,
    ...(mutate ? { mutate } : {}),
    beforeStart: (slack) => {
      Object.assign(slack.users, {
        [STAFF]: { real_name: 'Dana Vendor', locale: 'en-US', team_id: VENDOR },
        [STAFF_COLLEAGUE]: { real_name: 'Lee Vendor', locale: 'en-US', team_id: VENDOR },
        [CUSTOMER]: {
          real_name: 'Sam Okafor',
          locale: 'en-GB',
          team_id: CUSTOMER_TEAM,
          enterprise_id: 'E05CUSTGRD1',
        },
        [CUSTOMER_COLLEAGUE]: { real_name: 'Ola Okafor', locale: 'en-GB', team_id: CUSTOMER_TEAM },
      });
      slack.sharedChannels.add(CHANNEL);
      slack.members[CHANNEL] = [STAFF, STAFF_COLLEAGUE, CUSTOMER, CUSTOMER_COLLEAGUE];
    },
  });

  const command = (text: string, user = STAFF) =>
    slashCommand(
      text,
      { team_id: VENDOR, team_domain: 'acme-vendor', user_id: user, user_name: 'dana.vendor', channel_id: CHANNEL },
      h.slack.responseUrl(`cmd-${user}`),
    );

  /** `/verify` in the shared channel, the customer named (or not) in the modal, as the staff member. */
  async function start(named: string | null = CUSTOMER): Promise<Session> {
    const opened = h.slack.calls('views.open').length;
    const posted = h.slack.calls('chat.postMessage').length;
    await h.send(command('alex@example.com'));
    const open = (await h.slack.waitFor('views.open', opened + 1)).at(-1);
    assertValidView(open?.args.view);
    const view = open?.args.view as { private_metadata: string };
    const answer = await h.send(
      verifyModalSubmission(view.private_metadata, 'alex@example.com', named, { user: STAFF, ...staffTeams }),
    );
    expect(answer.text).to.equal('');
    await h.slack.waitFor('chat.postMessage', posted + 1);
    const [session] = await h.t.app.verification.recent({ channel: 'slack', workspaceId: VENDOR, id: STAFF }, 1);
    if (!session) throw new Error('no session');
    await h.send(buttonClick(ACTIONS.choosePin, session.id, { user: STAFF, ...staffTeams }));
    await until(async () => (await h.t.app.verification.get(session.id)).state === 'awaiting_pin', 'the PIN step');
    return h.t.app.verification.get(session.id);
  }
  const typed = (fixture: string, user: string, text: string) =>
    h.send(slackEvent(fixture, { user, text }), { json: true });
  const ephemeralsTo = (user: string) => h.slack.calls('chat.postEphemeral').filter((c) => c.args.user === user);
  /** The customer PIN modal submitted by `user`, a member of the customer's organisation, in the shared channel. */
  const customerPinModal = (sessionId: string, pin: string, user: string) =>
    viewSubmission(
      VIEWS.customerPin,
      sessionId,
      { block: PIN_INPUT.block, action: PIN_INPUT.action, value: pin },
      { user, team: VENDOR, userTeam: CUSTOMER_TEAM },
    );
  /** The customer's button press, shaped as the blind block_actions fixture (team: the installer; user: theirs). */
  function customerPress(actionId: string, sessionId: string, user = CUSTOMER, userTeam = CUSTOMER_TEAM): string {
    const body = platformFixture('slack/connect-block-actions');
    body.user = { ...(body.user as Json), id: user, team_id: userTeam };
    const action = (body.actions as Json[])[0] as Json;
    Object.assign(action, { action_id: actionId, value: sessionId });
    body.response_url = h.slack.responseUrl(`press-${user}`);
    return slackInteraction(body);
  }
  const customerMessage = () =>
    [...h.slack.calls('chat.postMessage'), ...h.slack.calls('chat.update')]
      .filter((c) => c.args.channel === CHANNEL)
      .at(-1);
  const customerSees = (text: string) => {
    const last = customerMessage();
    return last !== undefined && shownText(last).includes(text);
  };

  it('takes the customer’s PIN typed in the channel, though the event’s team_id is the customer’s own', async () => {
    expect(fromCustomer.team_id, 'the fixture: sender’s team on top, installer in authorizations').to.not.equal(VENDOR);
    const pin = await issuePin(h.t.url);
    const session = await start();
    expect(session.customer).to.deep.include({ channel: 'slack', workspaceId: VENDOR, id: CUSTOMER });
    await typed('slack/connect-message-from-external-member', CUSTOMER, `here it is: ${pin}`);
    await until(async () => (await h.t.app.verification.get(session.id)).state === 'verified', 'verified');
    await until(() => customerSees('you are verified'), 'the receipt');
  });

  it('refuses anyone else’s PIN in the channel, privately, without counting: no lock however often', async () => {
    const pin = await issuePin(h.t.url);
    const session = await start();
    const wrong = pin === '1357' ? '2468' : '1357';
    for (let i = 0; i < 12; i++) await typed('slack/connect-message-from-external-member', CUSTOMER_COLLEAGUE, wrong);
    await typed('slack/connect-message-from-installing-member', STAFF_COLLEAGUE, wrong);
    await until(() => ephemeralsTo(CUSTOMER_COLLEAGUE).length === 12, 'a private answer to each try');
    expect(String(ephemeralsTo(CUSTOMER_COLLEAGUE)[0]?.args.text)).to.contain('for someone else in this conversation');
    await until(() => ephemeralsTo(STAFF_COLLEAGUE).length === 1, 'the staff colleague told too');
    const after = await h.t.app.verification.get(session.id);
    expect(after).to.include({ state: 'awaiting_pin', pinTriesLeft: 3 });
    const refused = (await h.t.app.auditRecord.read()).filter((e) => e.type === 'customer_refused');
    expect(refused).to.have.length(13);
    expect((await h.t.app.auditRecord.read()).some((e) => e.type === 'pin_locked' || e.type === 'pin_wrong')).to.equal(
      false,
    );
    await typed('slack/connect-message-from-external-member', CUSTOMER, pin);
    await until(async () => (await h.t.app.verification.get(session.id)).state === 'verified', 'the customer verified');
  });

  it('ends the verification, and a grant, when the customer leaves, not when a colleague does', async () => {
    const pin = await issuePin(h.t.url);
    const session = await start();
    await typed('slack/connect-message-from-external-member', CUSTOMER, pin);
    await until(async () => (await h.t.app.verification.get(session.id)).state === 'verified', 'verified');
    const left = (user: string) =>
      h.send(
        slackEvent('slack/connect-member-left-channel', {
          envelope: (b) => Object.assign(b.event as Json, { user }),
        }),
        { json: true },
      );
    expect((await left(CUSTOMER_COLLEAGUE)).status).to.equal(200);
    await new Promise((r) => setTimeout(r, 200));
    expect((await h.t.app.verification.get(session.id)).state, 'a colleague leaving changes nothing').to.equal(
      'verified',
    );
    await left(CUSTOMER);
    await until(async () => (await h.t.app.verification.get(session.id)).state === 'closed', 'the grant ended');
    expect(await h.t.app.verification.get(session.id)).to.include({ reason: 'conversation_closed' });
    const agentCard = () =>
      h.slack
        .calls('chat.update')
        .filter((c) => String(c.args.channel).startsWith('D'))
        .at(-1);
    await until(() => shownText(agentCard() ?? { method: '', args: {} }).includes('Access ended'), 'the card ended');
    expect(shownText(agentCard() ?? { method: '', args: {} }), 'no serials any more').not.to.contain('DMPXK1ALEX01');
  });

  it('ends the verification when the shared channel is archived, or the app is removed from it', async () => {
    for (const fixture of ['slack/connect-channel-archive', 'slack/channel-left']) {
      const session = await start();
      expect((await h.send(slackEvent(fixture), { json: true })).status).to.equal(200);
      await until(async () => (await h.t.app.verification.get(session.id)).state === 'cancelled', fixture);
      expect(await h.t.app.verification.get(session.id)).to.include({ reason: 'conversation_closed' });
    }
  });

  it('opens the verify modal within Slack’s 3 s trigger window however slow the member lookups are', async () => {
    const answer = h.slack.server.reply;
    h.slack.server.reply = async (request) => {
      // Every member looked up takes 3.5 s, as a struggling Web API might (the agent, looked up first, does not).
      if (request.url.includes('users.info') && !JSON.stringify(request.body).includes(STAFF))
        await new Promise((r) => setTimeout(r, 3500));
      return answer(request);
    };
    const opened = h.slack.calls('views.open').length;
    const sent = Date.now();
    await h.send(command('alex@example.com'));
    await h.slack.waitFor('views.open', opened + 1);
    expect(Date.now() - sent, 'views.open inside the trigger window').to.be.below(2900);
    h.slack.server.reply = answer;
  });

  it('tells the agent to try again when the verify modal cannot be opened, and a second /verify works', async () => {
    h.slack.outages.set('views.open', [{ status: 200, body: { ok: false, error: 'internal_error' } }]);
    await h.send(command('alex@example.com'));
    const [told] = await h.slack.responses(`cmd-${STAFF}`);
    expect(told).to.deep.include({ response_type: 'ephemeral' });
    expect(String(told?.text)).to.contain('temporarily unavailable').and.contain('try again');
    expect(await h.t.app.verification.runningIn(`slack:${VENDOR}:${CHANNEL}`), 'nothing started').to.equal(undefined);
    const opened = h.slack.calls('views.open').length;
    await h.send(command('alex@example.com'));
    await h.slack.waitFor('views.open', opened + 1);
  });

  it('opens the PIN modal for the customer only, and counts a modal PIN from the customer only', async () => {
    const pin = await issuePin(h.t.url);
    const session = await start();
    await h.send(customerPress(ACTIONS.customerEnterPin, session.id, CUSTOMER_COLLEAGUE));
    const [refusal] = await h.slack.responses(`press-${CUSTOMER_COLLEAGUE}`);
    expect(refusal).to.deep.include({ response_type: 'ephemeral', replace_original: false });
    expect(String(refusal?.text)).to.contain('for someone else');
    expect(h.slack.calls('views.open'), 'no modal for a bystander').to.have.length(1);

    const stolen = await h.send(customerPinModal(session.id, pin, CUSTOMER_COLLEAGUE));
    expect(JSON.stringify(stolen.json)).to.contain('for someone else');
    expect(await h.t.app.verification.get(session.id)).to.include({ state: 'awaiting_pin', pinTriesLeft: 3 });

    await h.send(customerPress(ACTIONS.customerEnterPin, session.id));
    const modal = (await h.slack.waitFor('views.open', 2)).at(-1);
    assertValidView(modal?.args.view);
    const done = await h.send(customerPinModal(session.id, pin, CUSTOMER));
    expect(done.text).to.equal('');
    expect((await h.t.app.verification.get(session.id)).state).to.equal('verified');
  });

  it('with nobody named, asks the customer to press “It’s me”, binds the first from outside, and shows the agent', async () => {
    const pin = await issuePin(h.t.url);
    const session = await start(null);
    await until(() => customerSees('It’s me'), 'the identify button');
    assertValidBlocks(customerMessage()?.args.blocks);
    await typed('slack/connect-message-from-external-member', CUSTOMER, pin);
    await until(() => ephemeralsTo(CUSTOMER).length === 1, 'told to identify first');
    expect(String(ephemeralsTo(CUSTOMER)[0]?.args.text)).to.contain('Press “It’s me”');

    await h.send(customerPress(ACTIONS.customerIdentify, session.id, STAFF_COLLEAGUE, VENDOR));
    await h.send(customerPress(ACTIONS.customerIdentify, session.id));
    await until(async () => (await h.t.app.verification.get(session.id)).customer !== undefined, 'bound');
    expect((await h.t.app.verification.get(session.id)).customer).to.deep.include({ id: CUSTOMER });
    await h.send(customerPress(ACTIONS.customerIdentify, session.id, CUSTOMER_COLLEAGUE));
    const said = async (user: string) => (await h.slack.responses(`press-${user}`)).map((a) => String(a.text));
    expect(await said(STAFF_COLLEAGUE), 'someone from inside is not the customer').to.have.length(1);
    expect((await said(STAFF_COLLEAGUE))[0]).to.contain('for someone else in this conversation');
    expect((await said(CUSTOMER))[0]).to.contain('this verification is now yours');
    expect((await said(CUSTOMER_COLLEAGUE))[0], 'too late: someone identified first').to.contain('for someone else');
    await until(
      () =>
        h.slack
          .calls('chat.update')
          .some(
            (c) => c.args.channel !== CHANNEL && shownText(c).includes(`Customer in this conversation: <@${CUSTOMER}>`),
          ),
      'the agent’s card names who identified',
    );
    await typed('slack/connect-message-from-external-member', CUSTOMER, pin);
    await until(async () => (await h.t.app.verification.get(session.id)).state === 'verified', 'verified');
  });

  it('names the author of the message the shortcut was used on, and nobody the agent may not', async () => {
    const shortcut = platformFixture('slack/connect-message-shortcut');
    shortcut.callback_id = 'sv_verify_customer';
    shortcut.response_url = h.slack.responseUrl('shortcut');
    await h.send(slackInteraction(shortcut));
    const [open] = await h.slack.waitFor('views.open');
    const view = open?.args.view as { private_metadata: string; blocks: Array<{ block_id?: string; element?: Json }> };
    assertValidView(view);
    const picker = view.blocks.find((b) => b.block_id === VERIFY_CUSTOMER.block)?.element;
    expect(picker?.initial_option).to.deep.include({ value: CUSTOMER });
    expect(((picker?.options ?? []) as Json[]).map((o) => o.value)).to.deep.equal([CUSTOMER, CUSTOMER_COLLEAGUE]);

    const submit = (named: string) =>
      h.send(verifyModalSubmission(view.private_metadata, 'alex@example.com', named, { user: STAFF, ...staffTeams }));
    const inside = await submit(STAFF_COLLEAGUE);
    expect(JSON.stringify(inside.json), 'a colleague is refused in the modal').to.contain('in your own organisation');
    expect(await h.t.app.verification.recent({ channel: 'slack', workspaceId: VENDOR, id: STAFF })).to.deep.equal([]);
    expect((await submit(CUSTOMER)).text).to.equal('');
    await until(
      async () =>
        (await h.t.app.verification.recent({ channel: 'slack', workspaceId: VENDOR, id: STAFF })).length === 1,
      'started',
    );
    const [session] = await h.t.app.verification.recent({ channel: 'slack', workspaceId: VENDOR, id: STAFF });
    expect(session?.customer).to.deep.include({ id: CUSTOMER, displayName: 'Sam Okafor' });
    const [answer] = await h.slack.responses('shortcut');
    expect(String(answer?.text), 'answered through the shortcut’s response URL').to.contain('started');
  });

  it('counts the agent’s start once: when /verify opens the modal, not again when it is submitted', async () => {
    await h.close();
    h = await startSlackApp(
      harness((config) => {
        config.policies = { ...config.policies, agentVerificationsPerHour: 1 };
      }),
    );
    expect((await start()).id, 'the modal’s submission started it').to.be.a('string');
    const refused = await h.send(command('jan@example.nl'));
    expect(String(refused.json.text), 'the one start an hour is used').to.contain(
      'as many verifications as one agent may',
    );
  });

  it('tells a second agent who is verifying, and replaces nothing', async () => {
    const session = await start();
    await h.send(command('alex@example.com', STAFF_COLLEAGUE));
    const [busy] = await h.slack.responses(`cmd-${STAFF_COLLEAGUE}`);
    expect(String(busy?.text)).to.contain('Dana Vendor is already verifying the customer in this conversation');
    expect(h.slack.calls('views.open'), 'no modal to start a second one').to.have.length(1);
    expect(
      (await h.t.app.verification.recent({ channel: 'slack', workspaceId: VENDOR, id: STAFF_COLLEAGUE })).length,
    ).to.equal(0);
    expect((await h.t.app.verification.get(session.id)).state).to.equal('awaiting_pin');
  });
});

describe('Enterprise Grid: an org-wide install', () => {
  const redis = useRedisServer();
  let h: SlackHarness;
  const grid = platformFixture('slack/grid-org-install-message');
  const ORG = String(grid.enterprise_id);
  const WORKSPACE = String(grid.team_id);
  const event = grid.event as Json;
  const CHANNEL = String(event.channel);
  const AGENT = 'W07AGENT001';
  const OUTSIDER = 'U05CUSTMR7A';
  beforeEach(async () => {
    await redis().flush();
    h = await startSlackApp({
      redisUrl: redis().url,
      beforeStart: (slack) => {
        Object.assign(slack.users, {
          [AGENT]: { real_name: 'Grid Agent', locale: 'en-US', team_id: WORKSPACE, enterprise_id: ORG },
          [String(event.user)]: {
            real_name: 'Grid Colleague',
            locale: 'en-US',
            team_id: WORKSPACE,
            enterprise_id: ORG,
          },
          [OUTSIDER]: { real_name: 'Sam Okafor', locale: 'en-GB', team_id: 'T05CUSTWS2P' },
        });
        slack.sharedChannels.add(CHANNEL);
        slack.members[CHANNEL] = [AGENT, String(event.user), OUTSIDER];
      },
    });
  });
  afterEach(async () => h.close());

  it('keys the session under the org, and finds it for an event whose authorization has no team', async () => {
    expect((grid.authorizations as Json[])[0], 'the fixture: an org install').to.deep.include({
      team_id: null,
      is_enterprise_install: true,
    });
    const pin = await issuePin(h.t.url);
    await h.send(
      slashCommand(
        'alex@example.com',
        {
          team_id: WORKSPACE,
          enterprise_id: ORG,
          is_enterprise_install: 'true',
          user_id: AGENT,
          user_name: 'grid.agent',
          channel_id: CHANNEL,
        },
        h.slack.responseUrl('grid'),
      ),
    );
    const [open] = await h.slack.waitFor('views.open');
    const view = open?.args.view as { private_metadata: string; blocks: Array<{ block_id?: string; element?: Json }> };
    const options = view.blocks.find((b) => b.block_id === VERIFY_CUSTOMER.block)?.element?.options as Json[];
    expect(
      options.map((o) => o.value),
      'a colleague from the same org is not from outside',
    ).to.deep.equal([OUTSIDER]);
    const submission = JSON.parse(
      new URLSearchParams(
        verifyModalSubmission(view.private_metadata, 'alex@example.com', OUTSIDER, {
          user: AGENT,
          team: WORKSPACE,
          userTeam: ORG,
        }),
      ).get('payload') ?? '{}',
    ) as Json;
    // On an org-wide install, interactions name the org and the install (Slack's payload reference).
    Object.assign(submission, { enterprise: { id: ORG, name: 'Grid' }, is_enterprise_install: true });
    await h.send(slackInteraction(submission));
    await h.slack.waitFor('chat.postMessage');
    const [session] = await h.t.app.verification.recent({ channel: 'slack', workspaceId: ORG, id: AGENT }, 1);
    expect(session?.agent.workspaceId).to.equal(ORG);
    await h.t.app.verification.choosePin(session?.id ?? '', {
      kind: 'agent',
      who: { channel: 'slack', workspaceId: ORG, id: AGENT },
    });
    // Org-level events come with a null top-level team_id, or none (bolt-python's org-app tests); Bolt's
    // context takes the org from `authorizations`, and so does every lookup here.
    const orgLevel = await h.send(
      slackEvent('slack/grid-org-install-message', {
        user: OUTSIDER,
        text: 'hello',
        envelope: (b) => (b.team_id = null),
      }),
      { json: true },
    );
    expect(orgLevel.status).to.equal(200);
    await h.send(
      slackEvent('slack/grid-org-install-message', { user: OUTSIDER, text: pin, envelope: (b) => delete b.team_id }),
      { json: true },
    );
    await until(async () => (await h.t.app.verification.get(session?.id ?? '')).state === 'verified', 'verified');
  });
});
