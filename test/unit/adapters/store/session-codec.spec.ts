import { expect } from 'chai';
import { decodeSession, encodeSession } from '../../../../adapters/store/session-codec.ts';
import type { Session } from '../../../../core/session.ts';

const ID = '2daadfb9-f506-4929-a28d-626e53d29048';
const CREATED = 1_795_630_664_948;

/** A session with every field the type has, so a field added to Session and not to the codec fails here. */
const EVERYTHING: Required<Session> = {
  id: ID,
  version: 7,
  state: 'verified',
  accountId: 'demo-alex',
  customerLocale: 'nl',
  agent: {
    id: 'U0AGENT01',
    displayName: 'Robin “Rob” Agent',
    channel: 'slack',
    workspaceId: 'T0SUPPORT',
    locale: 'en',
  },
  createdAt: CREATED,
  updatedAt: CREATED + 65_000,
  expiresAt: CREATED + 1_800_000,
  method: 'device',
  prompt: { id: `${ID}.fdd0f351b744`, expiresAt: CREATED + 120_000, matchNumber: 83 },
  pinTriesLeft: 2,
  grant: { agentId: 'U0AGENT01', expiresAt: CREATED + 965_000 },
  reason: 'device_confirmed',
  notice: 'device_unreachable',
  customer: { id: 'U0CUSTOMER', channel: 'slack', workspaceId: 'T0SUPPORT', displayName: 'Alex de Vries' },
  conversation: 'slack:T0SUPPORT:C0SHARED1',
  refs: { 'slack-customer-channel': 'C0SHARED1', webchat: 'conv-1' },
  availability: {
    pinLockedUntil: CREATED + 86_400_000,
    pinFailuresLeft: 1,
    device: { blockedBy: 'cooldown', until: CREATED + 1_800_000 },
    activeGrant: { agentName: 'Sam Agent', mine: false, until: CREATED + 900_000 },
  },
};

describe('session codec (Redis)', () => {
  it('gives back exactly the session it was given, every field included', () => {
    expect(decodeSession(ID, encodeSession(EVERYTHING))).to.deep.equal(EVERYTHING);
    const { workspaceId: _, ...agent } = EVERYTHING.agent;
    const minimal: Session = {
      id: ID,
      version: 1,
      state: 'started',
      accountId: 'acct-1',
      customerLocale: 'en',
      agent,
      createdAt: CREATED,
      updatedAt: CREATED,
      expiresAt: CREATED + 1_800_000,
    };
    expect(decodeSession(ID, encodeSession(minimal))).to.deep.equal(minimal);
  });

  it('keeps a customer whose channel or workspace differs from the agent’s, or who has none', () => {
    for (const customer of [
      { id: 'conv-1', channel: 'webchat' as const },
      { id: 'U0CUSTOMER', channel: 'slack' as const, workspaceId: 'T0OTHER' },
      { id: 'c3c3c3c3-0000-4000-8000-00000000cust', channel: 'teams' as const, workspaceId: 'tenant-1' },
    ]) {
      const session = { ...EVERYTHING, customer };
      expect(decodeSession(ID, encodeSession(session)).customer).to.deep.equal(customer);
    }
  });

  it('keeps a prompt id that does not start with the session id as it is', () => {
    const session = { ...EVERYTHING, prompt: { id: 'legacy-prompt-1', expiresAt: CREATED + 1000 } };
    expect(decodeSession(ID, encodeSession(session)).prompt).to.deep.equal(session.prompt);
  });

  it('writes less than half of what JSON.stringify writes for a waiting session', () => {
    const {
      grant: _g,
      reason: _r,
      notice: _n,
      refs: _f,
      conversation: _h,
      pinTriesLeft: _t,
      availability: _a,
      ...waiting
    } = EVERYTHING;
    const compact = encodeSession({ ...waiting, state: 'awaiting_device' });
    expect(compact.length).to.be.below(JSON.stringify(waiting).length / 2 + 20);
    expect(compact, 'no id: the key holds it').to.not.contain(ID);
  });

  it('still reads sessions written by earlier versions as plain JSON', () => {
    expect(decodeSession(ID, JSON.stringify(EVERYTHING))).to.deep.equal(EVERYTHING);
  });
});
