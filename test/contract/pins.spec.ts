import { expect } from 'chai';
import { BuiltinPins, isGuessable } from '../../adapters/pins/builtin-pins.ts';
import { connectRedis } from '../../adapters/redis/connect.ts';
import { MemorySessionStore } from '../../adapters/store/memory-session-store.ts';
import { RedisSessionStore } from '../../adapters/store/redis-session-store.ts';
import type { Pins, SessionStore } from '../../core/ports/index.ts';
import { FakeClock } from '../support/clock.ts';
import { hashAccount, PEPPER } from '../support/fakes.ts';
import { replicaStores, useRedisServer } from '../support/redis-fixture.ts';

interface PinsHarness {
  /** Two authorities over one store each, sharing data: two replicas. */
  replicas: [Pins, Pins];
  clock: FakeClock;
  /** Every stored key and value, to look for PINs at rest. */
  dump(): Promise<string>;
  close(): Promise<void>;
}

function pinsFor(store: SessionStore, clock: FakeClock): BuiltinPins {
  return new BuiltinPins({ store, clock, pepper: PEPPER, validMinutes: 10, hashAccount });
}

function pinsContract(name: string, open: () => Promise<PinsHarness>): void {
  describe(`Pins contract: ${name}`, () => {
    let h: PinsHarness;
    let pins: Pins;
    let other: Pins;
    beforeEach(async () => {
      h = await open();
      [pins, other] = h.replicas;
    });
    afterEach(async () => h.close());

    it('issues 4 digits valid for the configured minutes', async () => {
      const { pin, expiresAt } = await pins.issue('demo-alex');
      expect(pin).to.match(/^\d{4}$/u);
      expect(expiresAt).to.equal(h.clock.now() + 10 * 60_000);
    });

    it('accepts the right PIN once, on any replica', async () => {
      const { pin } = await pins.issue('demo-alex');
      expect(await other.check('demo-alex', pin)).to.equal(true);
      expect(await pins.check('demo-alex', pin)).to.equal(false);
    });

    it('answers false alike for wrong, unknown and other accounts’ PINs', async () => {
      const { pin } = await pins.issue('demo-alex');
      const wrong = pin === '5555' ? '5556' : '5555';
      expect(await pins.check('demo-alex', wrong)).to.equal(false);
      expect(await pins.check('demo-jan', pin)).to.equal(false);
      expect(await pins.check('demo-nobody', pin)).to.equal(false);
      expect(await pins.check('demo-alex', pin), 'a wrong try does not void it').to.equal(true);
    });

    it('keeps only the newest PIN of an account', async () => {
      const first = await pins.issue('demo-alex');
      let second = await pins.issue('demo-alex');
      while (second.pin === first.pin) second = await pins.issue('demo-alex');
      expect(await pins.check('demo-alex', first.pin)).to.equal(false);
      expect(await pins.check('demo-alex', second.pin)).to.equal(true);
    });

    it('voids a PIN on revoke', async () => {
      const { pin } = await pins.issue('demo-alex');
      await other.revoke('demo-alex');
      expect(await pins.check('demo-alex', pin)).to.equal(false);
    });

    it('succeeds exactly once for 100 simultaneous checks of the right PIN across replicas', async () => {
      const { pin } = await pins.issue('demo-alex');
      const results = await Promise.all(
        Array.from({ length: 100 }, (_, i) => (i % 2 ? pins : other).check('demo-alex', pin)),
      );
      expect(results.filter(Boolean)).to.have.length(1);
    });

    it('stores only a peppered hash: neither the PIN nor the account id is at rest', async () => {
      const { pin } = await pins.issue('demo-alex');
      const dump = await h.dump();
      expect(dump).to.match(/[0-9a-f]{64}/u);
      expect(dump).to.not.contain('demo-alex');
      for (const token of dump.split(/[^0-9a-zA-Z]+/u)) expect(token).to.not.equal(pin);
    });

    it('never issues a PIN a guesser would try first', async () => {
      const issued = new Set<string>();
      for (let i = 0; i < 300; i++) issued.add((await pins.issue(`demo-${i % 3}`)).pin);
      for (const pin of issued) expect(isGuessable(pin), pin).to.equal(false);
      expect(issued.size).to.be.greaterThan(200);
    });
  });
}

describe('isGuessable', () => {
  it('flags repeated digits and straight runs, nothing else', () => {
    for (const pin of ['0000', '7777', '1234', '6789', '4321', '9876']) expect(isGuessable(pin), pin).to.equal(true);
    for (const pin of ['4821', '1235', '9012', '0392', '1122']) expect(isGuessable(pin), pin).to.equal(false);
  });
});

pinsContract('built-in on memory', async () => {
  const clock = new FakeClock();
  const store = new MemorySessionStore(clock);
  return {
    replicas: [pinsFor(store, clock), pinsFor(store, clock)],
    clock,
    dump: async () => store.dump().flat().join('\n'),
    close: () => store.close(),
  };
});

describe('BuiltinPins on Redis', () => {
  const redis = useRedisServer();
  pinsContract('built-in on redis', async () => {
    await redis().flush();
    const clock = new FakeClock(Date.now());
    const stores = await replicaStores(redis().url);
    const [a, b] = stores;
    return {
      replicas: [pinsFor(a, clock), pinsFor(b, clock)],
      clock,
      dump: () => redis().dump(),
      close: async () => {
        await Promise.all(stores.map((s) => s.close()));
      },
    };
  });

  it('answers with an error, never true, when Redis is unreachable', async () => {
    const client = connectRedis('redis://127.0.0.1:1', { commandTimeoutMs: 200, connectTimeoutMs: 200 });
    const pins = pinsFor(new RedisSessionStore(client), new FakeClock());
    let failure: unknown;
    const result = await pins.check('demo-alex', '4821').catch((error: unknown) => {
      failure = error;
      return 'threw';
    });
    expect(result).to.equal('threw');
    expect((failure as Error).name).to.equal('StoreUnavailableError');
    client.disconnect();
  });
});
