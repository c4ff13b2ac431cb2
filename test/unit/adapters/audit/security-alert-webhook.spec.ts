import { expect } from 'chai';
import { SecurityAlertWebhook } from '../../../../adapters/audit/security-alert-webhook.ts';
import type { AuditEvent } from '../../../../core/audit.ts';
import {
  checkSignature,
  parseSecrets,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  webhookKeys,
} from '../../../../core/signing.ts';
import { startTestApp } from '../../../support/app.ts';
import { newWhsecSecret, verifyWithLibrary } from '../../../support/device-signing.ts';
import { RecordingServer } from '../../../support/recording-server.ts';

const SECRET = newWhsecSecret();
const KEYS = webhookKeys(parseSecrets(SECRET) ?? []);
const LEGACY_SECRET = 'security-webhook-secret-0123456789abcdef';
const clock = { now: () => Date.now() };
const locked: AuditEvent = {
  type: 'pin_locked',
  at: 1_795_000_000_000,
  outcome: 'failure',
  channel: 'slack',
  sessionId: 's-1',
  account: 'ab'.repeat(16),
};

describe('security alert webhook', () => {
  const receiver = new RecordingServer();
  let url = '';
  before(async () => {
    url = `${await receiver.start()}/alerts`;
  });
  after(() => receiver.stop());
  beforeEach(() => {
    receiver.requests.length = 0;
    receiver.reply = () => ({ status: 204 });
  });

  it('sends security alerts only, signed (the standardwebhooks library verifies them), with the OWASP name, and never waits for the receiver', async () => {
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    receiver.reply = async () => {
      await held;
      return { status: 204 };
    };
    const alerts = new SecurityAlertWebhook({ url, keys: KEYS, clock });
    await alerts.append({ ...locked, type: 'verification_started', outcome: 'info' });
    await alerts.append(locked);
    // append has returned while the receiver still holds its answer.
    await new Promise((r) => setTimeout(r, 50));
    expect(receiver.requests).to.have.length(1);
    release();
    await alerts.idle();

    const [sent] = receiver.requests;
    const body = JSON.parse(sent?.body ?? '{}');
    expect(body).to.deep.include({
      alert: 'pin_locked',
      owasp: 'authn_login_fail_max',
      at: '2026-11-18T11:06:40.000Z',
      sessionId: 's-1',
      account: 'ab'.repeat(16),
    });
    expect(body.id).to.match(/^[0-9a-f-]{36}$/u);
    expect(sent?.headers['webhook-id'], 'the alert id is the webhook-id').to.equal(`msg_${body.id}`);
    expect(verifyWithLibrary(SECRET, sent ?? { headers: {}, body: '' })).to.deep.equal(body);
    expect(() => verifyWithLibrary(newWhsecSecret(), sent ?? { headers: {}, body: '' })).to.throw(
      'No matching signature',
    );
  });

  it('retries a failing receiver with the same alert id, then reports the failure', async () => {
    receiver.reply = () => ({ status: 503 });
    const failures: string[] = [];
    const alerts = new SecurityAlertWebhook({
      url,
      keys: KEYS,
      clock,
      sleep: async () => {},
      onFailure: (error, event) => failures.push(`${event.type}: ${(error as Error).message}`),
    });
    await alerts.append(locked);
    await alerts.idle();
    expect(receiver.requests).to.have.length(3);
    expect(new Set(receiver.requests.map((r) => JSON.parse(r.body).id)).size).to.equal(1);
    expect(new Set(receiver.requests.map((r) => r.headers['webhook-id'])).size, 'and the same webhook-id').to.equal(1);
    expect(failures).to.deep.equal(['pin_locked: security webhook answered 503']);
  });

  const alertFrom = async (env: Record<string, string>) => {
    const t = await startTestApp({ env: { SECURITY_WEBHOOK_URL: url, ...env } });
    await t.app.verification.agentUnauthorized({ channel: 'teams', agentId: '29:1intruder', workspaceId: 'tenant-x' });
    const deadline = Date.now() + 5000;
    while (receiver.requests.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await t.close();
    const [sent] = receiver.requests;
    if (!sent) throw new Error('no alert arrived');
    return { sent, logs: t.logs };
  };

  it('is wired into the server by SECURITY_WEBHOOK_URL: a refused agent raises an alert there, signed by every secret', async () => {
    const next = newWhsecSecret();
    const { sent } = await alertFrom({ SECURITY_WEBHOOK_SECRETS: `${SECRET} ${next}` });
    expect(JSON.parse(sent.body)).to.deep.include({
      alert: 'agent_unauthorized',
      owasp: 'authz_fail',
      channel: 'teams',
    });
    for (const secret of [SECRET, next]) expect(verifyWithLibrary(secret, sent)).to.have.property('alert');
  });

  it('still takes the deprecated SECURITY_WEBHOOK_SECRET for one release, with a warning naming the new variable', async () => {
    const { sent, logs } = await alertFrom({ SECURITY_WEBHOOK_SECRET: LEGACY_SECRET });
    const legacy = {
      timestamp: String(sent.headers[TIMESTAMP_HEADER]),
      signature: String(sent.headers[SIGNATURE_HEADER]),
    };
    expect(checkSignature(LEGACY_SECRET, legacy, sent.body, Date.now()), 'the deprecated headers').to.equal('valid');
    expect(verifyWithLibrary(LEGACY_SECRET, sent), 'the library, with the raw secret').to.have.property('alert');
    const warning = logs.map((line) => JSON.parse(line)).find((entry) => entry.variable === 'SECURITY_WEBHOOK_SECRET');
    expect(warning).to.include({ level: 'warn', use: 'SECURITY_WEBHOOK_SECRETS' });
    expect(logs.join('\n')).to.not.contain(LEGACY_SECRET);
  });
});
