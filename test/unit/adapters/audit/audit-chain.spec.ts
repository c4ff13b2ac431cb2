import { expect } from 'chai';
import { AuditChain, ChainVerifier, SEGMENT_MAX_MS, type SealedEntry } from '../../../../adapters/audit/audit-chain.ts';

const KEY = 'unit-audit-key-0123456789abcdef0123456789';
const T0 = 1_795_000_000_000;

function write(chain: AuditChain, count: number, at: () => number): SealedEntry[] {
  return Array.from({ length: count }, (_, i) => {
    const payload = ['pin_wrong', String(at()), 'failure', `s-${i}`];
    return { id: `${at()}-${i}`, at: at(), payload, ...chain.seal(payload) };
  });
}

describe('audit chain', () => {
  it('starts a new segment every hour and after a failed append, each from 1', () => {
    let now = T0;
    const chain = new AuditChain(KEY, () => now);
    const first = write(chain, 2, () => now);
    now += SEGMENT_MAX_MS;
    const [rotated] = write(chain, 1, () => now);
    chain.restart();
    const [restarted] = write(chain, 1, () => now);
    expect(first.map((e) => e.n)).to.deep.equal(['1', '2']);
    expect(rotated?.n).to.equal('1');
    expect(rotated?.r).to.not.equal(first[0]?.r);
    expect(restarted?.r).to.not.equal(rotated?.r);
    const verifier = new ChainVerifier(KEY, 0);
    for (const entry of [...first, rotated, restarted]) verifier.check(entry as SealedEntry);
    expect(verifier.report()).to.deep.equal({ entries: 4, segments: 3, problems: [] });
  });

  it('accepts a segment cut by retention near the cut-off, and calls the same cut anywhere later a deletion', () => {
    const chain = new AuditChain(KEY, () => T0);
    const entries = write(chain, 5, () => T0);
    const trimmed = entries.slice(2);

    const nearCutOff = new ChainVerifier(KEY, T0 - 1000);
    for (const entry of trimmed) nearCutOff.check(entry);
    expect(nearCutOff.report().problems).to.deep.equal([]);

    const longAfter = new ChainVerifier(KEY, T0 - SEGMENT_MAX_MS - 1000);
    for (const entry of trimmed) longAfter.check(entry);
    expect(longAfter.report().problems).to.deep.equal([
      `${trimmed[0]?.id}: entries 1–2 of segment ${trimmed[0]?.r} are missing`,
    ]);
  });

  it('refuses entries moved between fields, and seals that are not seals', () => {
    const chain = new AuditChain(KEY, () => T0);
    const [entry] = write(chain, 1, () => T0);
    if (!entry) throw new Error('no entry');
    const moved = { ...entry, payload: ['pin_wrong', `${T0}failure`, '', 's-0'] };
    const verifier = new ChainVerifier(KEY, 0);
    verifier.check(moved);
    verifier.check({ ...entry, id: 'x-1', r: '', n: '', h: '' });
    expect(verifier.report().problems).to.deep.equal([
      `${entry.id}: altered (its seal does not match its content)`,
      'x-1: not sealed (no chain fields)',
    ]);
  });
});
