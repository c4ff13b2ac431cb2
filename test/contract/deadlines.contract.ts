import { expect } from 'chai';
import type { Deadlines } from '../../core/ports/index.ts';

/** Two handles on the same schedule (two replicas), and how to let go of them. */
export interface DeadlinesHarness {
  replicas: [Deadlines, Deadlines];
  close(): Promise<void>;
}

const T0 = 1_800_000_000_000;

/** What every {@link Deadlines} must do, run against each implementation. */
export function deadlinesContract(name: string, make: () => Promise<DeadlinesHarness>): void {
  describe(`Deadlines contract: ${name}`, () => {
    let h: DeadlinesHarness;
    beforeEach(async () => {
      h = await make();
    });
    afterEach(async () => h.close());

    it('hands out only what is due, earliest first, and moves a deadline when it is set again', async () => {
      const [a] = h.replicas;
      await a.set('s-late', T0 + 5000);
      await a.set('s-early', T0 + 1000);
      await a.set('s-moved', T0 + 500);
      await a.set('s-moved', T0 + 9000);
      expect(await a.claimDue(T0, 10, 30_000)).to.deep.equal([]);
      expect(await a.claimDue(T0 + 6000, 10, 30_000)).to.have.members(['s-early', 's-late']);
      expect(await a.claimDue(T0 + 9000, 10, 30_000)).to.deep.equal(['s-moved']);
    });

    it('leases a claim: no one else gets it until the lease runs out, then anyone does', async () => {
      const [a, b] = h.replicas;
      await a.set('s-1', T0);
      expect(await a.claimDue(T0, 10, 30_000)).to.deep.equal(['s-1']);
      expect(await b.claimDue(T0 + 29_999, 10, 30_000)).to.deep.equal([]);
      expect(await b.claimDue(T0 + 30_000, 10, 30_000), 'the claimer died: due again').to.deep.equal(['s-1']);
    });

    it('gives back every kind of session id exactly as it was set', async () => {
      const [a, b] = h.replicas;
      const ids = [
        '0f8e2c1a-4b3d-4e5f-9a8b-7c6d5e4f3a2b',
        'sess-1',
        'Ünïcode-ïd',
        '0F8E2C1A-4B3D-4E5F-9A8B-7C6D5E4F3A2B',
        // As sessionIdBeside mints them, and near misses of that layout.
        '0f8e2c1a-4b3d-4e5f-9a8b-7c6d5e4f3a2b-k3x9',
        '0f8e2c1a-4b3d-4e5f-9a8b-7c6d5e4f3a2b-K3X9',
        '0f8e2c1a-4b3d-4e5f-9a8b-7c6d5e4f3a2b-k3x',
        '0f8e2c1a-4b3d-4e5f-9a8b-7c6d5e4f3a2b-k3x9z',
        '0f8e2c1a-4b3d-4e5f-9a8b-7c6d5e4f3a2b-1357',
        '0f8e2c1a-4b3d-4e5f-9a8b-7c6d5e4f3a2b-ïx9z',
      ];
      for (const id of ids) await a.set(id, T0);
      expect(await b.claimDue(T0, 10, 30_000)).to.have.members(ids);
    });

    it('forgets a cleared deadline, and clearing one that is not there is fine', async () => {
      const [a, b] = h.replicas;
      await a.set('s-1', T0);
      await b.clear('s-1');
      await b.clear('s-never');
      expect(await a.claimDue(T0 + 60_000, 10, 30_000)).to.deep.equal([]);
    });

    it('gives each due deadline to exactly one of many replicas claiming at once', async () => {
      const [a, b] = h.replicas;
      const ids = Array.from({ length: 60 }, (_, i) => `s-${i}`);
      for (const id of ids) await a.set(id, T0);
      expect(await a.claimDue(T0 - 1, 10, 30_000), 'none due yet').to.deep.equal([]);
      const claims = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? a : b).claimDue(T0, 10, 30_000)));
      const all = claims.flat();
      expect(all).to.have.length(60);
      expect(new Set(all).size).to.equal(60);
    });
  });
}
