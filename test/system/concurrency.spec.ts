import { expect } from 'chai';
import sinon from 'sinon';
import type { RedisSessionStore } from '../../adapters/store/redis-session-store.ts';
import { IllegalTransitionError, PinsLockedError } from '../../core/errors.ts';
import { expectRejection } from '../support/assertions.ts';
import { FakeClock } from '../support/clock.ts';
import { AGENT, type FlowFixture, flowFixture } from '../support/fakes.ts';
import { replicaStores, useRedisServer } from '../support/redis-fixture.ts';

const agent = { kind: 'agent', who: AGENT } as const;

describe('concurrency across replicas on one Redis', () => {
  const redis = useRedisServer();
  let replicas: [FlowFixture, FlowFixture];
  let stores: RedisSessionStore[];

  beforeEach(async () => {
    await redis().flush();
    const clock = new FakeClock(Date.now());
    stores = await replicaStores(redis().url);
    // One agent starts many verifications here; the per-agent hourly limit has a test of its own below.
    const policies = { agentVerificationsPerHour: 200 };
    replicas = [
      await flowFixture({ store: stores[0] as RedisSessionStore, clock, policies }),
      await flowFixture({ store: stores[1] as RedisSessionStore, clock, policies }),
    ];
  });
  afterEach(async () => {
    sinon.restore();
    await Promise.all(stores.map((s) => s.close()));
  });

  const pick = (i: number) => replicas[i % 2] as FlowFixture;

  it('accepts 100 simultaneous submissions of the right PIN exactly once', async () => {
    const [a] = replicas;
    const { pin } = await a.verification.issuePin('demo-alex');
    const session = await a.verification.start({ agent: AGENT, query: 'alex@example.com' });
    await a.verification.choosePin(session.id, agent);
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        pick(i)
          .verification.submitPin(session.id, pin, agent)
          .then((r) => r.result)
          .catch((error: unknown) => (error instanceof IllegalTransitionError ? 'refused' : Promise.reject(error))),
      ),
    );
    expect(results.filter((r) => r === 'accepted')).to.have.length(1);
    expect((await a.verification.get(session.id)).state).to.equal('verified');
    const grants = [...a.audit.events, ...(replicas[1] as FlowFixture).audit.events].filter(
      (e) => e.type === 'grant_issued',
    );
    expect(grants).to.have.length(1);
  });

  it('checks no more than 3 of 50 simultaneous wrong guesses on one session, however they arrive', async () => {
    const [a, b] = replicas;
    const checks = [sinon.spy(a.pins, 'check'), sinon.spy(b.pins, 'check')];
    const checked = () => (checks[0]?.callCount ?? 0) + (checks[1]?.callCount ?? 0);
    const { pin } = await a.verification.issuePin('demo-alex');
    const session = await a.verification.start({ agent: AGENT, query: 'alex@example.com' });
    await a.verification.choosePin(session.id, agent);
    const wrong = pin === '1357' ? '2468' : '1357';
    const burst = () =>
      Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          pick(i)
            .verification.submitPin(session.id, wrong, agent)
            .then((r) => r.result)
            .catch((error: unknown) => (error instanceof IllegalTransitionError ? 'refused' : Promise.reject(error))),
        ),
      );
    const results = await burst();
    expect(results).to.not.include('accepted');
    expect(results, 'duplicates in flight are told to wait, not counted').to.include('busy');
    while ((await a.verification.get(session.id)).state === 'awaiting_pin') await burst();
    expect(checked()).to.equal(3);
    const final = await a.verification.get(session.id);
    expect(final).to.include({ state: 'failed', reason: 'pin_tries_exhausted', pinTriesLeft: 0 });
    expect(await a.pins.check('demo-alex', pin), 'the PIN was voided').to.equal(false);
  });

  it('lets one agent start no more than the hourly limit of 50 simultaneous verifications, across replicas', async () => {
    const clock = new FakeClock(Date.now());
    const limited = [
      await flowFixture({ store: stores[0] as RedisSessionStore, clock }),
      await flowFixture({ store: stores[1] as RedisSessionStore, clock }),
    ];
    const outcomes = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        (limited[i % 2] as FlowFixture).verification.start({ agent: AGENT, query: 'demo-alex' }).then(
          () => 'started',
          (error: Error) => error.name,
        ),
      ),
    );
    expect(outcomes.filter((o) => o === 'started')).to.have.length(30);
    expect(outcomes.filter((o) => o === 'RateLimitedError')).to.have.length(20);
  });

  it('checks no more than 10 of 50 simultaneous wrong guesses spread over many sessions of one account', async () => {
    const [a, b] = replicas;
    const checks = [sinon.spy(a.pins, 'check'), sinon.spy(b.pins, 'check')];
    const sessions = await Promise.all(
      Array.from({ length: 50 }, (_, i) => pick(i).verification.start({ agent: AGENT, query: 'demo-alex' })),
    );
    await Promise.all(sessions.map((s, i) => pick(i).verification.choosePin(s.id, agent)));
    // Every PIN entry opened before the first guess: the 50 guesses race each other, not the lock.
    const results = await Promise.all(
      sessions.map((s, i) =>
        pick(i)
          .verification.submitPin(s.id, '1357', agent)
          .then((r) => r.result),
      ),
    );
    expect((checks[0]?.callCount ?? 0) + (checks[1]?.callCount ?? 0)).to.be.at.most(10);
    expect(results.filter((r) => r === 'locked').length).to.be.at.least(40);
    // Locked for 24 h: no PIN is issued, and no PIN entry opens, on either replica.
    await expectRejection(a.verification.issuePin('demo-alex'), PinsLockedError);
    const after = await b.verification.start({ agent: AGENT, query: 'demo-alex' });
    expect(after.availability?.pinLockedUntil).to.be.a('number');
    await expectRejection(b.verification.choosePin(after.id, agent), PinsLockedError);
  });

  it('leaves exactly one outcome when "confirmed" and "denied" race for one prompt', async () => {
    const [a, b] = replicas;
    for (let round = 0; round < 20; round++) {
      const session = await a.verification.start({ agent: AGENT, query: round % 2 ? 'demo-alex' : 'demo-jan' });
      const waiting = await a.verification.chooseDevice(session.id, agent);
      const promptId = waiting.prompt?.id ?? '';
      const outcomes = await Promise.allSettled([
        a.verification.deviceResponse(promptId, 'confirmed', waiting.prompt?.matchNumber),
        b.verification.deviceResponse(promptId, 'denied'),
      ]);
      const won = outcomes.filter((o) => o.status === 'fulfilled');
      expect(won, `round ${round}`).to.have.length(1);
      const lost = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
      expect(lost.reason).to.be.instanceOf(IllegalTransitionError);
      const final = await b.verification.get(session.id);
      expect(final.state).to.equal((won[0] as PromiseFulfilledResult<{ state: string }>).value.state);
      expect(final.version).to.equal(3);
      // The denial's cool-down would block the next round's prompt: clear it, as time passing would.
      const scope = `a:${(await import('../support/fakes.ts')).hashAccount(session.accountId)}`;
      await stores[0]?.clearFlag(scope, 'prompt-cooldown');
      await redis().flush();
    }
  });
});
