import { expect } from 'chai';
import type { Session } from '../../../core/session.ts';
import { assertValidCard, cardText } from '../../support/adaptive-cards.ts';
import { issuePin } from '../../support/app.ts';
import { platformFixture, teamsActivity } from '../../support/platform-fixtures.ts';
import { useRedisServer } from '../../support/redis-fixture.ts';
import { startTeamsApp, type TeamsHarness } from '../../support/teams-app.ts';
import { until } from '../../support/webchat.ts';

type Json = Record<string, unknown>;
type Member = { id: string; name: string; aadObjectId: string };

// The cast, read from the blind fixtures (test/fixtures/platforms/README.md): the agent who ran the message
// action, the customer (a B2B guest) who wrote the message, their group chat and the tenant hosting it.
const submitAction = platformFixture('teams/message-action-submit');
const fromCustomer = platformFixture('teams/group-chat-message-from-customer');
const inSharedChannel = platformFixture('teams/shared-channel-message');
const AGENT = submitAction.from as Member;
const CUSTOMER = fromCustomer.from as Member;
const CHANNEL_MEMBER = inSharedChannel.from as Member;
const TENANT = String((fromCustomer.conversation as Json).tenantId);
const CHAT = String((fromCustomer.conversation as Json).id);
// Someone else in the chat, shaped like the cast: a colleague of the customer's.
const BYSTANDER: Member = {
  id: '29:1Bq2c3Dr4e5Fs6g7Ht8i9Ju0k1Lv2m3Nw4o5Px6q7Ry8s9Tz0a1Ub2c3Vd4e5Wf6g7Xh8i9Yj0k1Zl2m3An4o5Bp',
  name: 'Ola Okafor (Globex)',
  aadObjectId: '8e7d6c5b-4a39-4281-9f0e-d1c2b3a49586',
};
const who = (member: Member) => ({ channel: 'teams' as const, workspaceId: TENANT, id: member.aadObjectId });

describe('Teams shared chats: the customer’s side, as Teams sends it', () => {
  const redis = useRedisServer();
  let h: TeamsHarness;
  beforeEach(async () => {
    await redis().flush();
    h = await startTeamsApp({ redisUrl: redis().url });
    h.connector.rosters.set(CHAT, [AGENT, CUSTOMER, BYSTANDER]);
  });
  afterEach(async () => h.close());

  /** A fixture activity, sent once more, from `from` (by default as written), in the customer's chat. */
  const send = (name: string, change: (a: Json) => void = () => {}) =>
    h.send(teamsActivity(name, h.serviceUrl, change));
  const from = (member: Member) => (a: Json) => {
    a.from = { ...member };
  };
  /** The message action on the customer's message, as the fixture has it, carrying our command and dialog. */
  async function runMessageAction(data: Json = {}): Promise<Json> {
    const answer = await send('teams/message-action-submit', (a) => {
      const value = a.value as Json;
      value.commandId = 'verifyCustomer';
      value.data = { dialog: 'sv.verify', query: 'alex@example.com', ...data };
    });
    expect(answer.status).to.equal(200);
    return answer.json as Json;
  }
  async function started(): Promise<Session> {
    await until(async () => (await h.t.app.verification.recent(who(AGENT), 1)).length === 1, 'a session');
    const [session] = await h.t.app.verification.recent(who(AGENT), 1);
    return session as Session;
  }
  /** A card button the agent presses (Universal Action), in the chat. */
  const press = (verb: string, sessionId: string, member = AGENT) =>
    send('teams/task-fetch-from-customer', (a) => {
      from(member)(a);
      a.name = 'adaptiveCard/action';
      a.value = { action: { type: 'Action.Execute', verb, data: { sessionId } }, trigger: 'manual' };
    });
  const typed = (member: Member, text: string) =>
    send('teams/group-chat-message-from-customer', (a) => {
      from(member)(a);
      a.text = text;
      a.attachments = [];
      a.entities = (a.entities as Json[]).filter((e) => e.type !== 'mention');
    });
  const taskFetch = (member: Member, sessionId: string) =>
    send('teams/task-fetch-from-customer', (a) => {
      from(member)(a);
      (a.value as Json).data = { type: 'task/fetch', dialog: 'sv.customer_pin', sessionId };
    });
  const taskSubmit = (member: Member, sessionId: string, pin: string) =>
    send('teams/task-submit-from-customer', (a) => {
      from(member)(a);
      (a.value as Json).data = { dialog: 'sv.customer_pin', sessionId, pin };
    });
  const dialogType = (answer: { json: unknown }) => (answer.json as { task: { type: string } }).task.type;
  const dialogText = (answer: { json: unknown }) => JSON.stringify(answer.json);
  async function waitingForPin(data: Json = {}): Promise<Session> {
    await runMessageAction(data);
    const session = await started();
    await press('sv.choose_pin', session.id);
    await until(async () => (await h.t.app.verification.get(session.id)).state === 'awaiting_pin', 'the PIN step');
    return h.t.app.verification.get(session.id);
  }

  it('binds the message’s author by Entra object id, so their PIN typed in the chat verifies', async () => {
    const author = ((submitAction.value as Json).messagePayload as { from: { user: Json } }).from.user;
    expect(author, 'the fixture: the author by object id, not 29:').to.deep.include({
      userIdentityType: 'aadUser',
      id: CUSTOMER.aadObjectId,
    });
    const pin = await issuePin(h.t.url);
    const session = await waitingForPin();
    expect(session.customer).to.deep.include(who(CUSTOMER));
    await typed(CUSTOMER, pin);
    await until(async () => (await h.t.app.verification.get(session.id)).state === 'verified', 'verified');
  });

  it('ends the verification when a member who may be the customer leaves, not when a known bystander does', async () => {
    const removed = platformFixture('teams/members-removed-from-group-chat');
    expect(removed.membersRemoved, 'the documented shape: the 29: id alone').to.deep.equal([{ id: CUSTOMER.id }]);
    const session = await waitingForPin();
    // A variant naming the member by object id too (the SDK's ChannelAccount allows it): a bystander, so nothing ends.
    const bystanderLeft = await send('teams/members-removed-from-group-chat', (a) => {
      a.membersRemoved = [{ id: BYSTANDER.id, aadObjectId: BYSTANDER.aadObjectId }];
    });
    expect(bystanderLeft.status).to.equal(200);
    await new Promise((r) => setTimeout(r, 150));
    expect((await h.t.app.verification.get(session.id)).state).to.equal('awaiting_pin');
    // As documented: who left cannot be told from a 29: id, so the verification ends.
    await send('teams/members-removed-from-group-chat');
    await until(async () => (await h.t.app.verification.get(session.id)).state === 'cancelled', 'ended');
    expect(await h.t.app.verification.get(session.id)).to.include({ reason: 'conversation_closed' });
  });

  it('ends a grant when the bot is removed from the chat', async () => {
    const pin = await issuePin(h.t.url);
    const session = await waitingForPin();
    await typed(CUSTOMER, pin);
    await until(async () => (await h.t.app.verification.get(session.id)).state === 'verified', 'verified');
    await send('teams/members-removed-from-group-chat', (a) => {
      a.membersRemoved = [{ ...(a.recipient as Json) }];
    });
    await until(async () => (await h.t.app.verification.get(session.id)).state === 'closed', 'the grant ended');
    expect(await h.t.app.verification.get(session.id)).to.include({ reason: 'conversation_closed' });
  });

  it('lets the customer, and only the customer, open and submit the PIN dialog', async () => {
    const pin = await issuePin(h.t.url);
    const session = await waitingForPin();
    const customerCard = () =>
      h.connector
        .cards((c) => c.conversationId === CHAT)
        .map(({ card }) => card)
        .find((card) => cardText(card).includes('Enter support PIN'));
    await until(() => customerCard() !== undefined, 'the customer’s card');
    assertValidCard(customerCard());
    expect(cardText(customerCard())).to.contain(`For ${CUSTOMER.name}`);

    for (const member of [AGENT, BYSTANDER])
      expect(dialogType(await taskFetch(member, session.id))).to.equal('message');
    expect(dialogText(await taskFetch(BYSTANDER, session.id))).to.contain('for someone else');
    const stolen = await taskSubmit(BYSTANDER, session.id, pin);
    expect(dialogText(stolen)).to.contain('for someone else');
    expect(await h.t.app.verification.get(session.id)).to.include({ state: 'awaiting_pin', pinTriesLeft: 3 });

    const opened = await taskFetch(CUSTOMER, session.id);
    expect(dialogType(opened)).to.equal('continue');
    const done = await taskSubmit(CUSTOMER, session.id, pin);
    expect(dialogText(done)).to.contain('you are verified');
    expect((await h.t.app.verification.get(session.id)).state).to.equal('verified');
  });

  it('counts no PIN a bystander types, however often, and locks nothing', async () => {
    const pin = await issuePin(h.t.url);
    const session = await waitingForPin();
    const wrong = pin === '1357' ? '2468' : '1357';
    for (let i = 0; i < 12; i++) await typed(BYSTANDER, wrong);
    await until(
      () => h.connector.calls().filter((c) => String(c.activity.text ?? '').includes('for someone else')).length === 12,
      'an answer to each',
    );
    expect(await h.t.app.verification.get(session.id)).to.include({ state: 'awaiting_pin', pinTriesLeft: 3 });
    const audit = await h.t.app.auditRecord.read();
    expect(audit.filter((e) => e.type === 'customer_refused')).to.have.length(12);
    expect(audit.some((e) => e.type === 'pin_wrong' || e.type === 'pin_locked')).to.equal(false);
    await typed(CUSTOMER, pin);
    await until(async () => (await h.t.app.verification.get(session.id)).state === 'verified', 'verified');
  });

  it('offers the chat’s roster, the author first chosen; checks the pick again; and names nobody on request', async () => {
    const fetched = await send('teams/message-action-submit', (a) => {
      a.name = 'composeExtension/fetchTask';
      const value = a.value as Json;
      value.commandId = 'verifyCustomer';
      delete value.data;
    });
    const card = (fetched.json as { task: { value: { card: { content: Json } } } }).task.value.card.content;
    assertValidCard(card);
    const picker = (card.body as Json[]).find((e) => e.type === 'Input.ChoiceSet') as Json;
    expect(picker.value).to.equal(CUSTOMER.aadObjectId);
    expect((picker.choices as Json[]).map((c) => c.value)).to.deep.equal([
      CUSTOMER.aadObjectId,
      BYSTANDER.aadObjectId,
      'none',
    ]);

    const crafted = await runMessageAction({ customer: '00000000-0000-4000-8000-0000000000ff' });
    expect(JSON.stringify(crafted)).to.contain('not in this conversation');
    const agentHimself = await runMessageAction({ customer: AGENT.aadObjectId });
    expect(JSON.stringify(agentHimself)).to.contain('not in this conversation');
    expect(await h.t.app.verification.recent(who(AGENT))).to.deep.equal([]);

    const session = await waitingForPin({ customer: 'none' });
    expect(session.customer).to.equal(undefined);
    await until(
      () => h.connector.cards((c) => c.conversationId === CHAT).some(({ card }) => cardText(card).includes('It’s me')),
      'the identify button',
    );
    const pin = await issuePin(h.t.url);
    await typed(CUSTOMER, pin);
    await until(
      () => h.connector.calls().some((c) => String(c.activity.text ?? '').includes('Press “It’s me”')),
      'told to identify first',
    );
    expect(await h.t.app.verification.get(session.id)).to.include({ state: 'awaiting_pin', pinTriesLeft: 3 });

    const byAgent = await press('sv.identify', session.id, AGENT);
    expect(JSON.stringify(byAgent.json)).to.contain('for someone else');
    const byCustomer = await press('sv.identify', session.id, CUSTOMER);
    expect(JSON.stringify(byCustomer.json)).to.contain('now yours');
    const late = await press('sv.identify', session.id, BYSTANDER);
    expect(JSON.stringify(late.json)).to.contain('for someone else');
    const refreshed = await press('sv.refresh', session.id, AGENT);
    expect(cardText((refreshed.json as { value: unknown }).value)).to.contain(
      `Customer in this conversation: ${CUSTOMER.name}`,
    );
    await typed(CUSTOMER, pin);
    await until(async () => (await h.t.app.verification.get(session.id)).state === 'verified', 'verified');
  });

  it('tells a second agent who is verifying in the chat, and starts nothing over it', async () => {
    const session = await waitingForPin();
    const second = { ...BYSTANDER, name: 'Kim Vendor' };
    const answer = await send('teams/message-action-submit', (a) => {
      from(second)(a);
      a.name = 'composeExtension/fetchTask';
      (a.value as Json).commandId = 'verifyCustomer';
    });
    expect(JSON.stringify(answer.json)).to.contain(`${AGENT.name} is already verifying the customer`);
    const typedVerify = await send('teams/group-chat-message-from-customer', (a) => {
      from(second)(a);
      a.text = '<at>Acme Support</at> verify alex@example.com';
    });
    expect(typedVerify.status).to.equal(200);
    await until(
      () => h.connector.calls().some((c) => String(c.activity.text ?? '').includes('is already verifying')),
      'the refusal in the chat',
    );
    expect(await h.t.app.verification.recent(who(second))).to.deep.equal([]);
    expect((await h.t.app.verification.get(session.id)).state).to.equal('awaiting_pin');
  });

  it('in a shared channel, binds the cross-tenant member who identifies, and takes their PIN', async () => {
    const threadId = String((inSharedChannel.conversation as Json).id);
    const inChannel = (member: Member, text: string) =>
      send('teams/shared-channel-message', (a) => {
        from(member)(a);
        a.text = text;
      });
    await inChannel(AGENT, '<at>Acme Support</at> verify alex@example.com');
    const session = await started();
    expect(session.conversation).to.equal(`teams:${TENANT}:${threadId}`);
    await press('sv.choose_pin', session.id);
    await until(async () => (await h.t.app.verification.get(session.id)).state === 'awaiting_pin', 'the PIN step');
    const pin = await issuePin(h.t.url);
    await send('teams/shared-channel-message', (a) => {
      from(CHANNEL_MEMBER)(a);
      a.type = 'invoke';
      a.name = 'adaptiveCard/action';
      a.value = { action: { type: 'Action.Execute', verb: 'sv.identify', data: { sessionId: session.id } } };
    });
    expect((await h.t.app.verification.get(session.id)).customer).to.deep.include(who(CHANNEL_MEMBER));
    await inChannel(CHANNEL_MEMBER, pin);
    await until(async () => (await h.t.app.verification.get(session.id)).state === 'verified', 'verified');
  });
});
