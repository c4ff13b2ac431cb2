import { expect } from 'chai';
import {
  CustomerUnidentifiedError,
  NotAuthorizedError,
  NotTheCustomerError,
  RequestInvalidError,
} from '../../../core/errors.ts';
import type { CustomerRef, Identity, Session } from '../../../core/session.ts';
import { expectRejection } from '../../support/assertions.ts';
import { AGENT, type FlowFixture, flowFixture } from '../../support/fakes.ts';

const agent = { kind: 'agent', who: AGENT } as const;
const ALEX: CustomerRef = { channel: 'slack', workspaceId: 'T_WORK', id: 'U_ALEX', displayName: 'Alex' };
const SAM: CustomerRef = { channel: 'slack', workspaceId: 'T_WORK', id: 'U_SAM', displayName: 'Sam' };
const customer = (who: Identity) => ({ kind: 'customer', who }) as const;

describe('who answers for the customer', () => {
  let f: FlowFixture;
  let pin: string;
  beforeEach(async () => {
    f = await flowFixture();
    pin = (await f.verification.issuePin('demo-alex')).pin;
  });
  async function waitingForPin(named?: CustomerRef): Promise<Session> {
    const session = await f.verification.start({
      agent: AGENT,
      query: 'alex@example.com',
      ...(named ? { customer: named } : {}),
    });
    return f.verification.choosePin(session.id, agent);
  }
  const wrong = () => (pin === '1357' ? '2468' : '1357');
  const refusals = () => f.audit.events.filter((e) => e.type === 'customer_refused');

  describe('a named customer', () => {
    it('is the only one whose PIN counts; anyone else is refused before anything is counted', async () => {
      const session = await waitingForPin(ALEX);
      for (let i = 0; i < 5; i++)
        await expectRejection(f.verification.submitPin(session.id, wrong(), customer(SAM)), NotTheCustomerError);
      expect((await f.verification.get(session.id)).pinTriesLeft, 'no try used').to.equal(3);
      expect(refusals()).to.have.length(5);
      expect(refusals()[0]?.customer, 'the audit names who tried, scoped').to.deep.equal({
        channel: 'slack',
        workspaceId: 'T_WORK',
        id: 'U_SAM',
      });
      expect((await f.verification.submitPin(session.id, pin, customer(ALEX))).result).to.equal('accepted');
    });

    it('is someone else when seen through another workspace or channel with the same user id', async () => {
      const session = await waitingForPin(ALEX);
      await expectRejection(
        f.verification.submitPin(session.id, pin, customer({ ...ALEX, workspaceId: 'T_ELSEWHERE' })),
        NotTheCustomerError,
      );
      await expectRejection(
        f.verification.submitPin(session.id, pin, customer({ channel: 'teams', id: 'U_ALEX' })),
        NotTheCustomerError,
      );
      expect((await f.verification.get(session.id)).state).to.equal('awaiting_pin');
    });

    it('cannot be the agent, and the agent cannot answer as the customer', async () => {
      await expectRejection(
        f.verification.start({ agent: AGENT, query: 'alex@example.com', customer: { ...AGENT } }),
        RequestInvalidError,
      );
      const session = await waitingForPin(ALEX);
      await expectRejection(f.verification.submitPin(session.id, pin, customer(AGENT)), NotAuthorizedError);
      await expectRejection(f.verification.forCustomer(session.id, AGENT), NotAuthorizedError);
    });

    it('is the one a customer dialog opens for', async () => {
      const session = await waitingForPin(ALEX);
      expect((await f.verification.forCustomer(session.id, ALEX)).id).to.equal(session.id);
      await expectRejection(f.verification.forCustomer(session.id, SAM), NotTheCustomerError);
    });
  });

  describe('nobody named', () => {
    it('takes no customer PIN until someone identifies', async () => {
      const session = await waitingForPin();
      await expectRejection(f.verification.submitPin(session.id, pin, customer(ALEX)), CustomerUnidentifiedError);
      expect((await f.verification.get(session.id)).pinTriesLeft).to.equal(3);
    });

    it('binds the first to identify, shows the agent who, and refuses everyone after', async () => {
      const session = await waitingForPin();
      const bound = await f.verification.identifyCustomer(session.id, ALEX);
      expect(bound.customer).to.deep.equal(ALEX);
      expect(f.updates.at(-1)?.version, 'published, so the agent’s card shows who').to.equal(bound.version);
      expect(f.audit.events.at(-1)).to.deep.include({
        type: 'customer_identified',
        customer: {
          channel: 'slack',
          workspaceId: 'T_WORK',
          id: 'U_ALEX',
        },
      });
      expect(
        (await f.verification.identifyCustomer(session.id, ALEX)).version,
        'pressing again changes nothing',
      ).to.equal(bound.version);
      await expectRejection(f.verification.identifyCustomer(session.id, SAM), NotTheCustomerError);
      await expectRejection(f.verification.submitPin(session.id, pin, customer(SAM)), NotTheCustomerError);
      expect((await f.verification.submitPin(session.id, pin, customer(ALEX))).result).to.equal('accepted');
    });

    it('binds exactly one of many pressing at once', async () => {
      const session = await waitingForPin();
      const people = Array.from({ length: 6 }, (_, i) => ({ ...ALEX, id: `U_PERSON_${i}` }));
      const outcomes = await Promise.allSettled(people.map((p) => f.verification.identifyCustomer(session.id, p)));
      expect(outcomes.filter((o) => o.status === 'fulfilled')).to.have.length(1);
      const winner = (await f.verification.get(session.id)).customer;
      expect(people.map((p) => p.id)).to.include(winner?.id);
    });

    it('never binds the agent, nor anyone once the session has ended', async () => {
      const session = await waitingForPin();
      await expectRejection(f.verification.identifyCustomer(session.id, AGENT), NotAuthorizedError);
      await f.verification.cancel(session.id, agent);
      await expectRejection(f.verification.identifyCustomer(session.id, ALEX), Error);
      expect((await f.verification.get(session.id)).customer).to.equal(undefined);
    });
  });

  describe('identities across channels', () => {
    it('never lets a Teams user with a Slack agent’s id act on, read or revoke the Slack session', async () => {
      const session = await waitingForPin();
      const impostor = { kind: 'agent', who: { channel: 'teams', id: AGENT.id } } as const;
      await expectRejection(f.verification.cancel(session.id, impostor), NotAuthorizedError);
      await expectRejection(f.verification.submitPin(session.id, pin, impostor), NotAuthorizedError);
      const verified = (await f.verification.submitPin(session.id, pin, agent)).session;
      await expectRejection(f.verification.profile(verified.id, impostor.who), NotAuthorizedError);
      await expectRejection(f.verification.revoke(verified.id, impostor), NotAuthorizedError);
      expect((await f.verification.get(verified.id)).state).to.equal('verified');
      expect(await f.verification.recent(impostor.who)).to.deep.equal([]);
    });
  });
});
