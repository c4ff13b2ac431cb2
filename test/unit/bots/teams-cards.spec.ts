import { expect } from 'chai';
import { DemoAccounts } from '../../../adapters/accounts/demo-accounts.ts';
import {
  cardTime,
  escapeCardMarkdown,
  renderAgentCardTeams,
  renderCustomerCardTeams,
  renderCustomerPinDialog,
  renderSharedCardTeams,
  renderVerifyDialog,
} from '../../../bots/teams/cards.ts';
import { type Locale, REASSURANCE } from '../../../core/messages/catalog.ts';
import type { Session, SessionState } from '../../../core/session.ts';
import { sampleSession } from '../../contract/session-store.contract.ts';
import { assertValidCard, cardText } from '../../support/adaptive-cards.ts';

const NOW = Date.parse('2026-11-24T10:00:00Z');
const STATES: Array<[SessionState, Partial<Session>]> = [
  ['started', {}],
  ['awaiting_device', { prompt: { id: 'p1', expiresAt: NOW + 120_000, matchNumber: 42 } }],
  ['awaiting_pin', { pinTriesLeft: 2 }],
  ['verified', { grant: { agentId: '29:agent', expiresAt: NOW + 900_000 } }],
  ['denied', { reason: 'device_denied' }],
  ['failed', { reason: 'pin_tries_exhausted' }],
  ['expired', { reason: 'prompt_expired' }],
  ['cancelled', { reason: 'cancelled_by_agent' }],
  ['closed', { reason: 'grant_revoked' }],
];

describe('Teams cards', () => {
  let accounts: DemoAccounts;
  before(async () => {
    accounts = await DemoAccounts.load();
  });

  for (const locale of ['en', 'nl'] as Locale[]) {
    for (const [state, extra] of STATES) {
      it(`renders the agent’s, everyone else’s and the customer’s card for ${state} (${locale}) as valid Adaptive Cards`, async () => {
        const session = sampleSession({
          state,
          customerLocale: locale,
          agent: { id: '29:agent', displayName: 'Robin', channel: 'teams', locale },
          ...extra,
        });
        const account = await accounts.summary('demo-alex');
        const profile = state === 'verified' ? await accounts.profile('demo-alex') : undefined;
        const context = { locale, company: 'Example Co', pinMinutes: 10, now: NOW };
        const agent = renderAgentCardTeams(
          { session, account, ...(profile ? { profile } : {}), customerInChannel: false, ...context },
          '29:agent',
        );
        assertValidCard(agent);
        expect(agent.refresh?.userIds).to.deep.equal(['29:agent']);
        if (state === 'verified') expect(cardText(agent)).to.contain('DMPXK1ALEX01');
        else expect(cardText(agent)).not.to.contain('DMPXK1ALEX01');

        const shared = renderSharedCardTeams(session, '29:agent', locale);
        assertValidCard(shared);
        expect(cardText(shared)).not.to.contain('Alex');

        const customer = renderCustomerCardTeams(session, account, context);
        if (customer) assertValidCard(customer);
        if (customer && (state === 'awaiting_device' || state === 'awaiting_pin'))
          expect(cardText(customer)).to.contain(REASSURANCE[locale]);
      });
    }
    it(`renders the PIN and verify dialogs (${locale}) as valid Adaptive Cards`, () => {
      assertValidCard(renderCustomerPinDialog('s1', locale, 2, 'Not accepted'));
      assertValidCard(renderVerifyDialog('alex@example.com', locale));
    });
  }

  it('offers the customer the confirmation page as a link button while a passkey prompt waits', async () => {
    const session = sampleSession({
      state: 'awaiting_device',
      customerLocale: 'nl',
      prompt: { id: 'p1', expiresAt: NOW + 120_000, matchNumber: 42 },
    });
    const account = await accounts.summary('demo-jan');
    const confirmUrl = 'https://verify.example.com/confirm#p=p1&t=v1.prompt.x';
    const card = renderCustomerCardTeams(session, account, {
      locale: 'nl',
      company: 'Example Co',
      pinMinutes: 10,
      now: NOW,
      confirmUrl,
    });
    if (!card) throw new Error('no card');
    assertValidCard(card);
    expect(card.actions).to.deep.equal([
      { type: 'Action.OpenUrl', title: 'Bevestig dat jij het bent', url: confirmUrl, style: 'positive' },
    ]);
    const without = renderCustomerCardTeams(session, account, {
      locale: 'nl',
      company: 'Example Co',
      pinMinutes: 10,
      now: NOW,
    });
    expect(without?.actions, 'no link without the passkeys').to.equal(undefined);
  });

  it('escapes markdown in names so a customer cannot inject links or emphasis', () => {
    expect(escapeCardMarkdown('[click](https://evil.example) *now*')).to.equal(
      '\\[click\\](https://evil.example) \\*now\\*',
    );
  });

  it('shows times in the reader’s own zone through the card’s TIME function', () => {
    expect(cardTime(Date.parse('2026-11-24T10:15:00.123Z'))).to.equal('{{TIME(2026-11-24T10:15:00Z)}}');
  });
});
