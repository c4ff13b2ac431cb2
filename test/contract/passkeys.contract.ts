import { expect } from 'chai';
import type { Passkey, PasskeyRegistry } from '../../core/ports/index.ts';

export interface PasskeysHarness {
  /** Two registries over the same data, as two replicas would have. */
  replicas: [PasskeyRegistry, PasskeyRegistry];
  close(): Promise<void>;
}

let counter = 0;
export function samplePasskey(overrides: Partial<Passkey> = {}): Passkey {
  counter += 1;
  return {
    id: `cred-${counter}-${Math.random().toString(36).slice(2)}`,
    publicKey:
      'pQECAyYgASFYIBNmcOHgGWhdu2wpGSKHi0JJDC0zqxK5kvB4Jr8RVNvKIlggoNhSnBfTq3YRWqwW0bpBjHm0JNfwMhTuIkiZ2dEOu4Y',
    counter: 0,
    deviceType: 'multiDevice',
    backedUp: true,
    transports: ['internal', 'hybrid'],
    name: 'Jan’s iPhone 📱',
    createdAt: 1_796_000_000_000 + counter,
    ...overrides,
  };
}

/** What every {@link PasskeyRegistry} must do. */
export function passkeyRegistryContract(name: string, open: () => Promise<PasskeysHarness>): void {
  describe(`PasskeyRegistry contract: ${name}`, () => {
    let h: PasskeysHarness;
    let registry: PasskeyRegistry;
    let other: PasskeyRegistry;
    let account: string;
    beforeEach(async () => {
      h = await open();
      [registry, other] = h.replicas;
      account = `acct-${Math.random().toString(36).slice(2)}`;
    });
    afterEach(async () => h.close());

    it('keeps what was registered exactly, oldest first, per account', async () => {
      const first = samplePasskey();
      const second = samplePasskey({ transports: [], deviceType: 'singleDevice', backedUp: false, counter: 7 });
      expect(await registry.add(account, second, 10)).to.equal(true);
      expect(await registry.add(account, first, 10)).to.equal(true);
      expect(await other.list(account)).to.deep.equal([first, second]);
      expect(await other.list(`${account}-else`)).to.deep.equal([]);
    });

    it('refuses a credential it has, and one past the maximum, changing nothing', async () => {
      const passkey = samplePasskey();
      expect(await registry.add(account, passkey, 2)).to.equal(true);
      expect(await other.add(account, { ...passkey, name: 'Another name' }, 2)).to.equal(false);
      const second = samplePasskey();
      expect(await other.add(account, second, 2)).to.equal(true);
      expect(await registry.add(account, samplePasskey(), 2)).to.equal(false);
      expect(await registry.list(account)).to.deep.equal([passkey, second]);
    });

    it('lets exactly one of many concurrent registrations take the last place', async () => {
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, i) => (i % 2 ? registry : other).add(account, samplePasskey(), 1)),
      );
      expect(results.filter(Boolean)).to.have.length(1);
      expect(await registry.list(account)).to.have.length(1);
    });

    it('removes once, and a removed passkey records no use and takes no subscription', async () => {
      const passkey = samplePasskey();
      await registry.add(account, passkey, 10);
      expect(await other.remove(account, passkey.id)).to.equal(true);
      expect(await registry.remove(account, passkey.id)).to.equal(false);
      expect(await registry.recordUse(account, passkey.id, { counter: 0, backedUp: true, at: 1 })).to.equal(false);
      expect(await registry.setPush(account, passkey.id, subscription())).to.equal(false);
      expect(await other.list(account)).to.deep.equal([]);
    });

    it('records a use: when, the counter and the backup state', async () => {
      const passkey = samplePasskey({ counter: 0, backedUp: false });
      await registry.add(account, passkey, 10);
      expect(
        await other.recordUse(account, passkey.id, { counter: 0, backedUp: true, at: 1_796_000_100_000 }),
      ).to.equal(true);
      expect(await registry.list(account)).to.deep.equal([
        { ...passkey, backedUp: true, lastUsedAt: 1_796_000_100_000 },
      ]);
    });

    it('refuses a counting authenticator whose counter did not go up (a clone), and records nothing', async () => {
      const passkey = samplePasskey({ counter: 5 });
      await registry.add(account, passkey, 10);
      for (const seen of [5, 4, 0])
        expect(
          await registry.recordUse(account, passkey.id, { counter: seen, backedUp: true, at: 2 }),
          `${seen}`,
        ).to.equal(false);
      expect(await registry.recordUse(account, passkey.id, { counter: 6, backedUp: true, at: 3 })).to.equal(true);
      expect((await other.list(account))[0]).to.include({ counter: 6, lastUsedAt: 3 });
      const zero = samplePasskey({ counter: 0 });
      await registry.add(account, zero, 10);
      expect(await other.recordUse(account, zero.id, { counter: 0, backedUp: true, at: 4 }), 'none kept').to.equal(
        true,
      );
      expect(await other.recordUse(account, zero.id, { counter: 1, backedUp: true, at: 5 }), 'starts').to.equal(true);
    });

    it('lets exactly one of concurrent uses with the same counter through', async () => {
      const passkey = samplePasskey({ counter: 10 });
      await registry.add(account, passkey, 10);
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          (i % 2 ? registry : other).recordUse(account, passkey.id, { counter: 11, backedUp: false, at: i }),
        ),
      );
      expect(results.filter(Boolean)).to.have.length(1);
    });

    it('sets, replaces and drops a push subscription, keeping the rest', async () => {
      const passkey = samplePasskey();
      await registry.add(account, passkey, 10);
      expect(await other.setPush(account, passkey.id, subscription('a'))).to.equal(true);
      expect(await other.setPush(account, passkey.id, subscription('b'))).to.equal(true);
      expect(await registry.list(account)).to.deep.equal([{ ...passkey, push: subscription('b') }]);
      expect(await registry.setPush(account, passkey.id, undefined)).to.equal(true);
      expect(await other.list(account)).to.deep.equal([passkey]);
    });
  });
}

function subscription(tag = 'a') {
  return {
    endpoint: `https://push.example.test/send/${tag}?x=1&y=/2`,
    keys: {
      p256dh: 'BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM',
      auth: 'tBHItJI5svbpez7KI4CCXg',
    },
  };
}
