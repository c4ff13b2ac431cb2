import { expect } from 'chai';
import sinon from 'sinon';
import { InProcessBus } from '../../../adapters/bus/in-process-bus.ts';
import { MemorySessionStore } from '../../../adapters/store/memory-session-store.ts';
import type { Announcement, SessionStore } from '../../../core/ports/index.ts';
import { type CommitTurn, RenderTurns } from '../../../core/render-turns.ts';
import type { Session } from '../../../core/session.ts';
import { sampleSession } from '../../contract/session-store.contract.ts';
import { until } from '../../support/processes.ts';
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
    let bus: InProcessBus;
    beforeEach(async () => {
      [a, b] = await replicas();
      bus = new InProcessBus();
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
      await Promise.all([slow, fast]);
      expect(renders.shown, 'a renders the version stored while it held the turn').to.deep.equal(['a:1', 'a:2']);
    });

    it('takes over from a replica that died holding the turn, once its lease runs out', async () => {
      const session = sampleSession();
      await a.create(session, TTL);
      expect((await a.takeRenderTurn(session.id, 1, 'dead', 200)).kind).to.equal('yours');
      const renders = new Renders();
      const turns = new RenderTurns(b, { turnMs: 200 });
      await turns.show(session.id, 1, renders.for('b'));
      expect(renders.shown, 'the holder may still be rendering').to.deep.equal([]);
      await until(() => renders.shown.length > 0, 2000);
      expect(renders.shown).to.deep.equal(['b:1']);
      turns.close();
    });

    it('leaves a session to the replica rendering it, without polling the store', async () => {
      const session = sampleSession();
      await a.create(session, TTL);
      await a.takeRenderTurn(session.id, 1, 'busy-holder', 5_000);
      const take = sinon.spy(b, 'takeRenderTurn');
      const turns = new RenderTurns(b, { turnMs: 100 });
      await turns.show(session.id, 1, new Renders().for('b'));
      await sleep(300);
      expect(take.callCount, 'one look, then a single re-check after the holder’s lease').to.equal(1);
      turns.close();
      take.restore();
    });

    it('keeps where each message is with what it shows, for the next render on any replica', async () => {
      let session = sampleSession();
      await a.create(session, TTL);
      await new RenderTurns(a).show(session.id, 1, async (_s, messages) => {
        expect(messages.get('slack-agent')).to.equal(undefined);
        messages.set('slack-agent', '{"channel":"D1","ts":"1.2"}');
      });
      session = await advance(a, session);
      const seen: Array<string | undefined> = [];
      await new RenderTurns(b).show(session.id, 2, async (_s, messages) => {
        seen.push(messages.get('slack-agent'));
        messages.set('teams-agent', 'x');
      });
      session = await advance(a, session);
      await new RenderTurns(a).show(session.id, 3, async (_s, messages) => {
        seen.push(messages.get('slack-agent'), messages.get('teams-agent'));
      });
      expect(seen).to.deep.equal(['{"channel":"D1","ts":"1.2"}', '{"channel":"D1","ts":"1.2"}', 'x']);
    });

    const announced = (session: Session, turn?: CommitTurn): Announcement => ({
      bus,
      update: { sessionId: session.id, version: session.version, state: session.state, turnMs: turn?.turnMs ?? 1 },
      ...(turn ? { turn } : {}),
    });

    it('renders with the turn its own commit took, and its update coming back costs no store call', async () => {
      const renders = new Renders();
      const turns = new RenderTurns(a, { turnMs: 100 });
      const takes = [...new Set([a, b])].map((store) => sinon.spy(store, 'takeRenderTurn'));
      let session = sampleSession();
      let turn = turns.lease();
      const created = await a.create(session, TTL, announced(session, turn));
      if (!created.turn) throw new Error('no turn');
      await turns.follow(session.id, 1, turn.token, created.turn, renders.for('a'));
      turns.watch(session.id, 1, turn.turnMs, renders.for('a'));
      // The update may also come back before the render is done.
      session = { ...session, version: 2 };
      turn = turns.lease();
      const replaced = await a.replace(session, TTL, announced(session, turn));
      if (!replaced?.turn) throw new Error('no turn');
      turns.watch(session.id, 2, turn.turnMs, renders.for('a'));
      await turns.follow(session.id, 2, turn.token, replaced.turn, renders.for('a'));
      await sleep(300);
      expect(renders.shown).to.deep.equal(['a:1', 'a:2']);
      expect(
        takes.map((take) => take.callCount),
        'never asked for the turn',
      ).to.deep.equal(takes.map(() => 0));
      for (const take of takes) take.restore();
      turns.close();
    });

    it('shows a state once when the replica that committed it dies holding the turn', async () => {
      const renders = new Renders();
      const session = sampleSession();
      const dead = new RenderTurns(a, { turnMs: 200 });
      const committed = await a.create(session, TTL, announced(session, dead.lease()));
      expect(committed.turn?.kind, 'taken in the commit, and never rendered').to.equal('yours');
      const watchers = [new RenderTurns(a, { turnMs: 200 }), new RenderTurns(b, { turnMs: 200 })];
      watchers.forEach((turns, i) => {
        turns.watch(session.id, 1, 200, renders.for(`watcher${i}`));
      });
      await sleep(100);
      expect(renders.shown, 'nobody renders while the holder may be').to.deep.equal([]);
      await until(() => renders.shown.length > 0, 3000);
      await sleep(500);
      expect(renders.shown.map((r) => r.split(':')[1])).to.deep.equal(['1']);
      for (const turns of watchers) turns.close();
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
