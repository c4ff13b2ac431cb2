import { expect } from 'chai';
import { MemorySessionStore } from '../../../adapters/store/memory-session-store.ts';
import type { SessionStore } from '../../../core/ports/index.ts';
import { RenderTurns } from '../../../core/render-turns.ts';
import type { Session } from '../../../core/session.ts';
import { sampleSession } from '../../contract/session-store.contract.ts';
import { replicaStores, sleep, useRedisServer } from '../../support/redis-fixture.ts';

const TTL = 60_000;

/** Renders recorded as `replica:version`, with an optional hold-up on one version to force overlaps. */
class Renders {
  readonly shown: string[] = [];
  readonly gates = new Map<number, Promise<void>>();
  for(replica: string) {
    return async (session: Session) => {
      await this.gates.get(session.version);
      this.shown.push(`${replica}:${session.version}`);
    };
  }
}

async function advance(store: SessionStore, session: Session): Promise<Session> {
  const next = { ...session, version: session.version + 1 };
  expect(await store.replace(next, TTL)).to.equal(true);
  return next;
}

function renderTurnsSuite(name: string, replicas: () => Promise<[SessionStore, SessionStore]>) {
  describe(`RenderTurns on the ${name} store`, () => {
    let a: SessionStore;
    let b: SessionStore;
    beforeEach(async () => {
      [a, b] = await replicas();
    });
    afterEach(async () => {
      await Promise.all([...new Set([a, b])].map((store) => store.close()));
    });

    it('shows each version once, from the latest, however many replicas hear it', async () => {
      const renders = new Renders();
      const turnsA = new RenderTurns(a);
      const turnsB = new RenderTurns(b);
      let session = sampleSession();
      await a.create(session, TTL);
      await Promise.all([turnsA.show(session.id, 1, renders.for('a')), turnsB.show(session.id, 1, renders.for('b'))]);
      session = await advance(a, session);
      session = await advance(a, session);
      await Promise.all([turnsA.show(session.id, 2, renders.for('a')), turnsB.show(session.id, 3, renders.for('b'))]);
      await turnsB.show(session.id, 2, renders.for('b'));
      expect(renders.shown.map((r) => Number(r.split(':')[1]))).to.deep.equal([1, 3]);
    });

    it('never lets a slow render of an older version land after a newer one', async () => {
      const renders = new Renders();
      let release: () => void = () => undefined;
      renders.gates.set(1, new Promise<void>((resolve) => (release = resolve)));
      let session = sampleSession();
      await a.create(session, TTL);
      const slow = new RenderTurns(a).show(session.id, 1, renders.for('a'));
      await sleep(30);
      session = await advance(b, session);
      const fast = new RenderTurns(b).show(session.id, 2, renders.for('b'));
      await sleep(60);
      expect(renders.shown, 'b waits while a has the turn').to.deep.equal([]);
      release();
      expect(await Promise.all([slow, fast])).to.deep.equal([true, true]);
      expect(renders.shown).to.deep.equal(['a:1', 'a:2']);
    });

    it('takes over from a replica that died holding the turn', async () => {
      const session = sampleSession();
      await a.create(session, TTL);
      await a.take(`render:${session.id}`, { counters: [], hold: { name: 'turn', value: 'dead', ttlMs: 200 } });
      const renders = new Renders();
      expect(await new RenderTurns(b, { turnMs: 200 }).show(session.id, 1, renders.for('b'))).to.equal(true);
      expect(renders.shown).to.deep.equal(['b:1']);
    });

    it('gives up, and says so, when the turn never comes free', async () => {
      const session = sampleSession();
      await a.create(session, TTL);
      await a.take(`render:${session.id}`, { counters: [], hold: { name: 'turn', value: 'stuck', ttlMs: 5_000 } });
      const renders = new Renders();
      expect(await new RenderTurns(b, { turnMs: 100 }).show(session.id, 1, renders.for('b'))).to.equal(false);
      expect(renders.shown).to.deep.equal([]);
    });

    it('frees the turn when a render throws, so the next version still shows', async () => {
      let session = sampleSession();
      await a.create(session, TTL);
      const turns = new RenderTurns(a);
      const failure = await turns
        .show(session.id, 1, async () => {
          throw new Error('platform down');
        })
        .catch((error: Error) => error.message);
      expect(failure).to.equal('platform down');
      session = await advance(a, session);
      const renders = new Renders();
      await new RenderTurns(b, { turnMs: 100 }).show(session.id, 2, renders.for('b'));
      expect(renders.shown).to.deep.equal(['b:2']);
    });
  });
}

renderTurnsSuite('memory', async () => {
  const store = new MemorySessionStore({ now: () => Date.now() });
  return [store, store];
});

describe('RenderTurns across replicas', () => {
  const redis = useRedisServer();
  renderTurnsSuite('redis', async () => {
    await redis().flush();
    return replicaStores(redis().url);
  });
});
