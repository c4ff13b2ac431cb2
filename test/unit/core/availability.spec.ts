import { expect } from 'chai';
import { PinsLockedError, RateLimitedError } from '../../../core/errors.ts';
import type { Session } from '../../../core/session.ts';
import { expectRejection } from '../../support/assertions.ts';
import { AGENT, type FlowFixture, flowFixture, OTHER_AGENT } from '../../support/fakes.ts';

const MINUTE = 60_000;
const asAgent = { kind: 'agent', who: AGENT } as const;
const asOther = { kind: 'agent', who: OTHER_AGENT } as const;

/** A verified session for `who` on Alex's account, by the device. */
async function verifiedBy(f: FlowFixture, who: typeof AGENT): Promise<Session> {
  const session = await f.verification.start({ agent: who, query: 'alex@example.com' });
  const waiting = await f.verification.chooseDevice(session.id, { kind: 'agent', who });
  return f.verification.deviceResponse(waiting.prompt?.id ?? '', 'confirmed', waiting.prompt?.matchNumber);
}

describe('what an account allows, shown before anything is offered', () => {
  let f: FlowFixture;
  beforeEach(async () => {
    f = await flowFixture();
  });

  it('allows everything on a fresh account: no availability on the session', async () => {
    const session = await f.verification.start({ agent: AGENT, query: 'alex@example.com' });
    expect(session.availability).to.equal(undefined);
  });

  it('says there is no trusted device for an account without one', async () => {
    const session = await f.verification.start({ agent: AGENT, query: 'sam@example.com' });
    expect(session.availability?.device).to.deep.equal({ blockedBy: 'no_device' });
  });

  it('after “Don’t confirm”, the next verification knows the device cool-down and until when', async () => {
    const first = await f.verification.start({ agent: AGENT, query: 'alex@example.com' });
    const waiting = await f.verification.chooseDevice(first.id, asAgent);
    await f.verification.deviceResponse(waiting.prompt?.id ?? '', 'denied');
    const deniedAt = f.clock.now();
    const next = await f.verification.start({ agent: AGENT, query: 'alex@example.com' });
    expect(next.availability?.device).to.deep.equal({
      blockedBy: 'cooldown',
      until: deniedAt + f.policies.denyCooldownMinutes * MINUTE,
    });
    f.clock.advance(f.policies.denyCooldownMinutes * MINUTE);
    expect((await f.verification.start({ agent: AGENT, query: 'alex@example.com' })).availability).to.equal(undefined);
  });

  it('a refused prompt puts the reason on the session, so its card stops offering the prompt', async () => {
    const session = await f.verification.start({ agent: AGENT, query: 'alex@example.com' });
    expect(session.availability).to.equal(undefined);
    // Meanwhile another agent's prompt to the same account is waiting for an answer.
    const other = await f.verification.start({ agent: OTHER_AGENT, query: 'alex@example.com' });
    const pending = await f.verification.chooseDevice(other.id, asOther);
    const refused = await expectRejection(f.verification.chooseDevice(session.id, asAgent), RateLimitedError);
    expect(refused.session?.availability?.device).to.deep.equal({
      blockedBy: 'pending',
      until: pending.prompt?.expiresAt,
    });
    expect(await f.verification.get(session.id)).to.deep.include({
      state: 'started',
      availability: refused.session?.availability,
    });

    const later = await f.verification.start({ agent: AGENT, query: 'alex@example.com' });
    expect(later.availability?.device?.blockedBy, 'known at the start').to.equal('pending');
  });

  it('says “That PIN was not accepted” once, on the step that rejected it', async () => {
    const { pin } = await f.verification.issuePin('demo-alex');
    const session = await f.verification.start({ agent: AGENT, query: 'alex@example.com' });
    await f.verification.choosePin(session.id, asAgent);
    const wrong = await f.verification.submitPin(session.id, pin === '1111' ? '2222' : '1111', asAgent);
    expect(wrong.session).to.include({ notice: 'pin_rejected', pinTriesLeft: 2 });
    const switched = await f.verification.chooseDevice(session.id, asAgent);
    expect(switched.notice).to.equal(undefined);
  });

  it('tells an agent starting a second verification that a grant is still active, and whose', async () => {
    const granted = await verifiedBy(f, AGENT);
    const mine = await f.verification.start({ agent: AGENT, query: 'alex@example.com' });
    expect(mine.availability?.activeGrant).to.deep.equal({
      agentName: AGENT.displayName,
      mine: true,
      until: granted.grant?.expiresAt,
    });
    const theirs = await f.verification.start({ agent: OTHER_AGENT, query: 'alex@example.com' });
    expect(theirs.availability?.activeGrant).to.include({ agentName: AGENT.displayName, mine: false });
  });

  for (const [decision, reason] of [
    ['denied', 'ended_by_denial'],
    ['fraud', 'ended_by_fraud_report'],
  ] as const) {
    it(`a later “${decision}” on the device ends every active grant on the account, audited`, async () => {
      const first = await verifiedBy(f, AGENT);
      const second = await f.verification.start({ agent: OTHER_AGENT, query: 'alex@example.com' });
      await f.verification.choosePin(second.id, asOther);
      const third = await f.verification.start({ agent: OTHER_AGENT, query: 'alex@example.com' });
      const waiting = await f.verification.chooseDevice(third.id, asOther);
      await f.verification.deviceResponse(waiting.prompt?.id ?? '', decision);
      const ended = await f.verification.get(first.id);
      expect(ended).to.include({ state: 'closed', reason });
      expect(ended.grant).to.equal(undefined);
      await expectRejection(f.verification.profile(first.id, AGENT), Error);
      const entry = f.audit.events.find((e) => e.sessionId === first.id && e.type === 'grant_revoked');
      expect(entry?.detail).to.deep.equal({ endedBy: decision === 'fraud' ? 'fraud_reported' : 'device_denied' });
      expect((await f.verification.get(second.id)).state, 'an open check is left to its own end').to.equal(
        'awaiting_pin',
      );
    });
  }

  it('a PIN lock ends every active grant on the account, and the portal then refuses to issue a PIN', async () => {
    const first = await verifiedBy(f, AGENT);
    for (let i = 0; i < f.policies.pinFailuresPerAccountPerDay; i++) {
      const { pin } = await f.verification.issuePin('demo-alex');
      const session = await f.verification.start({ agent: OTHER_AGENT, query: 'alex@example.com' });
      await f.verification.choosePin(session.id, asOther);
      await f.verification.submitPin(session.id, pin === '1111' ? '2222' : '1111', asOther);
    }
    expect(await f.verification.get(first.id)).to.include({ state: 'closed', reason: 'ended_by_pin_lock' });
    await expectRejection(f.verification.issuePin('demo-alex'), PinsLockedError);
  });
});
