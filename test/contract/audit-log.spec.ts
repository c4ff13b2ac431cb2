import { Writable } from 'node:stream';
import { expect } from 'chai';
import type { Redis } from 'ioredis';
import { LogAuditLog, MemoryAuditLog, TeeAuditLog } from '../../adapters/audit/log-audit-log.ts';
import { RedisAuditLog } from '../../adapters/audit/redis-audit-log.ts';
import { createLogger } from '../../adapters/log/logger.ts';
import type { AuditEvent } from '../../core/audit.ts';
import { readyClients, useRedisServer } from '../support/redis-fixture.ts';

const events: AuditEvent[] = [
  {
    type: 'verification_started',
    at: 1_764_000_000_000,
    outcome: 'info',
    channel: 'slack',
    sessionId: 's1',
    agent: { id: 'U1', workspaceId: 'T1' },
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
    agent: { id: '29:1agent' },
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
    return { log: new RedisAuditLog(client), close: async () => void (await client.quit()) };
  });

  it('stores each event as the same fixed fields, and still reads entries written as one JSON field', async () => {
    await redis().flush();
    const [client] = (await readyClients(redis().url, 1)) as [Redis];
    const log = new RedisAuditLog(client);
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
    ]);
    expect(await log.read()).to.deep.equal([events[0], events[1]]);
    await client.quit();
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
