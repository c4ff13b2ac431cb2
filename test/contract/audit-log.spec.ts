import { Writable } from 'node:stream';
import { expect } from 'chai';
import type { Redis } from 'ioredis';
import { LogAuditLog, MemoryAuditLog, TeeAuditLog } from '../../adapters/audit/log-audit-log.ts';
import { RedisAuditLog } from '../../adapters/audit/redis-audit-log.ts';
import { createLogger } from '../../adapters/log/logger.ts';
import type { AuditEvent } from '../../core/audit.ts';
import { readyClients, useRedisServer } from '../support/redis-fixture.ts';

const AUDIT_TEST_KEY = 'test-audit-key-0123456789abcdef0123456789';

const events: AuditEvent[] = [
  {
    type: 'verification_started',
    at: 1_764_000_000_000,
    outcome: 'info',
    channel: 'slack',
    sessionId: 's1',
    agent: { channel: 'slack', workspaceId: 'T1', id: 'U1' },
    customer: { channel: 'slack', workspaceId: 'T1', id: 'U0CUSTOMER' },
    account: 'ab'.repeat(16),
  },
  {
    type: 'pin_wrong',
    at: 1_764_000_001_000,
    outcome: 'failure',
    channel: 'slack',
    sessionId: 's1',
    method: 'pin',
    detail: { triesLeft: 2 },
  },
  {
    type: 'device_prompt_sent',
    at: 1_764_000_001_500,
    outcome: 'info',
    channel: 'teams',
    sessionId: 's2',
    agent: { channel: 'teams', id: '29:1agent' },
    method: 'device',
    detail: { numberMatching: true, cause: 'a, b: "c"' },
  },
  {
    type: 'secret_redacted',
    at: 1_764_000_002_000,
    outcome: 'info',
    channel: 'webchat',
    findings: ['password', 'verification_code'],
  },
];

function auditLogContract(
  name: string,
  open: () => Promise<{ log: MemoryAuditLog | RedisAuditLog; close(): Promise<void> }>,
): void {
  describe(`AuditLog contract: ${name}`, () => {
    it('keeps every event exactly, in order', async () => {
      const { log, close } = await open();
      for (const event of events) await log.append(event);
      expect(await log.read()).to.deep.equal(events);
      await close();
    });
  });
}

auditLogContract('memory', async () => ({ log: new MemoryAuditLog(), close: async () => {} }));

describe('RedisAuditLog', () => {
  const redis = useRedisServer();
  auditLogContract('redis stream', async () => {
    await redis().flush();
    const [client] = (await readyClients(redis().url, 1)) as [Redis];
    return { log: new RedisAuditLog(client, { key: AUDIT_TEST_KEY }), close: async () => void (await client.quit()) };
  });

  it('stores each event as the same fixed fields, and still reads entries written as one JSON field', async () => {
    await redis().flush();
    const [client] = (await readyClients(redis().url, 1)) as [Redis];
    const log = new RedisAuditLog(client, { key: AUDIT_TEST_KEY });
    await client.xadd('sv:{audit}:stream', '*', 'e', JSON.stringify(events[0]));
    await log.append(events[1] as AuditEvent);
    const raw = await client.xrange('sv:{audit}:stream', '-', '+');
    expect(raw[1]?.[1].filter((_, i) => i % 2 === 0)).to.deep.equal([
      't',
      'a',
      'o',
      'c',
      's',
      'g',
      'w',
      'k',
      'm',
      'f',
      'd',
      'u',
      'uw',
      'uc',
      'r',
      'n',
      'h',
    ]);
    expect(await log.read()).to.deep.equal([events[0], events[1]]);
    expect((await log.verify()).problems, 'the old entry has no seal').to.deep.equal([
      `${raw[0]?.[0]}: not sealed (no chain fields)`,
    ]);
    await client.quit();
  });

  describe('tamper evidence', () => {
    const stream = 'sv:{audit}:stream';
    let client: Redis;
    let log: RedisAuditLog;
    let ids: string[];
    beforeEach(async () => {
      await redis().flush();
      [client] = (await readyClients(redis().url, 1)) as [Redis];
      log = new RedisAuditLog(client, { key: AUDIT_TEST_KEY });
      for (let i = 0; i < 6; i++) await log.append({ ...(events[i % 3] as AuditEvent), at: 1_764_000_000_000 + i });
      ids = (await client.xrange(stream, '-', '+')).map(([id]) => id);
    });
    afterEach(async () => {
      await client.quit();
    });

    /** Rewrites the stream as someone with write access to Redis could, entry ids kept. */
    async function rewrite(change: (entries: Array<[string, string[]]>) => Array<[string, string[]]>): Promise<void> {
      const entries = change(await client.xrange(stream, '-', '+'));
      await client.del(stream);
      for (const [id, fields] of entries) await client.xadd(stream, id, ...fields);
    }

    it('verifies an untouched trail, across the segments of several replicas', async () => {
      const [other] = (await readyClients(redis().url, 1)) as [Redis];
      const second = new RedisAuditLog(other, { key: AUDIT_TEST_KEY });
      await Promise.all([log.append(events[0] as AuditEvent), second.append(events[1] as AuditEvent)]);
      const report = await log.verify();
      expect(report).to.deep.equal({ entries: 8, segments: 2, problems: [] });
      await other.quit();
    });

    it('writes the entries appended in one turn of the event loop in one command, in order, and verifies them', async () => {
      const sent: string[] = [];
      const monitor = await client.monitor();
      monitor.on('monitor', (_time: string, args: string[], source: string) => {
        if (source !== 'lua') sent.push(String(args[0]).toLowerCase());
      });
      const many = Array.from({ length: 40 }, (_, i) => ({
        ...(events[i % 3] as AuditEvent),
        at: 1_764_000_100_000 + i,
      }));
      await Promise.all(many.map((event) => log.append(event)));
      await log.append(events[0] as AuditEvent);
      monitor.disconnect();
      expect(sent.filter((name) => name === 'eval' || name === 'xadd')).to.deep.equal(['eval', 'xadd']);
      const stored = await log.read();
      expect(stored.slice(6, 46)).to.deep.equal(many);
      expect(await log.verify()).to.deep.equal({ entries: 47, segments: 1, problems: [] });
    });

    it('fails every entry of a batch that could not be written, and starts a new segment after it', async () => {
      await client.config('SET', 'maxmemory', '1');
      await client.config('SET', 'maxmemory-policy', 'noeviction');
      const failures = await Promise.allSettled([
        log.append(events[0] as AuditEvent),
        log.append(events[1] as AuditEvent),
      ]);
      await client.config('SET', 'maxmemory', '0');
      expect(failures.map((f) => f.status)).to.deep.equal(['rejected', 'rejected']);
      await log.append(events[2] as AuditEvent);
      expect(await log.verify()).to.deep.equal({ entries: 7, segments: 2, problems: [] });
    });

    it('detects an edited entry', async () => {
      await rewrite((entries) =>
        entries.map(([id, fields]) => [
          id,
          id === ids[2] ? fields.map((f, i) => (i === 3 ? `${Number(f) + 1}` : f)) : fields,
        ]),
      );
      expect((await log.verify()).problems).to.deep.equal([`${ids[2]}: altered (its seal does not match its content)`]);
    });

    it('detects a deleted entry', async () => {
      await client.xdel(stream, ids[3] as string);
      expect((await log.verify()).problems).to.deep.equal([
        `${ids[4]}: 1 entry is missing before it (segment ${(await client.xrange(stream, '-', '+'))[0]?.[1][29]}, after 3)`,
      ]);
    });

    it('detects a whole segment removed: the next replica to start names the newest entry it found', async () => {
      const [other] = (await readyClients(redis().url, 1)) as [Redis];
      const later = new RedisAuditLog(other, { key: AUDIT_TEST_KEY });
      await later.append(events[0] as AuditEvent);
      expect((await log.verify()).problems).to.deep.equal([]);
      const entries = await client.xrange(stream, '-', '+');
      const firstSegment = entries[0]?.[1][29];
      for (const [id, fields] of entries) if (fields[29] === firstSegment) await client.xdel(stream, id);
      const [problem, ...more] = (await log.verify()).problems;
      expect(more).to.deep.equal([]);
      expect(problem).to.match(
        new RegExp(`: segment ${firstSegment} is missing \\(it had reached entry \\d+ at `, 'u'),
      );
      await other.quit();
    });

    it('detects reordered entries, and entries sealed with another key', async () => {
      await rewrite((entries) => {
        const swapped = [...entries];
        const a = swapped[1] as [string, string[]];
        const b = swapped[2] as [string, string[]];
        swapped[1] = [a[0], b[1]];
        swapped[2] = [b[0], a[1]];
        return swapped;
      });
      expect((await log.verify()).problems.join('\n')).to.contain('out of order');

      await redis().flush();
      const forger = new RedisAuditLog(client, { key: 'not-the-audit-key-0123456789abcdef' });
      await forger.append(events[0] as AuditEvent);
      expect((await log.verify()).problems.join('\n')).to.contain('altered');
    });
  });
});

describe('LogAuditLog', () => {
  it('writes one JSON line per event with its OWASP name, security alerts at warn', async () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk, _e, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const log = new TeeAuditLog([new MemoryAuditLog(), new LogAuditLog(createLogger({ destination }))]);
    await log.append(events[0] as AuditEvent);
    await log.append({ type: 'pin_locked', at: 1, outcome: 'failure', channel: 'teams' });
    const [started, locked] = lines.map((l) => JSON.parse(l));
    expect(started).to.deep.include({ level: 'info', msg: 'audit: verification_started' });
    expect(started.audit).to.deep.include({ owasp: 'authn_verification_started', at: '2025-11-24T16:00:00.000Z' });
    expect(locked).to.deep.include({ level: 'warn', msg: 'security alert: pin_locked' });
    expect(locked.audit.owasp).to.equal('authn_login_fail_max');
  });
});
