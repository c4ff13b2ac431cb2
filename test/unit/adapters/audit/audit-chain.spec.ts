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

  describe('segments that name the one before them', () => {
    /** Entries as one replica writes them, each confirmed as landed. */
    function landed(chain: AuditChain, count: number, at: () => number, tag: string): SealedEntry[] {
      return Array.from({ length: count }, (_, i) => {
        const payload = ['pin_wrong', String(at()), 'failure', `${tag}-${i}`];
        const sealed = chain.seal(payload);
        chain.confirmed(at());
        return { id: `${at()}-${tag}${i}`, at: at(), payload, ...sealed };
      });
    }
    const check = (entries: SealedEntry[], retainedSince = 0) => {
      const verifier = new ChainVerifier(KEY, retainedSince);
      for (const entry of entries) verifier.check(entry);
      return verifier.report().problems;
    };

    it('reports a whole segment removed, and the last entries of one, at the segment that names it', () => {
      let now = T0;
      const chain = new AuditChain(KEY, () => now);
      chain.anchorTo(undefined);
      const first = landed(chain, 3, () => now, 'a');
      now += SEGMENT_MAX_MS;
      const second = landed(chain, 2, () => now, 'b');
      now += SEGMENT_MAX_MS;
      const third = landed(chain, 2, () => now, 'c');
      expect(second[0]?.l, 'the new segment names the last entry before it').to.equal(
        `${first[2]?.r}.3.${first[2]?.h}.${T0}`,
      );
      expect(check([...first, ...second, ...third])).to.deep.equal([]);
      expect(check([...first, ...third])).to.deep.equal([
        `${third[0]?.id}: segment ${second[0]?.r} is missing (it had reached entry 2 at ${new Date(T0 + SEGMENT_MAX_MS).toISOString()})`,
      ]);
      expect(check([...first.slice(0, 1), ...second, ...third])).to.deep.equal([
        `${second[0]?.id}: entries 2–3 of segment ${first[0]?.r} are missing (the last ones it wrote)`,
      ]);
      // A segment older than the retention cut-off was trimmed, not removed.
      expect(check([...second, ...third], T0 + 1)).to.deep.equal([]);
    });

    it('links a replica just started to the newest entry in the stream, and a failed append to the last that landed', () => {
      const other = new AuditChain(KEY, () => T0);
      other.anchorTo(undefined);
      const theirs = landed(other, 2, () => T0, 'o');
      const chain = new AuditChain(KEY, () => T0);
      expect(chain.needsAnchor()).to.equal(true);
      const newest = theirs[1] as SealedEntry;
      chain.anchorTo({ r: newest.r, n: 2, h: newest.h, at: T0 });
      const ours = landed(chain, 1, () => T0, 'm');
      expect(chain.needsAnchor()).to.equal(false);
      // The next append fails: it may or may not have landed, so the new segment names the last that did.
      chain.seal(['pin_wrong', String(T0), 'failure', 'lost']);
      chain.restart();
      const after = landed(chain, 1, () => T0, 'n');
      expect(after[0]?.l?.split('.').slice(0, 2)).to.deep.equal([ours[0]?.r, '1']);
      expect(check([...theirs, ...ours, ...after])).to.deep.equal([]);
      expect(check([...ours, ...after])).to.deep.equal([
        `${ours[0]?.id}: segment ${newest.r} is missing (it had reached entry 2 at ${new Date(T0).toISOString()})`,
      ]);
      const edited = { ...(after[0] as SealedEntry), l: `${newest.r}.2.${newest.h}.${T0}` };
      expect(check([...theirs, ...ours, edited])).to.deep.equal([
        `${edited.id}: altered (its seal does not match its content)`,
      ]);
    });
  });
});
