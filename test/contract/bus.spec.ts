import { expect } from 'chai';
import type { Redis } from 'ioredis';
import { InProcessBus } from '../../adapters/bus/in-process-bus.ts';
import { RedisBus } from '../../adapters/bus/redis-bus.ts';
import { storeKeys } from '../../adapters/store/keys.ts';
import type { SessionUpdate } from '../../core/ports/index.ts';
import { readyClients, sleep, useRedisServer } from '../support/redis-fixture.ts';
import { busContract, eventually, redisBusHarness } from './bus.contract.ts';

busContract('in process', async () => {
  const bus = new InProcessBus();
  return { buses: [bus, bus], settle: () => sleep(1), close: () => bus.close() };
});

describe('RedisBus', () => {
  const redis = useRedisServer();

  busContract('redis', () => redisBusHarness(redis().url));

  it('ignores messages on its channel that are not session updates', async () => {
    const [client] = (await readyClients(redis().url, 1)) as [Redis];
    const bus = new RedisBus(client);
    const seen: SessionUpdate[] = [];
    await bus.subscribe((u) => {
      seen.push(u);
    });
    const raw = redis().client();
    for (const junk of [
      'not json',
      '{}',
      '{"sessionId":"s","version":"2","state":"verified"}',
      '{"sessionId":"s","version":2,"state":"hacked"}',
    ]) {
      await raw.publish(storeKeys.busChannel, junk);
    }
    await raw.publish(storeKeys.busChannel, JSON.stringify({ sessionId: 's', version: 3, state: 'verified' }));
    await eventually(
      () => seen.length > 0,
      () => sleep(20),
    );
    expect(seen).to.deep.equal([{ sessionId: 's', version: 3, state: 'verified' }]);
    await raw.quit();
    await bus.close();
    client.disconnect();
  });
});
