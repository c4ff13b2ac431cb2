import { expect } from 'chai';
import { ConversationBusyError } from '../../../core/errors.ts';
import { expectRejection } from '../../support/assertions.ts';
import { AGENT, type FlowFixture, flowFixture, OTHER_AGENT } from '../../support/fakes.ts';

const MINUTE = 60_000;
const HERE = 'webchat:conv-1';
const as = (who: typeof AGENT) => ({ kind: 'agent', who }) as const;

describe('one running verification per conversation', () => {
  let f: FlowFixture;
  beforeEach(async () => {
    f = await flowFixture();
  });
  const start = (agent = AGENT, conversation = HERE) =>
    f.verification.start({ agent, query: 'alex@example.com', conversation });

  it('refuses a second start while one runs, saying who runs it, and changes nothing', async () => {
    const first = await start();
    const before = f.audit.events.length;
    const refused = await expectRejection(start(OTHER_AGENT), ConversationBusyError);
    expect(refused).to.include({ agentName: 'Robin', sessionId: first.id });
    expect(f.audit.events.length, 'nothing audited as started').to.equal(before);
    expect(await f.verification.recent(OTHER_AGENT)).to.deep.equal([]);
    expect((await f.verification.runningIn(HERE))?.id).to.equal(first.id);
    // The agent who runs it cannot start a second one over it either.
    await expectRejection(start(AGENT), ConversationBusyError);
  });

  it('lets the next one start once it is decided or ended', async () => {
    const first = await start();
    await f.verification.cancel(first.id, as(AGENT));
    expect(await f.verification.runningIn(HERE)).to.equal(undefined);
    const second = await start(OTHER_AGENT);
    expect((await f.verification.runningIn(HERE))?.id).to.equal(second.id);

    const { pin } = await f.verification.issuePin('demo-alex');
    await f.verification.choosePin(second.id, as(OTHER_AGENT));
    await f.verification.submitPin(second.id, pin, as(OTHER_AGENT));
    expect(await f.verification.runningIn(HERE), 'a verified session no longer holds the conversation').to.equal(
      undefined,
    );
    await start();
  });

  it('frees the conversation of a session that lapsed without anyone touching it', async () => {
    await start();
    f.clock.advance(30 * MINUTE);
    const next = await start(OTHER_AGENT);
    expect(next.agent.id).to.equal(OTHER_AGENT.id);
  });

  it('lets exactly one of many agents starting at once win', async () => {
    const agents = Array.from({ length: 8 }, (_, i) => ({ ...AGENT, id: `U_AGENT_${i}`, displayName: `Agent ${i}` }));
    const outcomes = await Promise.allSettled(agents.map((agent) => start(agent)));
    const won = outcomes.filter((o) => o.status === 'fulfilled');
    expect(won).to.have.length(1);
    for (const lost of outcomes.filter((o) => o.status === 'rejected'))
      expect(lost.reason).to.be.instanceOf(ConversationBusyError);
  });

  it('keeps conversations apart, and leaves starts without a conversation alone', async () => {
    await start(AGENT, 'webchat:conv-1');
    await start(OTHER_AGENT, 'webchat:conv-2');
    await start(OTHER_AGENT, 'slack:T_WORK:C0SHARED');
    await f.verification.start({ agent: AGENT, query: 'alex@example.com' });
    await f.verification.start({ agent: AGENT, query: 'alex@example.com' });
    expect(await f.verification.recent(AGENT)).to.have.length(3);
  });

  describe('when the conversation ends', () => {
    const CUSTOMER = { channel: 'slack', workspaceId: 'T_WORK', id: 'U_CUSTOMER' } as const;
    const SHARED = 'slack:T_WORK:C0SHARED';
    const startShared = (agent = AGENT) =>
      f.verification.start({ agent, query: 'alex@example.com', conversation: SHARED, customer: CUSTOMER });

    it('cancels an open verification and ends a grant, and audits why', async () => {
      const verified = await startShared();
      const { pin } = await f.verification.issuePin('demo-alex');
      await f.verification.choosePin(verified.id, as(AGENT));
      await f.verification.submitPin(verified.id, pin, as(AGENT));
      const open = await startShared(OTHER_AGENT);
      const ended = await f.verification.closeConversation(SHARED);
      expect(ended.map((s) => [s.id, s.state, s.reason])).to.have.deep.members([
        [verified.id, 'closed', 'conversation_closed'],
        [open.id, 'cancelled', 'conversation_closed'],
      ]);
      expect(await f.verification.runningIn(SHARED)).to.equal(undefined);
      expect(await f.verification.closeConversation(SHARED), 'nothing left to end').to.deep.equal([]);
    });

    it('ends it when its customer or agent leaves, not when a bystander does', async () => {
      const session = await startShared();
      const bystander = { ...CUSTOMER, id: 'U_SOMEONE' };
      expect(await f.verification.closeConversation(SHARED, bystander)).to.deep.equal([]);
      expect(await f.verification.closeConversation(SHARED, { ...CUSTOMER, workspaceId: 'T_OTHER' })).to.deep.equal([]);
      expect((await f.verification.get(session.id)).state).to.equal('started');
      const [ended] = await f.verification.closeConversation(SHARED, CUSTOMER);
      expect(ended).to.include({ id: session.id, state: 'cancelled', reason: 'conversation_closed' });
      const second = await startShared();
      expect((await f.verification.closeConversation(SHARED, AGENT))[0]?.id).to.equal(second.id);
      expect(await f.verification.closeConversation('webchat:never-used')).to.deep.equal([]);
    });
  });
});
