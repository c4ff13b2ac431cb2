import { expect } from 'chai';
import type { AuditEvent } from '../../../core/audit.ts';
import { RefusalTally } from '../../../core/refusal-tally.ts';

describe('RefusalTally: unauthenticated refusals counted, not audited one by one', () => {
  const clock = { at: 1_000_000, now: () => clock.at };
  const written: AuditEvent[] = [];
  const audit = { append: async (event: AuditEvent) => void written.push(event) };
  beforeEach(() => {
    written.length = 0;
  });

  it('writes one entry per source, kind and reason per window, with the count, and tells every refusal', async () => {
    const told: string[] = [];
    const tally = new RefusalTally({ audit, clock, onRefused: (kind) => told.push(kind) });
    for (let i = 0; i < 4000; i++) tally.refused('portal_key_rejected', i % 2 ? '203.0.113.9' : '198.51.100.7');
    tally.refused('device_response_rejected', '203.0.113.9', 'missing');
    tally.refused('device_response_rejected', '203.0.113.9', 'invalid');
    tally.refused('device_response_rejected', '203.0.113.9', 'invalid');
    clock.at += 60_000;
    await tally.flush();
    expect(told).to.have.length(4003);
    expect(
      written.map((e) => [e.type, e.detail?.source, e.detail?.reason ?? '', e.detail?.count]),
    ).to.have.deep.members([
      ['portal_key_rejected', '198.51.100.7', '', 2000],
      ['portal_key_rejected', '203.0.113.9', '', 2000],
      ['device_response_rejected', '203.0.113.9', 'missing', 1],
      ['device_response_rejected', '203.0.113.9', 'invalid', 2],
    ]);
    expect(written.every((e) => e.outcome === 'failure' && e.channel === 'api' && e.at === clock.at)).to.equal(true);
    expect(written[0]?.detail?.since).to.equal(clock.at - 60_000);
    await tally.flush();
    expect(written, 'a quiet window writes nothing').to.have.length(4);
  });

  it('counts sources past its bound together, so a spread-out flood cannot grow it without end', async () => {
    const tally = new RefusalTally({ audit, clock, maxSources: 3 });
    for (let i = 0; i < 1000; i++) tally.refused('portal_key_rejected', `2001:db8:${i}::/64`);
    await tally.flush();
    expect(written.map((e) => [e.detail?.source, e.detail?.count])).to.deep.equal([
      ['2001:db8:0::/64', 1],
      ['2001:db8:1::/64', 1],
      ['2001:db8:2::/64', 1],
      ['other', 997],
    ]);
  });

  it('writes what it counted when it stops, and on its own once a window', async () => {
    const tally = new RefusalTally({ audit, clock, windowMs: 30 });
    tally.start();
    tally.refused('portal_key_rejected', '198.51.100.7');
    await new Promise((r) => setTimeout(r, 80));
    expect(written).to.have.length(1);
    tally.refused('portal_key_rejected', '198.51.100.7');
    await tally.stop();
    expect(written.map((e) => e.detail?.count)).to.deep.equal([1, 1]);
  });
});
