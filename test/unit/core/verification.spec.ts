import { expect } from 'chai';
import {
  AccountNotFoundError,
  DeliveryFailedError,
  IllegalTransitionError,
  NoTrustedDeviceError,
  NotAuthorizedError,
  PinsLockedError,
  RateLimitedError,
  RequestInvalidError,
} from '../../../core/errors.ts';
import type { Session } from '../../../core/session.ts';
import { expectRejection } from '../../support/assertions.ts';
import { AGENT, type FlowFixture, flowFixture, OTHER_AGENT } from '../../support/fakes.ts';

const MINUTE = 60_000;
const agent = { kind: 'agent', who: AGENT } as const;
const CUSTOMER = { channel: 'slack', workspaceId: AGENT.workspaceId, id: 'U_CUSTOMER', displayName: 'Alex' } as const;

async function startFor(f: FlowFixture, query = 'alex@example.com'): Promise<Session> {
  return f.verification.start({ agent: AGENT, query });
}

async function wrongPin(f: FlowFixture, sessionId: string, right: string) {
  const wrong = right === '1357' ? '2468' : '1357';
  return f.verification.submitPin(sessionId, wrong, agent);
}

describe('verification flow', () => {
  let f: FlowFixture;
  beforeEach(async () => {
    f = await flowFixture();
  });

  describe('start', () => {
    it('finds the customer by email, phone or account id', async () => {
      for (const query of ['alex@example.com', ' ALEX@example.com ', '+31 6 1234 5678', '06-12345678', 'demo-alex']) {
        const session = await f.verification.start({ agent: AGENT, query });
        expect(session).to.include({ state: 'started', accountId: 'demo-alex', customerLocale: 'en', version: 1 });
      }
      expect((await startFor(f, 'jan@example.nl')).customerLocale).to.equal('nl');
    });

    it('answers an unknown customer clearly and stores nothing', async () => {
      await expectRejection(startFor(f, 'nobody@example.com'), AccountNotFoundError);
      expect(f.audit.events).to.deep.equal([]);
      expect(f.updates).to.deep.equal([]);
    });

    it('audits the start with a keyed hash of the account, never the id or email', async () => {
      const session = await startFor(f);
      const [event] = f.audit.events;
      expect(event).to.deep.include({ type: 'verification_started', sessionId: session.id, channel: 'slack' });
      expect(event?.account).to.match(/^[0-9a-f]{32}$/u);
      expect(JSON.stringify(f.audit.events)).to.not.match(/demo-alex|alex@example\.com/u);
    });
  });

  describe('per-agent rate', () => {
    it('refuses an agent past their verifications per hour, alerts security, and leaves other agents alone', async () => {
      f = await flowFixture({ policies: { agentVerificationsPerHour: 5 } });
      for (let i = 0; i < 5; i++) await startFor(f);
      // Counted whether or not the customer exists: sweeping through guesses is stopped just the same.
      const refused = await expectRejection(startFor(f, 'nobody@example.com'), RateLimitedError);
      expect(refused).to.include({ reason: 'agent-rate' });
      expect(refused.retryAfterMs).to.be.within(1, 60 * MINUTE);
      const alert = f.audit.events.at(-1);
      expect(alert).to.deep.include({ type: 'agent_rate_exceeded', outcome: 'failure' });
      expect(alert?.agent?.id).to.equal(AGENT.id);
      expect(alert?.detail).to.deep.equal({ limitPerHour: 5 });

      const other = { ...AGENT, id: 'U0OTHER01' };
      expect((await f.verification.start({ agent: other, query: 'alex@example.com' })).agent.id).to.equal('U0OTHER01');
      f.clock.advance(60 * MINUTE);
      expect((await startFor(f)).state, 'a new hour').to.equal('started');
    });
  });

  describe('by trusted device', () => {
    it('verifies when the customer picks the matching number and confirms', async () => {
      const session = await startFor(f);
      const waiting = await f.verification.chooseDevice(session.id, agent);
      expect(waiting.state).to.equal('awaiting_device');
      const prompt = f.device.last();
      expect(prompt.requester).to.deep.equal({ agentName: 'Robin', company: 'Example Co', channel: 'slack' });
      expect(prompt.deviceIds).to.deep.equal(['dev-alex-iphone', 'dev-alex-macbook']);
      expect(prompt.numberChoices).to.have.length(3).and.include(waiting.prompt?.matchNumber);
      expect(prompt.expiresAt).to.equal(f.clock.now() + 120_000);
      expect(JSON.stringify(prompt), 'no serial before verification').to.not.match(/DMPXK1ALEX01|C02ZK2ALEX02/u);

      const verified = await f.verification.deviceResponse(prompt.promptId, 'confirmed', waiting.prompt?.matchNumber);
      expect(verified.state).to.equal('verified');
      expect(verified.grant).to.deep.equal({ agentId: AGENT.id, expiresAt: f.clock.now() + 15 * MINUTE });
      expect(types(f)).to.include.members(['device_prompt_sent', 'device_prompt_confirmed', 'grant_issued']);
    });

    it('sends the prompt without numbers when number matching is off, and confirms without one', async () => {
      f = await flowFixture({ policies: { numberMatching: false } });
      const session = await startFor(f);
      const waiting = await f.verification.chooseDevice(session.id, agent);
      expect(f.device.last().numberChoices).to.equal(undefined);
      expect(waiting.prompt?.matchNumber).to.equal(undefined);
      expect((await f.verification.deviceResponse(f.device.last().promptId, 'confirmed')).state).to.equal('verified');
    });

    it('counts a wrong number as a refusal', async () => {
      const session = await startFor(f);
      const waiting = await f.verification.chooseDevice(session.id, agent);
      const wrong = f.device.last().numberChoices?.find((n) => n !== waiting.prompt?.matchNumber);
      const denied = await f.verification.deviceResponse(f.device.last().promptId, 'confirmed', wrong);
      expect(denied).to.include({ state: 'denied', reason: 'number_mismatch' });
      const missing = await f.verification.start({ agent: AGENT, query: 'jan@example.nl' });
      const janWaiting = await f.verification.chooseDevice(missing.id, agent);
      expect(janWaiting.prompt?.matchNumber).to.be.a('number');
      const noNumber = await f.verification.deviceResponse(f.device.last().promptId, 'confirmed');
      expect(noNumber.reason).to.equal('number_mismatch');
    });

    it('denies on "Don’t confirm", alerts, and holds new prompts for the cool-down', async () => {
      const session = await startFor(f);
      await f.verification.chooseDevice(session.id, agent);
      const denied = await f.verification.deviceResponse(f.device.last().promptId, 'denied');
      expect(denied).to.include({ state: 'denied', reason: 'device_denied' });
      expect(types(f)).to.include('device_prompt_denied');

      const again = await startFor(f);
      const refused = await expectRejection(f.verification.chooseDevice(again.id, agent), RateLimitedError);
      expect(refused.reason).to.equal('prompt-cooldown');
      expect(refused.retryAfterMs).to.equal(30 * MINUTE);
      expect(types(f)).to.include('device_prompt_refused');

      f.clock.advance(30 * MINUTE);
      const later = await startFor(f);
      expect((await f.verification.chooseDevice(later.id, agent)).state).to.equal('awaiting_device');
    });

    it('records "Report fraud" as fraud', async () => {
      const session = await startFor(f);
      await f.verification.chooseDevice(session.id, agent);
      const denied = await f.verification.deviceResponse(f.device.last().promptId, 'fraud');
      expect(denied.reason).to.equal('fraud_reported');
      expect(types(f)).to.include('fraud_reported');
    });

    it('allows one pending prompt per account, then 3 per 15 minutes and 5 per day', async () => {
      f = await flowFixture({ policies: { devicePromptsPer15Minutes: 10 } });
      const first = await startFor(f);
      await f.verification.chooseDevice(first.id, agent);
      const second = await startFor(f);
      expect((await expectRejection(f.verification.chooseDevice(second.id, agent), RateLimitedError)).reason).to.equal(
        'prompt-pending',
      );
      // Each prompt lapses unanswered (2 min); five fit in a day even with a generous 15-minute limit.
      for (let i = 0; i < 4; i++) {
        f.clock.advance(121_000);
        const next = await startFor(f);
        await f.verification.chooseDevice(next.id, agent);
      }
      f.clock.advance(121_000);
      const sixth = await startFor(f);
      expect((await expectRejection(f.verification.chooseDevice(sixth.id, agent), RateLimitedError)).reason).to.equal(
        'prompts-day',
      );
    });

    it('refuses a fourth prompt within 15 minutes', async () => {
      for (let i = 0; i < 3; i++) {
        const session = await startFor(f);
        await f.verification.chooseDevice(session.id, agent);
        f.clock.advance(121_000);
      }
      const fourth = await startFor(f);
      const refused = await expectRejection(f.verification.chooseDevice(fourth.id, agent), RateLimitedError);
      expect(refused.reason).to.equal('prompts-15m');
      f.clock.advance(15 * MINUTE);
      const later = await startFor(f);
      expect((await f.verification.chooseDevice(later.id, agent)).state).to.equal('awaiting_device');
    });

    it('expires an unanswered prompt, and refuses the answer that comes too late', async () => {
      const session = await startFor(f);
      await f.verification.chooseDevice(session.id, agent);
      f.clock.advance(120_000);
      expect((await f.verification.get(session.id)).state).to.equal('expired');
      await expectRejection(
        f.verification.deviceResponse(f.device.last().promptId, 'confirmed'),
        IllegalTransitionError,
      );
    });

    it('refuses an answer to a prompt the agent replaced with the PIN', async () => {
      const session = await startFor(f);
      await f.verification.chooseDevice(session.id, agent);
      const promptId = f.device.last().promptId;
      await f.verification.choosePin(session.id, agent);
      await expectRejection(f.verification.deviceResponse(promptId, 'confirmed'), IllegalTransitionError);
      // Switching freed the pending slot: the agent may prompt again.
      expect((await f.verification.chooseDevice(session.id, agent)).state).to.equal('awaiting_device');
    });

    it('tells the agent when the account has no trusted device', async () => {
      const session = await startFor(f, 'sam@example.com');
      await expectRejection(f.verification.chooseDevice(session.id, agent), NoTrustedDeviceError);
      expect((await f.verification.get(session.id)).state).to.equal('started');
    });

    it('frees the slot when the device service cannot be reached, so the agent can retry', async () => {
      const session = await startFor(f);
      f.device.failNext = true;
      await expectRejection(f.verification.chooseDevice(session.id, agent), DeliveryFailedError);
      expect(types(f)).to.include('device_prompt_failed');
      expect((await f.verification.chooseDevice(session.id, agent)).state).to.equal('awaiting_device');
    });
  });

  describe('by support PIN', () => {
    it('verifies with the PIN the customer generated, once', async () => {
      const { pin, expiresAt } = await f.verification.issuePin('demo-alex');
      expect(pin).to.match(/^\d{4}$/u);
      expect(expiresAt).to.equal(f.clock.now() + 10 * MINUTE);
      const session = await startFor(f);
      expect((await f.verification.choosePin(session.id, agent)).pinTriesLeft).to.equal(3);
      const { session: verified, result } = await f.verification.submitPin(session.id, pin, agent);
      expect(result).to.equal('accepted');
      expect(verified.state).to.equal('verified');
      expect(types(f)).to.include.members(['pin_issued', 'method_chosen', 'pin_accepted', 'grant_issued']);

      const reuse = await startFor(f);
      await f.verification.choosePin(reuse.id, agent);
      expect((await f.verification.submitPin(reuse.id, pin, agent)).result).to.equal('rejected');
    });

    it('fails the session after 3 wrong PINs and voids the PIN', async () => {
      const { pin } = await f.verification.issuePin('demo-alex');
      const session = await startFor(f);
      await f.verification.choosePin(session.id, agent);
      const first = await wrongPin(f, session.id, pin);
      expect(first).to.deep.include({ result: 'rejected' });
      expect(first.session.pinTriesLeft).to.equal(2);
      expect((await wrongPin(f, session.id, pin)).session.pinTriesLeft).to.equal(1);
      const last = await wrongPin(f, session.id, pin);
      expect(last.session).to.include({ state: 'failed', reason: 'pin_tries_exhausted' });
      await expectRejection(f.verification.submitPin(session.id, pin, agent), IllegalTransitionError);

      const next = await startFor(f);
      await f.verification.choosePin(next.id, agent);
      expect((await f.verification.submitPin(next.id, pin, agent)).result, 'voided PIN').to.equal('rejected');
    });

    it('locks PIN checks for 24 h after 10 wrong PINs across sessions, showing the real tries left, then unlocks', async () => {
      let last: Awaited<ReturnType<typeof wrongPin>> | undefined;
      const triesShown: number[] = [];
      for (let i = 0; i < 10; i++) {
        const { pin } = await f.verification.issuePin('demo-alex');
        const session = await startFor(f);
        triesShown.push((await f.verification.choosePin(session.id, agent)).pinTriesLeft ?? -1);
        last = await wrongPin(f, session.id, pin);
      }
      expect(triesShown, 'the account’s last wrong PINs, not a session’s 3').to.deep.equal([
        3, 3, 3, 3, 3, 3, 3, 3, 2, 1,
      ]);
      expect(last?.result).to.equal('locked');
      expect(last?.session).to.include({ state: 'failed', reason: 'pin_locked' });
      expect(types(f)).to.include('pin_locked');
      const lockedAt = f.clock.now();

      const refused = await expectRejection(f.verification.issuePin('demo-alex'), PinsLockedError);
      expect(refused.until, 'the portal says until when').to.equal(lockedAt + 24 * 60 * MINUTE);
      const session = await startFor(f);
      expect(session.availability?.pinLockedUntil, 'the card knows before offering the PIN').to.equal(refused.until);
      const locked = await expectRejection(f.verification.choosePin(session.id, agent), PinsLockedError);
      expect(locked.session?.state, 'nothing asked for').to.equal('started');

      f.clock.advance(24 * 60 * MINUTE);
      const fresh = await f.verification.issuePin('demo-alex');
      const after = await startFor(f);
      expect(after.availability).to.equal(undefined);
      await f.verification.choosePin(after.id, agent);
      expect((await f.verification.submitPin(after.id, fresh.pin, agent)).result).to.equal('accepted');
    });

    it('runs the lock 24 h from the try that caused it: tries during it are refused, uncounted, and do not extend it', async () => {
      for (let i = 0; i < 10; i++) {
        const { pin } = await f.verification.issuePin('demo-alex');
        const session = await startFor(f);
        await f.verification.choosePin(session.id, agent);
        await wrongPin(f, session.id, pin);
      }
      const until = f.clock.now() + 24 * 60 * MINUTE;
      // Every hour, someone tries again: each is refused as locked until the same time, and none re-arms it.
      for (let hour = 1; hour <= 23; hour++) {
        f.clock.advance(60 * MINUTE);
        const session = await startFor(f);
        const refused = await expectRejection(f.verification.choosePin(session.id, agent), PinsLockedError);
        expect(refused.until, `hour ${hour}`).to.equal(until);
      }
      f.clock.advance(60 * MINUTE + 1);
      const fresh = await f.verification.issuePin('demo-alex');
      const after = await startFor(f);
      await f.verification.choosePin(after.id, agent);
      expect((await f.verification.submitPin(after.id, fresh.pin, agent)).result, '24 h after the lock').to.equal(
        'accepted',
      );
      expect(types(f).filter((t) => t === 'pin_locked').length, 'one lock, and one refusal audited per try').to.equal(
        24,
      );
    });

    it('does not count a right PIN against the account', async () => {
      for (let i = 0; i < 12; i++) {
        const { pin } = await f.verification.issuePin('demo-alex');
        const session = await startFor(f);
        await f.verification.choosePin(session.id, agent);
        expect((await f.verification.submitPin(session.id, pin, agent)).result).to.equal('accepted');
      }
    });

    it('treats an expired PIN like a wrong one', async () => {
      const { pin } = await f.verification.issuePin('demo-alex');
      f.clock.advance(10 * MINUTE);
      const session = await startFor(f);
      await f.verification.choosePin(session.id, agent);
      expect((await f.verification.submitPin(session.id, pin, agent)).result).to.equal('rejected');
    });

    it('refuses a malformed PIN without using a try', async () => {
      const session = await startFor(f);
      await f.verification.choosePin(session.id, agent);
      for (const bad of ['', '123', '12345', 'abcd', '12 4', '١٢٣٤']) {
        await expectRejection(f.verification.submitPin(session.id, bad, agent), RequestInvalidError);
      }
      expect((await f.verification.get(session.id)).pinTriesLeft).to.equal(3);
    });

    it('refuses a PIN before the PIN step', async () => {
      const session = await startFor(f);
      await expectRejection(f.verification.submitPin(session.id, '4821', agent), IllegalTransitionError);
    });

    it('takes the PIN from the customer’s side of the conversation too, from the customer it is for', async () => {
      const { pin } = await f.verification.issuePin('demo-alex');
      const session = await f.verification.start({ agent: AGENT, query: 'alex@example.com', customer: CUSTOMER });
      await f.verification.choosePin(session.id, agent);
      expect((await f.verification.submitPin(session.id, pin, { kind: 'customer', who: CUSTOMER })).result).to.equal(
        'accepted',
      );
    });

    it('answers a duplicate submitted while the first is checked with "busy", using no try', async () => {
      const { pin } = await f.verification.issuePin('demo-alex');
      const session = await startFor(f);
      await f.verification.choosePin(session.id, agent);
      const [first, second] = await Promise.all([
        f.verification.submitPin(session.id, pin, agent),
        f.verification.submitPin(session.id, pin, agent),
      ]);
      expect([first.result, second.result]).to.have.members(['accepted', 'busy']);
      expect((await f.verification.get(session.id)).state).to.equal('verified');
    });

    it('refuses a PIN for an unknown account', async () => {
      await expectRejection(f.verification.issuePin('demo-nobody'), AccountNotFoundError);
    });
  });

  describe('the grant', () => {
    async function verified(): Promise<Session> {
      const { pin } = await f.verification.issuePin('demo-alex');
      const session = await startFor(f);
      await f.verification.choosePin(session.id, agent);
      return (await f.verification.submitPin(session.id, pin, agent)).session;
    }

    it('shows the limited profile with serials to the verifying agent only', async () => {
      const session = await verified();
      const profile = await f.verification.profile(session.id, AGENT);
      expect(profile.devices.map((d) => d.serial)).to.deep.equal(['DMPXK1ALEX01', 'C02ZK2ALEX02']);
      await expectRejection(f.verification.profile(session.id, OTHER_AGENT), NotAuthorizedError);
    });

    it('ends after 15 minutes', async () => {
      const session = await verified();
      f.clock.advance(15 * MINUTE);
      await expectRejection(f.verification.profile(session.id, AGENT), NotAuthorizedError);
      expect(await f.verification.get(session.id)).to.include({ state: 'closed', reason: 'grant_expired' });
      expect(types(f)).to.include('grant_expired');
    });

    it('ends at once when the agent revokes it, and only the agent may', async () => {
      const session = await verified();
      await expectRejection(f.verification.revoke(session.id, { kind: 'agent', who: OTHER_AGENT }), NotAuthorizedError);
      expect((await f.verification.revoke(session.id, agent)).state).to.equal('closed');
      await expectRejection(f.verification.profile(session.id, AGENT), NotAuthorizedError);
    });

    it('ends when the support conversation closes', async () => {
      const session = await verified();
      expect(await f.verification.conversationClosed(session.id)).to.include({
        state: 'closed',
        reason: 'conversation_closed',
      });
    });
  });

  describe('ending', () => {
    it('expires a session left open for 30 minutes', async () => {
      const session = await startFor(f);
      f.clock.advance(30 * MINUTE);
      expect(await f.verification.get(session.id)).to.include({ state: 'expired', reason: 'session_expired' });
    });

    it('lets only the agent who started it cancel it', async () => {
      const session = await startFor(f);
      await expectRejection(f.verification.cancel(session.id, { kind: 'agent', who: OTHER_AGENT }), NotAuthorizedError);
      expect((await f.verification.cancel(session.id, agent)).state).to.equal('cancelled');
    });
  });

  describe('what the account’s owner is told', () => {
    it('mails a receipt after a success, in the customer’s language', async () => {
      const session = await f.verification.start({ agent: AGENT, query: 'jan@example.nl' });
      const waiting = await f.verification.chooseDevice(session.id, agent);
      await f.verification.deviceResponse(f.device.last().promptId, 'confirmed', waiting.prompt?.matchNumber);
      await f.verification.idle();
      expect(f.mailer.sent).to.have.length(1);
      const [mail] = f.mailer.sent;
      expect(mail).to.include({ to: 'jan@example.nl', locale: 'nl' });
      expect(mail?.subject).to.equal('Je bent geverifieerd door support van Example Co');
      expect(mail?.text).to.contain('Robin').and.contain('Slack').and.contain('vertrouwde apparaat');
    });

    it('mails whatever the outcome: denied, failed, expired, cancelled', async () => {
      const denied = await startFor(f);
      await f.verification.chooseDevice(denied.id, agent);
      await f.verification.deviceResponse(f.device.last().promptId, 'denied');
      const failed = await startFor(f);
      await f.verification.choosePin(failed.id, agent);
      for (let i = 0; i < 3; i++) await wrongPin(f, failed.id, '0000');
      const cancelled = await startFor(f);
      await f.verification.cancel(cancelled.id, agent);
      const expired = await startFor(f);
      f.clock.advance(30 * MINUTE);
      await f.verification.get(expired.id);
      await f.verification.idle();
      expect(f.mailer.sent.map((m) => m.subject)).to.deep.equal(
        Array(4).fill('Someone tried to verify your Example Co account'),
      );
      const outcomes = f.mailer.sent.map((m) => /Result: ([^.]+)\./u.exec(m.text)?.[1]);
      expect(outcomes).to.deep.equal([
        'you refused the request',
        'the check failed',
        'the agent cancelled the check',
        'the check timed out',
      ]);
    });

    it('never lets a failing mailer change the outcome, and reports the failure', async () => {
      f.mailer.send = async () => {
        throw new Error('smtp down');
      };
      const { pin } = await f.verification.issuePin('demo-alex');
      const session = await startFor(f);
      await f.verification.choosePin(session.id, agent);
      expect((await f.verification.submitPin(session.id, pin, agent)).result).to.equal('accepted');
      await f.verification.idle();
      expect(f.backgroundErrors.map((e) => e.what)).to.deep.equal(['outcome email']);
      expect((await f.verification.get(session.id)).state).to.equal('verified');
    });
  });

  it('lists an agent’s recent verifications, newest first, as they are now', async () => {
    const first = await startFor(f);
    const second = await startFor(f, 'jan@example.nl');
    await f.verification.cancel(first.id, agent);
    await f.verification.start({ agent: OTHER_AGENT, query: 'demo-sam' });
    const recent = await f.verification.recent(AGENT);
    expect(recent.map((s) => [s.id, s.state])).to.deep.equal([
      [second.id, 'started'],
      [first.id, 'cancelled'],
    ]);
    expect(await f.verification.recent({ ...AGENT, workspaceId: 'T_OTHER' })).to.deep.equal([]);
    expect(await f.verification.recent(AGENT, 1)).to.have.length(1);
  });

  it('audits an unauthorized agent', async () => {
    await f.verification.agentUnauthorized({ channel: 'slack', agentId: 'U_STRANGER', workspaceId: 'T_ELSE' });
    expect(f.audit.events).to.deep.equal([
      {
        type: 'agent_unauthorized',
        at: f.clock.now(),
        outcome: 'failure',
        channel: 'slack',
        agent: { channel: 'slack', workspaceId: 'T_ELSE', id: 'U_STRANGER' },
      },
    ]);
  });

  it('audits a redaction by kind only, tied to the session when there is one', async () => {
    const session = await startFor(f);
    await f.verification.secretRedacted({ channel: 'webchat', findings: [], sessionId: session.id });
    await f.verification.secretRedacted({ channel: 'webchat', findings: ['password'], sessionId: session.id });
    await f.verification.secretRedacted({ channel: 'slack', findings: ['verification_code', 'recovery_key'] });
    const redactions = f.audit.events.filter((e) => e.type === 'secret_redacted');
    expect(redactions).to.have.length(2);
    expect(redactions[0]).to.deep.include({ channel: 'webchat', findings: ['password'], sessionId: session.id });
    expect(redactions[0]?.account).to.match(/^[0-9a-f]{32}$/u);
    expect(redactions[1]).to.deep.include({ channel: 'slack', findings: ['verification_code', 'recovery_key'] });
  });

  it('publishes every committed change once, in version order', async () => {
    const session = await startFor(f);
    await f.verification.choosePin(session.id, agent);
    await f.verification.cancel(session.id, agent);
    await new Promise((r) => setImmediate(r));
    expect(f.updates).to.deep.equal([
      { sessionId: session.id, version: 1, state: 'started', deadline: session.expiresAt },
      { sessionId: session.id, version: 2, state: 'awaiting_pin', deadline: session.expiresAt },
      { sessionId: session.id, version: 3, state: 'cancelled' },
    ]);
  });
});

function types(f: FlowFixture): string[] {
  return f.audit.events.map((e) => e.type);
}
