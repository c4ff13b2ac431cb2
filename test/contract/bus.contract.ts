import { expect } from 'chai';
import { RedisBus } from '../../adapters/bus/redis-bus.ts';
import type { RedisTopology } from '../../adapters/redis/connect.ts';
import type { Bus, ChatEvent, SessionUpdate } from '../../core/ports/index.ts';
import { readyClients, sleep } from '../support/redis-fixture.ts';

export interface BusHarness {
  /** Two buses that share their channel, as two replicas' buses do. */
  buses: [Bus, Bus];
  /** Lets delivery happen. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

/** Settles until `check` holds, at most 40 times. */
export async function eventually(check: () => boolean, settle: () => Promise<void>): Promise<void> {
  for (let i = 0; i < 40 && !check(); i++) await settle();
}

/** The behaviour every {@link Bus} implementation shares, run against each. */
export function busContract(name: string, open: () => Promise<BusHarness>): void {
  describe(`Bus contract: ${name}`, () => {
    let h: BusHarness;
    beforeEach(async () => {
      h = await open();
    });
    afterEach(async () => h.close());

    const update: SessionUpdate = { sessionId: 's-1', version: 2, state: 'awaiting_pin' };

    it('delivers a published update to every subscriber, on any replica', async () => {
      const [a, b] = h.buses;
      const seenA: SessionUpdate[] = [];
      const seenB: SessionUpdate[] = [];
      await a.subscribe((u) => {
        seenA.push(u);
      });
      await b.subscribe((u) => {
        seenB.push(u);
      });
      await a.publish(update);
      await eventually(() => seenA.length > 0 && seenB.length > 0, h.settle);
      expect(seenA).to.deep.equal([update]);
      expect(seenB).to.deep.equal([update]);
    });

    it('carries chat events apart from session updates, to every replica', async () => {
      const [a, b] = h.buses;
      const chat: ChatEvent[] = [];
      const sessions: SessionUpdate[] = [];
      await b.subscribeChat((e) => {
        chat.push(e);
      });
      await b.subscribe((u) => {
        sessions.push(u);
      });
      const event: ChatEvent = { conversationId: 'c-1', seq: 3, from: 'customer' };
      await a.publishChat(event);
      await a.publish(update);
      await eventually(() => chat.length > 0 && sessions.length > 0, h.settle);
      expect(chat).to.deep.equal([event]);
      expect(sessions).to.deep.equal([update]);
    });

    it('stops delivering after unsubscribe', async () => {
      const [a, b] = h.buses;
      const seen: SessionUpdate[] = [];
      const stop = await b.subscribe((u) => {
        seen.push(u);
      });
      await stop();
      await a.publish(update);
      await h.settle();
      await h.settle();
      expect(seen).to.deep.equal([]);
    });

    it('keeps delivering to others when one handler throws', async () => {
      const [a] = h.buses;
      const seen: SessionUpdate[] = [];
      await a.subscribe(() => {
        throw new Error('handler bug');
      });
      await a.subscribe((u) => {
        seen.push(u);
      });
      await a.publish(update);
      await eventually(() => seen.length > 0, h.settle);
      expect(seen).to.deep.equal([update]);
    });
  });
}

/** Two {@link RedisBus}es on their own connections to one Redis (a URL, a Cluster or a Sentinel). */
export async function redisBusHarness(where: string | RedisTopology): Promise<BusHarness> {
  const [a, b] = await readyClients(where, 2);
  if (!a || !b) throw new Error('no clients');
  const buses: [RedisBus, RedisBus] = [new RedisBus(a), new RedisBus(b)];
  return {
    buses,
    settle: () => sleep(20),
    close: async () => {
      await Promise.all(buses.map((bus) => bus.close()));
      a.disconnect();
      b.disconnect();
    },
  };
}
