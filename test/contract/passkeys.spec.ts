import { MemoryPasskeyRegistry } from '../../adapters/passkeys/memory-passkey-registry.ts';
import { RedisPasskeyRegistry } from '../../adapters/passkeys/redis-passkey-registry.ts';
import { hashAccount } from '../support/fakes.ts';
import { readyClients, useRedisServer } from '../support/redis-fixture.ts';
import { passkeyRegistryContract } from './passkeys.contract.ts';

passkeyRegistryContract('memory', async () => {
  const registry = new MemoryPasskeyRegistry();
  return { replicas: [registry, registry], close: async () => undefined };
});

describe('RedisPasskeyRegistry', () => {
  const redis = useRedisServer();
  passkeyRegistryContract('redis', async () => {
    const clients = await readyClients(redis().url, 2);
    const scopeOf = (accountId: string) => `a:${hashAccount(accountId)}`;
    const [a, b] = clients.map((client) => new RedisPasskeyRegistry(client, scopeOf));
    if (!a || !b) throw new Error('no clients');
    return {
      replicas: [a, b],
      close: async () => {
        for (const client of clients) client.disconnect();
      },
    };
  });
});
