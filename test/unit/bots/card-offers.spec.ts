import { expect } from 'chai';
import { DemoAccounts } from '../../../adapters/accounts/demo-accounts.ts';
import { renderAgentCard } from '../../../bots/slack/blocks.ts';
import { renderAgentCardTeams } from '../../../bots/teams/cards.ts';
import type { AccountSummary } from '../../../core/ports/index.ts';
import type { Availability, Session } from '../../../core/session.ts';
import { sampleSession } from '../../contract/session-store.contract.ts';
import { assertValidCard, cardText } from '../../support/adaptive-cards.ts';
import { assertValidBlocks } from '../../support/block-kit.ts';

const NOW = Date.parse('2026-11-24T10:00:00Z');
const LATER = NOW + 30 * 60_000;

/** Every label on a card's buttons, Slack's and Teams' alike. */
function slackButtons(session: Session, account: AccountSummary | undefined): string[] {
  const { blocks } = renderAgentCard({
    session,
    account,
    customerInChannel: false,
    locale: 'en',
    company: 'Example Co',
    pinMinutes: 10,
    now: NOW,
  });
  assertValidBlocks(blocks);
  return JSON.stringify(blocks)
    .match(/"type":"button","text":\{"type":"plain_text","text":"[^"]+"/gu)
    ?.map((m) => m.replace(/^.*"text":"/u, '').replace(/"$/u, '')) as string[];
}

function teams(session: Session, account: AccountSummary | undefined) {
  const card = renderAgentCardTeams(
    { session, account, customerInChannel: false, locale: 'en', company: 'Example Co', pinMinutes: 10, now: NOW },
    '29:agent',
  );
  assertValidCard(card);
  return { text: cardText(card), buttons: (card.actions ?? []).map((a) => String(a.title)) };
}

describe('agent cards offer only what the account allows now', () => {
  let account: AccountSummary | undefined;
  before(async () => {
    account = await (await DemoAccounts.load()).summary('demo-alex');
  });
  const started = (availability?: Availability) =>
    sampleSession({
      state: 'started',
      agent: { id: '29:agent', displayName: 'Robin', channel: 'teams', locale: 'en' },
      ...(availability ? { availability } : {}),
    });

  const cases: Array<[string, Availability, string[], RegExp]> = [
    ['everything', {}, ['Prompt their device', 'Use support PIN', 'Cancel'], /Prompt on their trusted device: iPhone/u],
    [
      'a device cool-down',
      { device: { blockedBy: 'cooldown', until: LATER } },
      ['Use support PIN', 'Cancel'],
      /Device prompt: not before .* the customer declined one/u,
    ],
    [
      'a waiting prompt',
      { device: { blockedBy: 'pending', until: LATER } },
      ['Use support PIN', 'Cancel'],
      /another prompt to this account is waiting for an answer until/u,
    ],
    [
      'the prompt quota spent',
      { device: { blockedBy: 'quota', until: LATER } },
      ['Use support PIN', 'Cancel'],
      /too many prompts to this account recently; the next can go at/u,
    ],
    [
      'PIN checks locked',
      { pinLockedUntil: LATER },
      ['Prompt their device', 'Cancel'],
      /Support PIN: locked until .* after too many wrong PINs/u,
    ],
    [
      'one wrong PIN left today',
      { pinFailuresLeft: 1 },
      ['Prompt their device', 'Use support PIN', 'Cancel'],
      /1 wrong PIN left today/u,
    ],
    [
      'nothing at all',
      { pinLockedUntil: LATER, device: { blockedBy: 'cooldown', until: LATER } },
      ['Cancel'],
      /Neither method can be used now/u,
    ],
    [
      'an earlier grant of another agent',
      { activeGrant: { agentName: 'Kim', mine: false, until: LATER } },
      ['Prompt their device', 'Use support PIN', 'Cancel'],
      /Kim already has access to this account until/u,
    ],
    [
      'the agent’s own earlier grant',
      { activeGrant: { agentName: 'Robin', mine: true, until: LATER } },
      ['Prompt their device', 'Use support PIN', 'Cancel'],
      /You already have access to this account until .*; you do not need to verify again/u,
    ],
  ];
  for (const [what, availability, buttons, line] of cases) {
    it(`with ${what}: offers ${buttons.join(', ')} and says why, on Slack and Teams`, () => {
      const session = started(availability);
      expect(slackButtons(session, account)).to.deep.equal(buttons);
      const card = teams(session, account);
      expect(card.buttons).to.deep.equal(buttons);
      expect(card.text).to.match(line);
    });
  }

  it('says “That PIN was not accepted” on the card after a wrong PIN, once, with the real tries', () => {
    const session = sampleSession({ state: 'awaiting_pin', pinTriesLeft: 1, method: 'pin', notice: 'pin_rejected' });
    const card = teams(session, account);
    expect(card.text).to.contain('That PIN was not accepted.').and.contain('Tries left: 1');
    expect(card.text.match(/Tries left/gu), 'once').to.have.length(1);
    expect(card.text.match(/Verify Alex Morgan/gu), 'the name once').to.have.length(1);
  });

  it('names why access ended early: a later denial, fraud report or PIN lock', () => {
    for (const [reason, words] of [
      ['ended_by_denial', 'the customer said no to a later verification'],
      ['ended_by_fraud_report', 'reported a later verification of this account as fraud'],
      ['ended_by_pin_lock', 'PIN checks for this account locked'],
    ] as const) {
      expect(teams(sampleSession({ state: 'closed', reason }), account).text).to.contain(words);
    }
  });
});
