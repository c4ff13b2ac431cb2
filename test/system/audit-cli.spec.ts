import { expect } from 'chai';
import { startTestApp } from '../support/app.ts';
import { runNpmScript } from '../support/processes.ts';
import { useRedisServer } from '../support/redis-fixture.ts';
import { slashCommand } from '../support/slack.ts';
import { type SlackHarness, startSlackApp } from '../support/slack-app.ts';

const AUDIT_KEY = 'test-audit-key-0123456789abcdef0123456789';
const STREAM = 'sv:{audit}:stream';

describe('npm run audit', function () {
  this.timeout(60_000);
  const redis = useRedisServer();
  let h: SlackHarness;
  before(async () => {
    await redis().flush();
    h = await startSlackApp({ redisUrl: redis().url });
    for (const customer of ['alex@example.com', 'jan@example.nl', 'sam@example.com', 'alex@example.com']) {
      await h.send(slashCommand(customer, {}, h.slack.responseUrl()));
    }
    await h.slack.waitFor('chat.postMessage', 4);
    await h.close();
  });

  /** `npm run -s audit -- …args` as an operator runs it, with the server's configuration. */
  const audit = (args: string[], env: Record<string, string> = {}) =>
    runNpmScript('audit', args, { env: { REDIS_URL: redis().url, AUDIT_KEY, ...env } });

  it('verifies the trail the server wrote, and exports it as NDJSON with OWASP names', async () => {
    const verified = await audit(['verify']);
    expect(verified.code, verified.err).to.equal(0);
    expect(verified.out).to.match(/^\d+ entries in 1 segment\(s\): every seal and sequence checks out\n$/u);

    const exported = await audit(['export', '--since', '1h']);
    expect(exported.code, exported.err).to.equal(0);
    const lines = exported.out
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.map((l) => l.type)).to.include('verification_started');
    for (const line of lines) {
      expect(line).to.include.keys('id', 'type', 'at', 'outcome', 'channel', 'owasp', 'seal');
      expect(new Date(line.at).toISOString()).to.equal(line.at);
      expect(JSON.stringify(line), 'account ids only as keyed hashes').to.not.match(/alex@|demo-alex|jan@/u);
    }
    expect((await audit(['export', '--since', new Date(Date.now() + 60_000).toISOString()])).out).to.equal('');
  });

  it('reports an edited and a deleted entry by id, and exits 1', async () => {
    const client = redis().client();
    const entries = await client.xrange(STREAM, '-', '+');
    const [first, second, third] = entries;
    if (!first || !second || !third) throw new Error('too few audit entries');
    await client.del(STREAM);
    for (const [id, fields] of entries) {
      if (id === third[0]) continue;
      // The outcome of the second entry turned into a success.
      const edited = id === second[0] ? fields.map((f, i) => (i === 5 ? 'success' : f)) : fields;
      await client.xadd(STREAM, id, ...edited);
    }
    await client.quit();

    const verified = await audit(['verify']);
    expect(verified.code).to.equal(1);
    expect(verified.out).to.contain(`PROBLEM ${second[0]}: altered`);
    expect(verified.out).to.contain('1 entry is missing before it');
    const json = await audit(['verify', '--json']);
    expect(JSON.parse(json.out).problems).to.have.length(2);
  });

  it('refuses a wrong AUDIT_KEY, unknown commands and options, and no Redis', async () => {
    expect((await audit(['verify'], { AUDIT_KEY: 'another-audit-key-0123456789abcdef0123' })).code).to.equal(1);
    const unknown = await audit(['rewrite']);
    expect(unknown.code).to.equal(2);
    expect(unknown.err).to.contain('usage: npm run audit -- verify');
    expect((await audit(['export', '--since', 'yesterday-ish'])).err).to.contain('--since needs a time');
    expect((await audit(['verify', '--loud'])).err).to.contain('unknown option --loud');
    expect((await audit(['export', '--json'])).err).to.contain('--json is for verify');
    expect((await audit(['verify', '--since', '1h'])).code).to.equal(2);
    const noServer = await audit(['verify'], { REDIS_URL: '', PORT: '1' });
    expect(noServer.code).to.equal(3);
    expect(noServer.err).to.contain('no embedded server answered at http://127.0.0.1:1/');
    const noExport = await audit(['export', '--since', '1h'], { REDIS_URL: '' });
    expect(noExport.code).to.equal(2);
    expect(noExport.err).to.contain('export reads the durable trail in Redis');
  });

  it('in embedded mode (no Redis) verifies the running server’s memory trail, sealed as the stream is', async () => {
    const embedded = await startTestApp({ env: { AUDIT_KEY } });
    try {
      const agent = { id: 'U0AUDIT', displayName: 'Robin', channel: 'slack' as const, locale: 'en' as const };
      for (const query of ['alex@example.com', 'jan@example.nl']) {
        const session = await embedded.app.verification.start({ agent, query });
        await embedded.app.verification.cancel(session.id, { kind: 'agent', who: agent });
      }
      const port = new URL(embedded.url).port;
      const verified = await audit(['verify'], { REDIS_URL: '', PORT: port });
      expect(verified.code, verified.err).to.equal(0);
      expect(verified.out).to.match(
        /^4 entries in the embedded server's memory \(1 segment\(s\)\): every seal and sequence checks out/u,
      );
      const json = await audit(['verify', '--json'], { REDIS_URL: '', PORT: port });
      expect(JSON.parse(json.out)).to.deep.equal({ entries: 4, segments: 1, problems: [], embedded: true });
    } finally {
      await embedded.close();
    }
  });
});
