import { expect } from 'chai';
import { IllegalTransitionError } from '../../../core/errors.ts';
import {
  dueEvent,
  grantIsActive,
  SESSION_EVENT_TYPES,
  SESSION_STATES,
  type Session,
  type SessionEvent,
  type SessionEventType,
  type SessionState,
  transition,
} from '../../../core/session.ts';

const NOW = Date.parse('2026-11-24T10:00:00Z');
const PROMPT = { id: 'sess-1.aaaaaaaaaaaa', expiresAt: NOW + 120_000, matchNumber: 42 };

function sessionIn(state: SessionState): Session {
  return {
    id: 'sess-1',
    version: 3,
    state,
    accountId: 'demo-alex',
    customerLocale: 'en',
    agent: { id: 'U1', displayName: 'Robin', channel: 'slack', locale: 'en' },
    createdAt: NOW - 60_000,
    updatedAt: NOW - 30_000,
    expiresAt: NOW + 29 * 60_000,
    ...(state === 'awaiting_device' ? { method: 'device' as const, prompt: PROMPT } : {}),
    ...(state === 'awaiting_pin' ? { method: 'pin' as const, pinTriesLeft: 3 } : {}),
    ...(state === 'verified' ? { method: 'pin' as const, grant: { agentId: 'U1', expiresAt: NOW + 15 * 60_000 } } : {}),
  };
}

const EVENTS: Record<SessionEventType, SessionEvent> = {
  choose_device: { type: 'choose_device', prompt: PROMPT },
  choose_pin: { type: 'choose_pin', triesLeft: 3 },
  customer_identified: { type: 'customer_identified', customer: { channel: 'slack', workspaceId: 'T1', id: 'U9' } },
  prompt_undeliverable: { type: 'prompt_undeliverable', promptId: PROMPT.id },
  device_confirmed: { type: 'device_confirmed', promptId: PROMPT.id, grantExpiresAt: NOW + 900_000 },
  device_denied: { type: 'device_denied', promptId: PROMPT.id, reason: 'device_denied' },
  prompt_expired: { type: 'prompt_expired', promptId: PROMPT.id },
  pin_accepted: { type: 'pin_accepted', grantExpiresAt: NOW + 900_000 },
  pin_rejected: { type: 'pin_rejected', triesLeft: 2 },
  pin_locked: { type: 'pin_locked' },
  cancel: { type: 'cancel' },
  expire: { type: 'expire' },
  conversation_closed: { type: 'conversation_closed' },
  revoke: { type: 'revoke' },
  grant_expired: { type: 'grant_expired' },
  availability_changed: { type: 'availability_changed', availability: { pinFailuresLeft: 1 } },
  account_alert: { type: 'account_alert', alert: 'fraud_reported' },
};

const OPEN_MOVES: Partial<Record<SessionEventType, SessionState>> = {
  choose_device: 'awaiting_device',
  choose_pin: 'awaiting_pin',
  cancel: 'cancelled',
  expire: 'expired',
  conversation_closed: 'cancelled',
};

/** The whole table, written out: what every state does with every event. Absent means refused. */
const EXPECTED: Record<SessionState, Partial<Record<SessionEventType, SessionState>>> = {
  started: { ...OPEN_MOVES, customer_identified: 'started', availability_changed: 'started' },
  awaiting_device: {
    ...OPEN_MOVES,
    customer_identified: 'awaiting_device',
    availability_changed: 'awaiting_device',
    prompt_undeliverable: 'started',
    device_confirmed: 'verified',
    device_denied: 'denied',
    prompt_expired: 'expired',
  },
  awaiting_pin: {
    ...OPEN_MOVES,
    customer_identified: 'awaiting_pin',
    availability_changed: 'awaiting_pin',
    pin_accepted: 'verified',
    pin_rejected: 'awaiting_pin',
    pin_locked: 'failed',
  },
  verified: { revoke: 'closed', grant_expired: 'closed', conversation_closed: 'closed', account_alert: 'closed' },
  denied: {},
  failed: {},
  expired: {},
  cancelled: {},
  closed: {},
};

describe('session transitions', () => {
  for (const state of SESSION_STATES) {
    describe(`from ${state}`, () => {
      for (const type of SESSION_EVENT_TYPES) {
        const target = EXPECTED[state][type];
        it(target ? `${type} → ${target}` : `refuses ${type}`, () => {
          const before = sessionIn(state);
          const frozen = structuredClone(before);
          if (target) {
            const next = transition(before, EVENTS[type], NOW);
            expect(next.state).to.equal(target);
            expect(next.version).to.equal(before.version + 1);
            expect(next.updatedAt).to.equal(NOW);
          } else {
            expect(() => transition(before, EVENTS[type], NOW)).to.throw(IllegalTransitionError);
          }
          expect(before, 'the input session is never mutated').to.deep.equal(frozen);
        });
      }
    });
  }

  it('grants access to the verifying agent until the grant ends, by either method', () => {
    const byDevice = transition(sessionIn('awaiting_device'), EVENTS.device_confirmed, NOW);
    expect(byDevice.grant).to.deep.equal({ agentId: 'U1', expiresAt: NOW + 900_000 });
    expect(byDevice.reason).to.equal('device_confirmed');
    expect(byDevice.prompt).to.equal(undefined);
    const byPin = transition(sessionIn('awaiting_pin'), EVENTS.pin_accepted, NOW);
    expect(byPin.grant?.agentId).to.equal('U1');
    expect(byPin.reason).to.equal('pin_accepted');
  });

  it('binds the first customer to identify, and never a second one', () => {
    const alex = { channel: 'slack', workspaceId: 'T1', id: 'U9', displayName: 'Alex' } as const;
    const bound = transition(sessionIn('awaiting_pin'), { type: 'customer_identified', customer: alex }, NOW);
    expect(bound.customer).to.deep.equal(alex);
    const again = transition(bound, { type: 'customer_identified', customer: alex }, NOW);
    expect(again.customer).to.deep.equal(alex);
    expect(() =>
      transition(bound, { type: 'customer_identified', customer: { ...alex, id: 'U8', displayName: 'Sam' } }, NOW),
    ).to.throw(IllegalTransitionError);
    expect(
      () => transition(bound, { type: 'customer_identified', customer: { ...alex, workspaceId: 'T2' } }, NOW),
      'the same user id seen through another workspace is someone else',
    ).to.throw(IllegalTransitionError);
  });

  it('fails the session when the last PIN try is wrong', () => {
    const next = transition(sessionIn('awaiting_pin'), { type: 'pin_rejected', triesLeft: 0 }, NOW);
    expect(next.state).to.equal('failed');
    expect(next.reason).to.equal('pin_tries_exhausted');
    expect(next.pinTriesLeft).to.equal(0);
  });

  it('keeps counting tries while some are left', () => {
    const next = transition(sessionIn('awaiting_pin'), { type: 'pin_rejected', triesLeft: 1 }, NOW);
    expect(next.state).to.equal('awaiting_pin');
    expect(next.pinTriesLeft).to.equal(1);
  });

  it('records why a device prompt was refused', () => {
    for (const reason of ['device_denied', 'fraud_reported', 'number_mismatch'] as const) {
      const next = transition(
        sessionIn('awaiting_device'),
        { type: 'device_denied', promptId: PROMPT.id, reason },
        NOW,
      );
      expect(next.state).to.equal('denied');
      expect(next.reason).to.equal(reason);
    }
  });

  it('goes back to choosing a method, with a note, when the prompt could not be delivered', () => {
    const next = transition(sessionIn('awaiting_device'), EVENTS.prompt_undeliverable, NOW);
    expect(next).to.include({ state: 'started', notice: 'device_unreachable' });
    expect(next).to.not.have.any.keys('prompt', 'method');
    expect(() =>
      transition(sessionIn('awaiting_device'), { type: 'prompt_undeliverable', promptId: 'another' }, NOW),
    ).to.throw(IllegalTransitionError);
    const retried = transition(next, EVENTS.choose_pin, NOW);
    expect(retried, 'the note is shown once, until the next step').to.not.have.property('notice');
  });

  it('refuses an answer for another prompt than the current one', () => {
    const stale = { ...EVENTS.device_confirmed, promptId: 'sess-1.bbbbbbbbbbbb' } as SessionEvent;
    expect(() => transition(sessionIn('awaiting_device'), stale, NOW)).to.throw(IllegalTransitionError, /stale/);
    const staleDeny = { ...EVENTS.device_denied, promptId: 'sess-1.bbbbbbbbbbbb' } as SessionEvent;
    expect(() => transition(sessionIn('awaiting_device'), staleDeny, NOW)).to.throw(IllegalTransitionError);
    const staleExpiry = { type: 'prompt_expired', promptId: 'sess-1.bbbbbbbbbbbb' } as SessionEvent;
    expect(() => transition(sessionIn('awaiting_device'), staleExpiry, NOW)).to.throw(IllegalTransitionError);
  });

  it('refuses a confirmation that arrives after the prompt expired', () => {
    expect(() => transition(sessionIn('awaiting_device'), EVENTS.device_confirmed, PROMPT.expiresAt)).to.throw(
      IllegalTransitionError,
      /expired/,
    );
  });

  it('refuses progress after the session lifetime, but still lets it expire, cancel or close', () => {
    const late = sessionIn('awaiting_pin').expiresAt;
    expect(() => transition(sessionIn('awaiting_pin'), EVENTS.pin_accepted, late)).to.throw(IllegalTransitionError);
    expect(() => transition(sessionIn('started'), EVENTS.choose_pin, late)).to.throw(IllegalTransitionError);
    expect(transition(sessionIn('awaiting_pin'), EVENTS.expire, late).state).to.equal('expired');
    expect(transition(sessionIn('awaiting_pin'), EVENTS.cancel, late).state).to.equal('cancelled');
    expect(transition(sessionIn('started'), EVENTS.conversation_closed, late).state).to.equal('cancelled');
  });

  it('ends a grant without keeping it, however it ends', () => {
    for (const [type, reason] of [
      ['revoke', 'grant_revoked'],
      ['grant_expired', 'grant_expired'],
      ['conversation_closed', 'conversation_closed'],
    ] as const) {
      const next = transition(sessionIn('verified'), EVENTS[type], NOW);
      expect(next.state).to.equal('closed');
      expect(next.reason).to.equal(reason);
      expect(next.grant).to.equal(undefined);
    }
  });

  it('keeps the tries left when the agent switches from PIN to device and back', () => {
    const pin = transition(sessionIn('awaiting_pin'), { type: 'pin_rejected', triesLeft: 1 }, NOW);
    const device = transition(pin, EVENTS.choose_device, NOW);
    expect(device.pinTriesLeft).to.equal(1);
    expect(device.prompt?.id).to.equal(PROMPT.id);
    const back = transition(device, { type: 'choose_pin', triesLeft: 1 }, NOW);
    expect(back.prompt).to.equal(undefined);
    expect(back.state).to.equal('awaiting_pin');
  });
});

describe('dueEvent', () => {
  it('is nothing while every deadline is ahead', () => {
    for (const state of SESSION_STATES) expect(dueEvent(sessionIn(state), NOW)).to.equal(undefined);
  });

  it('expires an open session at its deadline', () => {
    for (const state of ['started', 'awaiting_device', 'awaiting_pin'] as const) {
      expect(dueEvent(sessionIn(state), sessionIn(state).expiresAt)).to.deep.equal({ type: 'expire' });
    }
  });

  it('expires a device prompt at its deadline', () => {
    expect(dueEvent(sessionIn('awaiting_device'), PROMPT.expiresAt)).to.deep.equal({
      type: 'prompt_expired',
      promptId: PROMPT.id,
    });
  });

  it('ends a grant at its deadline', () => {
    const session = sessionIn('verified');
    expect(dueEvent(session, session.grant?.expiresAt ?? 0)).to.deep.equal({ type: 'grant_expired' });
  });

  it('has nothing to do for final states, however late', () => {
    for (const state of ['denied', 'failed', 'expired', 'cancelled', 'closed'] as const) {
      expect(dueEvent(sessionIn(state), NOW + 365 * 86_400_000)).to.equal(undefined);
    }
  });
});

describe('grantIsActive', () => {
  it('is true only for the verifying agent, only until the grant ends', () => {
    const session = sessionIn('verified');
    const u1 = { channel: 'slack', id: 'U1' } as const;
    expect(grantIsActive(session, u1, NOW)).to.equal(true);
    expect(grantIsActive(session, { ...u1, id: 'U2' }, NOW)).to.equal(false);
    expect(grantIsActive(session, u1, NOW + 15 * 60_000)).to.equal(false);
    expect(grantIsActive(sessionIn('closed'), u1, NOW)).to.equal(false);
  });

  it('compares whole identities: the same user id on another channel or workspace is someone else', () => {
    const session = sessionIn('verified');
    expect(grantIsActive(session, { channel: 'teams', id: 'U1' }, NOW)).to.equal(false);
    expect(grantIsActive(session, { channel: 'slack', workspaceId: 'T_OTHER', id: 'U1' }, NOW)).to.equal(false);
  });
});
