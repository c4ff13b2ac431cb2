import { expect } from 'chai';
import {
  type Announcement,
  type Bus,
  CLAIMED,
  type Deadlines,
  type SessionStore,
  type SessionUpdate,
} from '../../core/ports/index.ts';
import type { Session } from '../../core/session.ts';

export interface StoreHarness {
  /** Two stores over the same data, as two replicas would have. */
  stores: [SessionStore, SessionStore];
  /** Each store's replica's bus, as the server wires them (a commit announces its update on it). */
  buses: [Bus, Bus];
  /** Each store's replica's schedule of deadlines, as the server wires them (a commit may set a deadline on it). */
  schedules: [Deadlines, Deadlines];
  /** Lets `ms` of store time pass. */
  elapse(ms: number): Promise<void>;
  close(): Promise<void>;
}

let counter = 0;
export function sampleSession(overrides: Partial<Session> = {}): Session {
  const now = Date.now();
  counter += 1;
  return {
    id: `00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`,
    version: 1,
    state: 'started',
    accountId: 'demo-alex',
    customerLocale: 'en',
    agent: { id: 'U1', displayName: 'Robin', channel: 'slack', locale: 'en' },
    createdAt: now,
    updatedAt: now,
    expiresAt: now + 1_800_000,
    ...overrides,
  };
}

/** What every {@link SessionStore} must do, run against each implementation. */
export function sessionStoreContract(name: string, open: () => Promise<StoreHarness>): void {
  describe(`SessionStore contract: ${name}`, () => {
    let h: StoreHarness;
    let store: SessionStore;
    let other: SessionStore;
    let scope: string;
    beforeEach(async () => {
      h = await open();
      [store, other] = h.stores;
      scope = `a:test-${Math.random().toString(36).slice(2)}`;
    });
    afterEach(async () => h.close());

    describe('sessions', () => {
      it('mints unique ids, under which sessions are stored, read and replaced like any other', async () => {
        const ids = new Set(Array.from({ length: 200 }, () => store.newSessionId(scope)));
        expect(ids.size).to.equal(200);
        const id = store.newSessionId(scope);
        expect(id.length, id).to.be.within(36, 64);
        const session = sampleSession({ id });
        await store.create(session, 60_000);
        expect(await other.get(id)).to.deep.equal(session);
        expect(await other.replace({ ...session, version: 2 }, 60_000)).to.equal(true);
        expect(await store.get(id.slice(0, 36)), 'its UUID alone names another session').to.equal(undefined);
      });

      it('stores and reads back a session exactly', async () => {
        const session = sampleSession({ refs: { ts: '1700000000.000100' } });
        await store.create(session, 60_000);
        expect(await other.get(session.id)).to.deep.equal(session);
      });

      it('refuses to create a session that exists', async () => {
        const session = sampleSession();
        await store.create(session, 60_000);
        let refused = false;
        await other.create({ ...session, state: 'cancelled' }, 60_000).catch(() => {
          refused = true;
        });
        expect(refused).to.equal(true);
        expect((await store.get(session.id))?.state).to.equal('started');
      });

      it('answers undefined for an unknown id', async () => {
        expect(await store.get('no-such-session')).to.equal(undefined);
      });

      it('replaces only from the version it expects (compare-and-set)', async () => {
        const session = sampleSession();
        await store.create(session, 60_000);
        expect(await store.replace({ ...session, version: 2, state: 'awaiting_pin' }, 60_000)).to.equal(true);
        expect(await other.replace({ ...session, version: 2, state: 'cancelled' }, 60_000)).to.equal(false);
        expect(await other.replace({ ...session, version: 4, state: 'cancelled' }, 60_000)).to.equal(false);
        expect((await store.get(session.id))?.state).to.equal('awaiting_pin');
        expect(await store.replace({ ...sampleSession(), version: 2 }, 60_000), 'unknown id').to.equal(false);
      });

      it('lets exactly one of many concurrent writers from one version win, across replicas', async () => {
        const session = sampleSession();
        await store.create(session, 60_000);
        const results = await Promise.all(
          Array.from({ length: 40 }, (_, i) =>
            (i % 2 ? store : other).replace({ ...session, version: 2, refs: { writer: String(i) } }, 60_000),
          ),
        );
        expect(results.filter(Boolean)).to.have.length(1);
        const winner = results.indexOf(true);
        expect((await store.get(session.id))?.refs).to.deep.equal({ writer: String(winner) });
      });

      it('forgets a session after its TTL', async () => {
        const session = sampleSession();
        await store.create(session, 150);
        await h.elapse(250);
        expect(await store.get(session.id)).to.equal(undefined);
      });
    });

    describe('allowances', () => {
      const rule = { name: 'tries', limit: 3, windowMs: 60_000 };

      it('counts up to the limit, then refuses with the counter’s name and time left', async () => {
        for (const expected of [1, 2, 3]) {
          expect(await store.take(scope, { counters: [rule] })).to.deep.equal({ granted: true, counts: [expected] });
        }
        const refused = await other.take(scope, { counters: [rule] });
        expect(refused).to.include({ granted: false, refusedBy: 'tries' });
        expect(refused.granted === false && refused.retryAfterMs).to.be.within(1, 60_000);
      });

      it('counts every counter together or none', async () => {
        const tight = { name: 'tight', limit: 1, windowMs: 60_000 };
        const loose = { name: 'loose', limit: 10, windowMs: 60_000 };
        expect(await store.take(scope, { counters: [loose, tight] })).to.deep.equal({ granted: true, counts: [1, 1] });
        expect((await store.take(scope, { counters: [loose, tight] })).granted).to.equal(false);
        expect(await store.take(scope, { counters: [loose] }), 'the refusal counted nothing').to.deep.equal({
          granted: true,
          counts: [2],
        });
      });

      it('starts a counter’s window at its first hit, and forgets it after', async () => {
        const short = { name: 'short', limit: 1, windowMs: 150 };
        expect((await store.take(scope, { counters: [short] })).granted).to.equal(true);
        expect((await store.take(scope, { counters: [short] })).granted).to.equal(false);
        await h.elapse(250);
        expect(await store.take(scope, { counters: [short] })).to.deep.equal({ granted: true, counts: [1] });
      });

      it('refuses while a blocking flag is set', async () => {
        await store.setFlag(scope, 'cooldown', 'denied', 60_000);
        const refused = await other.take(scope, { counters: [rule], blockedBy: ['cooldown'] });
        expect(refused).to.include({ granted: false, refusedBy: 'cooldown' });
        expect(await store.take(scope, { counters: [rule] }), 'nothing was counted').to.deep.equal({
          granted: true,
          counts: [1],
        });
      });

      it('holds a flag on success and refuses while it is held', async () => {
        const hold = { name: 'pending', value: 'prompt-1', ttlMs: 150 };
        expect((await store.take(scope, { counters: [rule], hold })).granted).to.equal(true);
        expect(await other.getFlag(scope, 'pending')).to.equal('prompt-1');
        expect(await other.take(scope, { counters: [rule], hold: { ...hold, value: 'prompt-2' } })).to.include({
          granted: false,
          refusedBy: 'pending',
        });
        await h.elapse(250);
        expect((await other.take(scope, { counters: [rule], hold: { ...hold, value: 'prompt-3' } })).granted).to.equal(
          true,
        );
      });

      it('never grants more than the limit under concurrency, across replicas', async () => {
        const results = await Promise.all(
          Array.from({ length: 60 }, (_, i) => (i % 2 ? store : other).take(scope, { counters: [rule] })),
        );
        expect(results.filter((r) => r.granted)).to.have.length(3);
      });

      it('refunds one, never below zero, and never creates a counter', async () => {
        await store.take(scope, { counters: [rule] });
        await store.take(scope, { counters: [rule] });
        await other.refund(scope, 'tries');
        expect(await store.take(scope, { counters: [rule] })).to.deep.equal({ granted: true, counts: [2] });
        await store.refund(scope, 'absent');
        await store.refund(scope, 'absent');
        expect(await store.take(scope, { counters: [{ ...rule, name: 'absent' }] })).to.deep.equal({
          granted: true,
          counts: [1],
        });
      });
    });

    describe('flags', () => {
      it('sets, reads and clears', async () => {
        await store.setFlag(scope, 'pin', 'hash-1', 60_000);
        expect(await other.getFlag(scope, 'pin')).to.equal('hash-1');
        expect(await other.clearFlag(scope, 'pin')).to.equal(true);
        expect(await store.getFlag(scope, 'pin')).to.equal(undefined);
        expect(await store.clearFlag(scope, 'pin')).to.equal(false);
      });

      it('clears only when it holds the expected value', async () => {
        await store.setFlag(scope, 'pin', 'hash-1', 60_000);
        expect(await store.clearFlag(scope, 'pin', 'hash-2')).to.equal(false);
        expect(await store.getFlag(scope, 'pin')).to.equal('hash-1');
        expect(await other.clearFlag(scope, 'pin', 'hash-1')).to.equal(true);
      });

      it('lets exactly one concurrent compare-and-delete win', async () => {
        await store.setFlag(scope, 'pin', 'hash-1', 60_000);
        const results = await Promise.all(
          Array.from({ length: 50 }, (_, i) => (i % 2 ? store : other).clearFlag(scope, 'pin', 'hash-1')),
        );
        expect(results.filter(Boolean)).to.have.length(1);
      });

      it('replaces a flag’s value and TTL when set again, and forgets it after the TTL', async () => {
        await store.setFlag(scope, 'pin', 'hash-1', 60_000);
        await store.setFlag(scope, 'pin', 'hash-2', 150);
        expect(await store.getFlag(scope, 'pin')).to.equal('hash-2');
        await h.elapse(250);
        expect(await store.getFlag(scope, 'pin')).to.equal(undefined);
      });

      it('keeps scopes apart', async () => {
        await store.setFlag(scope, 'pin', 'hash-1', 60_000);
        expect(await store.getFlag(`${scope}-other`, 'pin')).to.equal(undefined);
      });

      it('peeks at flags and counters with the time each has left, counting nothing', async () => {
        await store.setFlag(scope, 'lock', 'until-later', 60_000);
        await store.take(scope, { counters: [{ name: 'tries', limit: 5, windowMs: 1_000 }] });
        await store.take(scope, { counters: [{ name: 'tries', limit: 5, windowMs: 1_000 }] });
        const [lock, tries, absent] = await other.peek(scope, ['lock', 'tries', 'absent']);
        expect(lock?.value).to.equal('until-later');
        expect(lock?.ttlMs).to.be.within(55_000, 60_000);
        expect(tries?.value).to.equal('2');
        expect(tries?.ttlMs).to.be.within(1, 1_000);
        expect(absent).to.equal(undefined);
        expect((await store.peek(scope, ['tries']))[0]?.value, 'a peek counts nothing').to.equal('2');
        expect(await store.peek(scope, [])).to.deep.equal([]);
        await h.elapse(1_100);
        expect((await store.peek(scope, ['tries']))[0]).to.equal(undefined);
      });

      it('peeks at flags and reads lists in the same step', async () => {
        await store.setFlag(scope, 'lock', 'until-later', 60_000);
        for (const id of ['s1', 's2']) await store.remember(scope, 'grants', id, 5, 60_000);
        const read = await other.peekWithLists(scope, ['lock', 'absent'], ['grants', 'nothing']);
        expect(read.values[0]?.value).to.equal('until-later');
        expect(read.values[0]?.ttlMs).to.be.within(55_000, 60_000);
        expect(read.values[1]).to.equal(undefined);
        expect(read.lists).to.deep.equal([['s2', 's1'], []]);
        expect(await store.peekWithLists(scope, [], [])).to.deep.equal({ values: [], lists: [] });
        expect(await store.peekWithLists(scope, [], ['grants'])).to.deep.equal({ values: [], lists: [['s2', 's1']] });
      });
    });

    describe('short lists', () => {
      it('keep the newest first, without duplicates, up to the maximum', async () => {
        for (const id of ['s1', 's2', 's3', 's2', 's4']) await store.remember(scope, 'recent', id, 3, 60_000);
        expect(await other.recall(scope, 'recent')).to.deep.equal(['s4', 's2', 's3']);
        expect(await store.recall(scope, 'nothing')).to.deep.equal([]);
      });

      it('are forgotten after their TTL, renewed by each remember', async () => {
        await store.remember(scope, 'recent', 's1', 5, 150);
        await h.elapse(100);
        await store.remember(scope, 'recent', 's2', 5, 150);
        await h.elapse(100);
        expect(await store.recall(scope, 'recent')).to.deep.equal(['s2', 's1']);
        await h.elapse(100);
        expect(await store.recall(scope, 'recent')).to.deep.equal([]);
      });
    });

    describe('claims', () => {
      it('are granted to the first caller only, across replicas, until they expire', async () => {
        const key = `event:${scope}`;
        const results = await Promise.all(
          Array.from({ length: 30 }, (_, i) => (i % 2 ? store : other).claim(key, 150)),
        );
        expect(results.filter(Boolean)).to.have.length(1);
        await h.elapse(250);
        expect(await store.claim(key, 150)).to.equal(true);
      });

      it('are made with a session read, in one step: the first caller only, and the session either way', async () => {
        const session = sampleSession();
        await store.create(session, 60_000);
        const key = `click:${scope}`;
        const reads = await Promise.all(
          Array.from({ length: 20 }, (_, i) => (i % 2 ? store : other).claimAndGet(key, 60_000, session.id)),
        );
        expect(reads.filter((r) => r.first)).to.have.length(1);
        for (const read of reads) expect(read.session).to.deep.equal(session);
        expect(await store.claim(key, 60_000), 'the same claim').to.equal(false);
        expect(await other.claimAndGet(`${key}:2`, 60_000, 'no-such-session')).to.deep.equal({
          first: true,
          session: undefined,
        });
      });

      it('are made first by an allowance, and kept when the rest of it is refused', async () => {
        const claim = { key: `command:${scope}`, ttlMs: 60_000 };
        const rule = { name: 'starts', limit: 1, windowMs: 60_000 };
        expect((await store.take(scope, { counters: [rule], claim })).granted).to.equal(true);
        const again = await other.take(scope, { counters: [rule], claim });
        expect(again.granted).to.equal(false);
        if (!again.granted) expect(again.refusedBy).to.equal(CLAIMED);
        expect((await store.peek(scope, ['starts']))[0]?.value, 'a repeat counts nothing').to.equal('1');
        const next = { key: `command-2:${scope}`, ttlMs: 60_000 };
        const limited = await store.take(scope, { counters: [rule], claim: next });
        expect(limited.granted ? '' : limited.refusedBy, 'the limit refuses').to.equal('starts');
        expect(await other.claim(next.key, 60_000), 'its claim was made all the same').to.equal(false);
      });
    });

    describe('render turns', () => {
      const timing = { turnMs: 5_000 };

      it('gives the turn to one replica with the session and what is shown, and records what it renders', async () => {
        const session = sampleSession();
        await store.create(session, 60_000);
        const turn = await store.takeRenderTurn(session.id, 1, 'token-a', 5_000);
        expect(turn).to.deep.equal({ kind: 'yours', record: { version: 0, messages: {} }, session });
        const busy = await other.takeRenderTurn(session.id, 1, 'token-b', 5_000);
        expect(busy.kind).to.equal('busy');
        if (busy.kind === 'busy') expect(busy.retryInMs).to.be.within(1, 5_000);

        const record = { version: 1, messages: { 'slack-agent': '{"channel":"D1","ts":"1.1"}' } };
        expect(await store.passRenderTurn(session.id, 'token-a', record, timing)).to.deep.equal({ kind: 'done' });
        expect(await other.takeRenderTurn(session.id, 1, 'token-b', 5_000)).to.deep.equal({ kind: 'shown' });
        const next = { ...session, version: 2 };
        await store.replace(next, 60_000);
        expect(await other.takeRenderTurn(session.id, 2, 'token-b', 5_000)).to.deep.equal({
          kind: 'yours',
          record,
          session: next,
        });
      });

      it('keeps the turn and hands over a version stored while rendering, unless told to release', async () => {
        const session = sampleSession();
        await store.create(session, 60_000);
        await store.takeRenderTurn(session.id, 1, 'token-a', 5_000);
        const next = { ...session, version: 2, state: 'awaiting_pin' as const };
        await other.replace(next, 60_000);
        const record = { version: 1, messages: {} };
        expect(await store.passRenderTurn(session.id, 'token-a', record, timing)).to.deep.equal({
          kind: 'again',
          session: next,
        });
        expect((await other.takeRenderTurn(session.id, 2, 'token-b', 5_000)).kind).to.equal('busy');
        const failed = await store.passRenderTurn(session.id, 'token-a', { version: 2, messages: {} }, timing);
        expect(failed).to.deep.equal({ kind: 'done' });
        await other.replace({ ...next, version: 3 }, 60_000);
        const release = { ...timing, release: true };
        expect(await store.passRenderTurn(session.id, 'nobody', record, release)).to.deep.equal({ kind: 'lost' });
        expect((await other.takeRenderTurn(session.id, 3, 'token-b', 5_000)).kind).to.equal('yours');
        expect(await other.passRenderTurn(session.id, 'token-b', { version: 2, messages: {} }, release)).to.deep.equal({
          kind: 'done',
        });
      });

      it('keeps the record only as long as its session, and never brings an expired session back', async () => {
        const session = sampleSession();
        await store.create(session, 150);
        await store.takeRenderTurn(session.id, 1, 'token-a', 5_000);
        await h.elapse(250);
        const record = { version: 1, messages: { 'slack-agent': 'x' } };
        expect(await store.passRenderTurn(session.id, 'token-a', record, timing)).to.deep.equal({ kind: 'done' });
        expect(await other.get(session.id)).to.equal(undefined);
        await store.create(session, 60_000);
        const turn = await other.takeRenderTurn(session.id, 1, 'token-b', 5_000);
        expect(turn).to.deep.equal({ kind: 'yours', record: { version: 0, messages: {} }, session });
      });

      it('frees a turn whose holder died once its lease runs out', async () => {
        const session = sampleSession();
        await store.create(session, 60_000);
        await store.takeRenderTurn(session.id, 1, 'dead', 100);
        await h.elapse(200);
        expect((await other.takeRenderTurn(session.id, 1, 'token-b', 5_000)).kind).to.equal('yours');
        const lost = await store.passRenderTurn(session.id, 'dead', { version: 1, messages: {} }, timing);
        expect(lost, 'the dead holder cannot record over the new one').to.deep.equal({ kind: 'lost' });
      });
    });

    describe('announced commits', () => {
      const timing = { turnMs: 5_000 };
      let heard: SessionUpdate[];
      const announce = (session: Session, token?: string): Announcement => ({
        bus: h.buses[0],
        update: { sessionId: session.id, version: session.version, state: session.state, turnMs: 5_000 },
        ...(token ? { turn: { token, turnMs: 5_000 } } : {}),
      });
      // Only this session's updates count: on a shared Redis a message of the test before can still be on its way
      // (Cluster), and versions are compared as a set since messages published on different nodes can cross.
      const heardFor = (session: Session) => heard.filter((u) => u.sessionId === session.id);
      const versionsHeard = (session: Session) =>
        heardFor(session)
          .map((u) => u.version)
          .sort();
      /** Lets the bus deliver, until `count` updates of the session are heard (or it is clear no more are coming). */
      const delivered = async (session: Session, count: number) => {
        for (let i = 0; i < 50 && heardFor(session).length < count; i++) {
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      };
      beforeEach(async () => {
        heard = [];
        await h.buses[1].subscribe((update) => {
          heard.push(update);
        });
      });

      it('takes the render turn and announces the update in the same step as the write', async () => {
        const session = sampleSession();
        const created = await store.create(session, 60_000, announce(session, 'token-a'));
        expect(created).to.deep.equal({ turn: { kind: 'yours', record: { version: 0, messages: {} }, session } });
        expect((await other.takeRenderTurn(session.id, 1, 'token-b', 5_000)).kind, 'held by the committer').to.equal(
          'busy',
        );
        await delivered(session, 1);
        expect(heardFor(session), 'heard on every replica as the bus sends it').to.deep.equal([
          announce(session).update,
        ]);

        const record = { version: 1, messages: { 'slack-agent': '{"channel":"D1","ts":"1.1"}' } };
        expect(await store.passRenderTurn(session.id, 'token-a', record, timing)).to.deep.equal({ kind: 'done' });
        const next = { ...session, version: 2, state: 'awaiting_pin' as const };
        expect(await other.replace(next, 60_000, announce(next, 'token-b'))).to.deep.equal({
          turn: { kind: 'yours', record, session: next },
        });
        expect(await other.get(session.id)).to.deep.equal(next);
        await delivered(session, 2);
        expect(versionsHeard(session)).to.deep.equal([1, 2]);
        expect(await other.passRenderTurn(session.id, 'token-b', { ...record, version: 2 }, timing)).to.deep.equal({
          kind: 'done',
        });
      });

      it('neither takes the turn nor announces anything when the write is refused', async () => {
        const session = sampleSession();
        await store.create(session, 60_000);
        const stale = { ...session, version: 3 };
        expect(await other.replace(stale, 60_000, announce(stale, 'token-b'))).to.equal(undefined);
        let refused = false;
        await other.create(session, 60_000, announce(session, 'token-b')).catch(() => {
          refused = true;
        });
        expect(refused, 'an id that exists').to.equal(true);
        expect((await store.takeRenderTurn(session.id, 1, 'token-a', 5_000)).kind, 'the turn is free').to.equal(
          'yours',
        );
        await delivered(session, 1);
        expect(heardFor(session)).to.deep.equal([]);
      });

      it('writes and announces while another replica renders, which hands the new version on to its holder', async () => {
        const session = sampleSession();
        await store.create(session, 60_000);
        await store.takeRenderTurn(session.id, 1, 'token-a', 5_000);
        const next = { ...session, version: 2, state: 'awaiting_pin' as const };
        const committed = await other.replace(next, 60_000, announce(next, 'token-b'));
        expect(committed?.turn?.kind).to.equal('busy');
        if (committed?.turn?.kind === 'busy') expect(committed.turn.retryInMs).to.be.within(1, 5_000);
        const pass = await store.passRenderTurn(session.id, 'token-a', { version: 1, messages: {} }, timing);
        expect(pass, 'the holder renders it before it lets go').to.deep.equal({ kind: 'again', session: next });
        await delivered(session, 1);
        expect(versionsHeard(session)).to.deep.equal([2]);
      });

      it('announces without taking the turn when none is asked for', async () => {
        const session = sampleSession();
        expect(await store.create(session, 60_000, announce(session))).to.deep.equal({});
        const next = { ...session, version: 2 };
        expect(await other.replace(next, 60_000, announce(next))).to.deep.equal({});
        expect((await other.takeRenderTurn(session.id, 2, 'token-b', 5_000)).kind).to.equal('yours');
        await delivered(session, 2);
        expect(versionsHeard(session)).to.deep.equal([1, 2]);
      });

      // Either id layout: a session minted beside the account shares its slot (one script on Cluster too), any other
      // id (sessions from before ids carried a slot, or a test's) does not.
      for (const layout of ['minted beside the account', 'of another layout'] as const) {
        const sessionFor = () => sampleSession(layout === 'of another layout' ? {} : { id: store.newSessionId(scope) });

        it(`makes its writes and sets its deadline with the write, and none of them when the write is refused (an id ${layout})`, async () => {
          const session = sessionFor();
          const elsewhere = `g:test-${Math.random().toString(36).slice(2)}`;
          await store.setFlag(scope, 'hold', 'mine', 60_000);
          await store.setFlag(scope, 'other-hold', 'theirs', 60_000);
          const due = Date.now() - 1_000;
          const committed = await store.create(session, 60_000, {
            ...announce(session),
            writes: [
              { op: 'clear', scope, name: 'hold', expected: 'mine' },
              { op: 'clear', scope, name: 'other-hold', expected: 'not-theirs' },
              { op: 'set', scope, name: 'cooldown', value: 'device_denied', ttlMs: 60_000 },
              { op: 'remember', scope: elsewhere, name: 'recent', value: session.id, max: 2, ttlMs: 60_000 },
            ],
            deadline: { schedule: h.schedules[0], at: due },
          });
          expect(committed).to.deep.equal({});
          expect(await other.getFlag(scope, 'hold'), 'cleared: it held what was expected').to.equal(undefined);
          expect(await other.getFlag(scope, 'other-hold'), 'kept: it held something else').to.equal('theirs');
          expect((await other.peek(scope, ['cooldown']))[0]?.ttlMs).to.be.within(55_000, 60_000);
          expect(await other.recall(elsewhere, 'recent')).to.deep.equal([session.id]);
          expect(await h.schedules[1].claimDue(Date.now(), 10, 5_000)).to.deep.equal([session.id]);

          const stale = { ...session, version: 5 };
          const refused = await other.replace(stale, 60_000, {
            ...announce(stale),
            writes: [
              { op: 'clear', scope, name: 'other-hold' },
              { op: 'remember', scope: elsewhere, name: 'recent', value: 'never', max: 2, ttlMs: 60_000 },
            ],
            deadline: { schedule: h.schedules[1], at: undefined },
          });
          expect(refused).to.equal(undefined);
          expect(await store.getFlag(scope, 'other-hold')).to.equal('theirs');
          expect(await store.recall(elsewhere, 'recent')).to.deep.equal([session.id]);
          expect(await h.schedules[0].claimDue(Date.now() + 10_000, 10, 5_000), 'still scheduled').to.deep.equal([
            session.id,
          ]);

          const next = { ...session, version: 2 };
          await other.replace(next, 60_000, {
            ...announce(next),
            deadline: { schedule: h.schedules[1], at: undefined },
          });
          expect(await h.schedules[0].claimDue(Date.now() + 20_000, 10, 5_000), 'no deadline left').to.deep.equal([]);
        });

        it(`takes its allowance with the write: refused, nothing is written, counted or announced (an id ${layout})`, async () => {
          const session = sessionFor();
          await store.create(session, 60_000);
          const allowance = {
            scope,
            allowance: {
              blockedBy: ['cooldown'],
              counters: [{ name: 'prompts', limit: 2, windowMs: 60_000 }],
              hold: { name: 'pending', value: 'p1', ttlMs: 60_000 },
            },
          };
          const v2 = { ...session, version: 2, state: 'awaiting_device' as const };
          expect(await other.replace(v2, 60_000, { ...announce(v2), allowance })).to.deep.equal({});
          expect((await store.peek(scope, ['prompts', 'pending'])).map((p) => p?.value)).to.deep.equal(['1', 'p1']);

          const v3 = { ...v2, version: 3 };
          const held = await store.replace(v3, 60_000, { ...announce(v3), allowance });
          expect(held?.refused?.refusedBy, 'its own hold is still set').to.equal('pending');
          expect(held?.refused?.retryAfterMs).to.be.within(1, 60_000);
          expect((await other.get(session.id))?.version, 'not written').to.equal(2);

          await store.clearFlag(scope, 'pending');
          const stale = { ...v2, version: 9 };
          expect(await store.replace(stale, 60_000, { ...announce(stale), allowance }), 'a stale write').to.equal(
            undefined,
          );
          expect(
            (await store.peek(scope, ['prompts', 'pending'])).map((p) => p?.value),
            'counts nothing',
          ).to.deep.equal(['1', undefined]);

          await store.setFlag(scope, 'cooldown', 'device_denied', 60_000);
          const blocked = await other.replace(v3, 60_000, { ...announce(v3), allowance });
          expect(blocked?.refused?.refusedBy).to.equal('cooldown');
          await store.clearFlag(scope, 'cooldown');
          expect(await other.replace(v3, 60_000, { ...announce(v3), allowance })).to.deep.equal({});
          await store.clearFlag(scope, 'pending');
          const v4 = { ...v3, version: 4 };
          const limited = await store.replace(v4, 60_000, { ...announce(v4), allowance });
          expect(limited?.refused?.refusedBy, 'the limit reached').to.equal('prompts');
          await delivered(session, 3);
          expect(versionsHeard(session), 'only what was written was announced').to.deep.equal([2, 3]);
        });
      }

      it('frees a turn taken in a commit whose replica died before rendering, once its lease runs out', async () => {
        const session = sampleSession();
        const dying = { ...announce(session, 'dead'), turn: { token: 'dead', turnMs: 100 } };
        expect((await store.create(session, 60_000, dying)).turn?.kind).to.equal('yours');
        expect((await other.takeRenderTurn(session.id, 1, 'token-b', 5_000)).kind).to.equal('busy');
        await h.elapse(200);
        expect((await other.takeRenderTurn(session.id, 1, 'token-b', 5_000)).kind).to.equal('yours');
      });
    });

    it('answers a ping', async () => {
      await store.ping();
      await other.ping();
    });
  });
}
