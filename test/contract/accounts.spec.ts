import { expect } from 'chai';
import { DemoAccounts } from '../../adapters/accounts/demo-accounts.ts';
import { HttpAccounts } from '../../adapters/accounts/http-accounts.ts';
import { createKeepAliveFetch } from '../../adapters/http/keep-alive-fetch.ts';
import { DirectoryUnavailableError } from '../../core/errors.ts';
import type { Accounts } from '../../core/ports/index.ts';
import { directoryDouble } from '../support/directory-double.ts';
import { RecordingServer } from '../support/recording-server.ts';

function accountsContract(name: string, open: () => Promise<{ accounts: Accounts; close(): Promise<void> }>): void {
  describe(`Accounts contract: ${name}`, () => {
    let accounts: Accounts;
    let close: () => Promise<void>;
    beforeEach(async () => {
      ({ accounts, close } = await open());
    });
    afterEach(async () => close());

    it('finds the demo accounts by email, phone or id (the fixed demo data, docs/architecture.md#demo-data)', async () => {
      for (const query of ['alex@example.com', 'Alex@Example.com', '+31 6 1234 5678', '06 1234 5678', 'demo-alex']) {
        expect((await accounts.find(query))?.id, query).to.equal('demo-alex');
      }
      const jan = await accounts.find('jan@example.nl');
      expect(jan).to.deep.include({ id: 'demo-jan', locale: 'nl' });
    });

    it('answers undefined for nobody', async () => {
      expect(await accounts.find('nobody@example.com')).to.equal(undefined);
      expect(await accounts.summary('demo-nobody')).to.equal(undefined);
      expect(await accounts.profile('demo-nobody')).to.equal(undefined);
    });

    it('keeps serial numbers out of everything but the profile', async () => {
      const summary = await accounts.find('alex@example.com');
      expect(JSON.stringify(summary)).to.not.match(/DMPXK1ALEX01|C02ZK2ALEX02|serial/u);
      expect(summary?.devices.map((d) => d.name)).to.deep.equal(['iPhone', 'MacBook']);
      expect(JSON.stringify(await accounts.summary('demo-jan'))).to.not.contain('F17ZJ3JAN003');
    });

    it('gives the limited profile with device serials', async () => {
      const alex = await accounts.profile('demo-alex');
      expect(alex?.devices.map((d) => [d.name, d.serial])).to.deep.equal([
        ['iPhone', 'DMPXK1ALEX01'],
        ['MacBook', 'C02ZK2ALEX02'],
      ]);
      expect((await accounts.profile('demo-jan'))?.devices[0]?.serial).to.equal('F17ZJ3JAN003');
    });
  });
}

accountsContract('demo directory', async () => ({ accounts: await DemoAccounts.load(), close: async () => {} }));

accountsContract('http directory', async () => {
  const server = await directoryDouble();
  const url = await server.start();
  return { accounts: new HttpAccounts({ baseUrl: `${url}/v1` }), close: () => server.stop() };
});

accountsContract('http directory through the keep-alive fetch the server uses', async () => {
  const server = await directoryDouble();
  const url = await server.start();
  const outbound = createKeepAliveFetch();
  return {
    accounts: new HttpAccounts({ baseUrl: `${url}/v1`, fetch: outbound.fetch }),
    close: async () => {
      outbound.close();
      await server.stop();
    },
  };
});

describe('HttpAccounts', () => {
  let server: RecordingServer;
  let accounts: HttpAccounts;
  let base = '';
  beforeEach(async () => {
    server = new RecordingServer();
    base = await server.start();
    accounts = new HttpAccounts({ baseUrl: `${base}/v1/`, timeoutMs: 300 });
  });
  afterEach(async () => server.stop());

  it('asks with the query encoded, never in a path segment', async () => {
    server.reply = () => ({ status: 404 });
    await accounts.find('a+b@example.com');
    expect(server.requests[0]?.url).to.equal('/v1/accounts?lookup=a%2Bb%40example.com');
  });

  it('refuses an answer that is not a valid profile', async () => {
    server.reply = () => ({ status: 200, body: { id: 'x', displayName: 'X', devices: 'none' } });
    let failure: unknown;
    await accounts.profile('x').catch((error: unknown) => {
      failure = error;
    });
    expect(String(failure)).to.match(/invalid profile/u);
    expect(failure).to.be.instanceOf(DirectoryUnavailableError);
  });

  it('fails on a server error or a slow directory instead of guessing', async () => {
    server.reply = () => ({ status: 500 });
    let failure: unknown;
    await accounts.find('x').catch((error: unknown) => {
      failure = error;
    });
    expect(String(failure)).to.match(/500/u);
    expect(failure).to.be.instanceOf(DirectoryUnavailableError);
    server.reply = () => new Promise((resolve) => setTimeout(() => resolve({ status: 404 }), 1000));
    failure = undefined;
    await accounts.find('x').catch((error: unknown) => {
      failure = error;
    });
    expect(failure).to.be.instanceOf(DirectoryUnavailableError);
    expect((failure as Error).message).to.match(/did not answer \((TimeoutError|AbortError)\)/u);
    await server.stop();
    failure = undefined;
    await accounts.find('x').catch((error: unknown) => {
      failure = error;
    });
    expect((failure as Error).message, 'a refused connection').to.match(/did not answer/u);
  });

  describe('profile cache', () => {
    const profile = {
      id: 'acct-1',
      displayName: 'Sam',
      email: 'sam@example.com',
      locale: 'en',
      memberSince: '2020-01-01',
      plan: 'Family',
      devices: [{ id: 'd1', name: 'iPhone', kind: 'phone', trusted: true, model: 'iPhone 15', serial: 'SN1' }],
    };
    let now = 0;
    beforeEach(async () => {
      server.reply = () => ({ status: 200, body: profile });
      now = 1_000;
      accounts = new HttpAccounts({ baseUrl: `${base}/v1/`, cacheMs: 30_000, cacheSize: 2, now: () => now });
    });

    it('reads an account found by lookup without asking again, and one request serves concurrent reads', async () => {
      await accounts.find('sam@example.com');
      await accounts.summary('acct-1');
      await accounts.profile('acct-1');
      expect(server.requests).to.have.length(1);
      await Promise.all([accounts.profile('acct-2'), accounts.profile('acct-2'), accounts.summary('acct-2')]);
      expect(server.requests).to.have.length(2);
    });

    it('asks again once the profile is older than cacheMs, and keeps at most cacheSize accounts', async () => {
      await accounts.profile('acct-1');
      now += 30_001;
      await accounts.profile('acct-1');
      expect(server.requests).to.have.length(2);
      await accounts.profile('acct-2');
      await accounts.profile('acct-3');
      await accounts.profile('acct-1');
      expect(server.requests, 'acct-1 was the oldest of three and was dropped').to.have.length(5);
    });

    it('does not remember a failure, and a caller cannot change what the next one reads', async () => {
      server.reply = () => ({ status: 500 });
      await accounts.profile('acct-1').catch(() => undefined);
      server.reply = () => ({ status: 200, body: profile });
      const first = await accounts.profile('acct-1');
      expect(server.requests).to.have.length(2);
      if (first) first.devices = [];
      expect((await accounts.profile('acct-1'))?.devices).to.have.length(1);
    });
  });
});
