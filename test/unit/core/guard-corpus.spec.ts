import { expect } from 'chai';
import {
  evaluateInbound,
  evaluateOutbound,
  figuresByGroup,
  formatFigures,
  type InboundOutcome,
  loadInbound,
  loadOutbound,
} from '../../support/guard-corpus.ts';

// Written blind, from briefs only (test/fixtures/guard/README.md); English and Dutch in about equal parts.
const INBOUND = loadInbound('inbound-en.json', 'inbound-nl.json', 'inbound-mixed.json', 'inbound-mixed-2.json');
const OUTBOUND = loadOutbound('outbound.json', 'outbound-mixed.json', 'outbound-mixed-2.json');

function describeOutcome(o: InboundOutcome): string {
  const why = !o.hidden
    ? `visible: ${JSON.stringify(o.visible)}`
    : !o.kindsFound
      ? `kinds: expected ${o.case.secrets.map((s) => s.kind).join(', ')}`
      : o.falseAlarm
        ? 'a harmless line was changed'
        : `PIN: expected ${o.case.pin ?? null}`;
  return `${o.case.id} (${why})\n    ${JSON.stringify(o.case.text)}\n  → ${JSON.stringify(o.redacted)}`;
}

describe('guard: the blind corpus', () => {
  let outcomes: InboundOutcome[] = [];
  let secret: InboundOutcome[] = [];
  let benign: InboundOutcome[] = [];
  let lookAlikes: InboundOutcome[] = [];
  before(async () => {
    outcomes = await Promise.all(INBOUND.map(evaluateInbound));
    secret = outcomes.filter((o) => o.case.secrets.length > 0);
    benign = outcomes.filter((o) => o.case.secrets.length === 0);
    lookAlikes = outcomes.filter((o) => o.case.group.startsWith('benign-'));
  });

  after(() => {
    // The figures per group, in the test output (recall: all secrets hidden and each kind reported).
    console.log(`\n${formatFigures(figuresByGroup(outcomes))}\n`);
  });

  it(`holds at least 400 cases, half of them Dutch, and at least 100 harmless look-alikes (${INBOUND.length})`, () => {
    expect(INBOUND.length).to.be.at.least(400);
    const dutch = INBOUND.filter((c) => c.lang === 'nl').length;
    expect(dutch / INBOUND.length).to.be.within(0.45, 0.55);
    expect(lookAlikes.length).to.be.at.least(100);
    for (const c of INBOUND) for (const s of c.secrets) expect(c.text, c.id).to.include(s.value);
  });

  it('leaves no secret visible, in any group', () => {
    const visible = secret.filter((o) => !o.hidden);
    expect(visible.map(describeOutcome), 'secrets left visible').to.deep.equal([]);
  });

  it('reports the kind of each secret it hides, with recall of at least 0.99', () => {
    const recall = secret.filter((o) => o.hidden && o.kindsFound).length / secret.length;
    expect(
      recall,
      secret
        .filter((o) => !o.kindsFound)
        .map(describeOutcome)
        .join('\n'),
    ).to.be.at.least(0.99);
  });

  it('changes at most 1 in 100 harmless lines', () => {
    const alarms = benign.filter((o) => o.falseAlarm);
    expect(alarms.length / benign.length, alarms.map(describeOutcome).join('\n')).to.be.at.most(0.01);
  });

  it('takes the support PIN in the PIN step exactly when one 4-digit number is given', () => {
    const wrong = outcomes.filter((o) => !o.pinRight);
    expect(wrong.map(describeOutcome)).to.deep.equal([]);
  });
});

describe('guard: the blind outbound corpus', () => {
  const outcomes = OUTBOUND.map(evaluateOutbound);

  after(() => {
    const groups = new Map<string, { lines: number; wrong: number }>();
    for (const o of outcomes) {
      const g = groups.get(o.case.group) ?? { lines: 0, wrong: 0 };
      g.lines++;
      if (!o.right) g.wrong++;
      groups.set(o.case.group, g);
    }
    const rows = [...groups].map(
      ([group, g]) => `${group.padEnd(28)} ${String(g.lines).padStart(5)} ${String(g.wrong).padStart(6)}`,
    );
    console.log(`\n${'outbound group'.padEnd(28)} lines  wrong\n${rows.join('\n')}\n`);
  });

  it(`holds at least 150 labelled lines, asks and safe ones, in English and Dutch (${OUTBOUND.length})`, () => {
    expect(OUTBOUND.length).to.be.at.least(150);
    for (const lang of ['en', 'nl'] as const)
      for (const label of ['ask', 'safe'] as const)
        expect(OUTBOUND.filter((c) => c.lang === lang && c.label === label).length).to.be.at.least(30);
  });

  it('lets no ask through', () => {
    const allowed = outcomes.filter((o) => o.case.label === 'ask' && !o.asks);
    expect(allowed.map((o) => `${o.case.id}: ${o.case.text}`)).to.deep.equal([]);
  });

  it('refuses at most one safe line', () => {
    const refused = outcomes.filter((o) => o.case.label === 'safe' && o.asks);
    expect(refused.map((o) => `${o.case.id}: ${o.case.text}`)).to.have.length.at.most(1);
  });
});
