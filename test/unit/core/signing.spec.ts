import { expect } from 'chai';
import {
  checkSignature,
  keyedAccountHash,
  MAX_SIGNATURES,
  parseSecrets,
  type ReceivedSignature,
  signBody,
  signedHeaders,
  standardSignature,
  verifyWebhook,
  webhookKeys,
} from '../../../core/signing.ts';

const SECRET = 'a-device-secret-that-is-long-enough-000';
const NOW = Date.parse('2026-11-24T10:00:00Z');
const TS = Math.floor(NOW / 1000);

describe('request signing', () => {
  const body = '{"promptId":"p","decision":"confirmed"}';
  const signature = signBody(SECRET, TS, body);

  it('accepts a body signed with the secret within the window', () => {
    expect(checkSignature(SECRET, { timestamp: String(TS), signature }, body, NOW)).to.equal('valid');
    expect(checkSignature(SECRET, { timestamp: String(TS), signature }, body, NOW + 299_000)).to.equal('valid');
  });

  it('refuses a timestamp more than 5 minutes in the past or the future', () => {
    expect(checkSignature(SECRET, { timestamp: String(TS), signature }, body, NOW + 301_000)).to.equal('stale');
    expect(checkSignature(SECRET, { timestamp: String(TS), signature }, body, NOW - 301_000)).to.equal('stale');
  });

  it('refuses any changed byte, another secret, or a signature for another timestamp', () => {
    expect(
      checkSignature(SECRET, { timestamp: String(TS), signature }, body.replace('confirmed', 'confirmeD'), NOW),
    ).to.equal('invalid');
    expect(checkSignature(`${SECRET}x`, { timestamp: String(TS), signature }, body, NOW)).to.equal('invalid');
    expect(checkSignature(SECRET, { timestamp: String(TS + 1), signature }, body, NOW)).to.equal('invalid');
    expect(checkSignature(SECRET, { timestamp: String(TS), signature: signature.slice(0, -1) }, body, NOW)).to.equal(
      'invalid',
    );
  });

  it('tells missing from malformed', () => {
    expect(checkSignature(SECRET, { timestamp: undefined, signature }, body, NOW)).to.equal('missing');
    expect(checkSignature(SECRET, { timestamp: String(TS), signature: undefined }, body, NOW)).to.equal('missing');
    expect(checkSignature(SECRET, { timestamp: '1e9', signature }, body, NOW)).to.equal('invalid');
  });

  it('hashes account ids with a key, stably, without revealing them', () => {
    const hash = keyedAccountHash('key-1', 'demo-alex');
    expect(hash).to.match(/^[0-9a-f]{32}$/u);
    expect(keyedAccountHash('key-1', 'demo-alex')).to.equal(hash);
    expect(keyedAccountHash('key-2', 'demo-alex')).to.not.equal(hash);
    expect(hash).to.not.contain('alex');
  });
});

describe('Standard Webhooks signing', () => {
  // The test vector the Standard Webhooks libraries share.
  const VECTOR = {
    secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
    timestamp: 1614265330,
    body: '{"test": 2432232314}',
    signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
  };
  const keys = webhookKeys(parseSecrets(VECTOR.secret) ?? []);
  const received = (signature: string, extra: Partial<ReceivedSignature> = {}): ReceivedSignature => ({
    id: VECTOR.id,
    timestamp: String(VECTOR.timestamp),
    signature,
    legacyTimestamp: undefined,
    legacySignature: undefined,
    ...extra,
  });
  const at = VECTOR.timestamp * 1000;

  it('signs the spec test vector: {id}.{timestamp}.{body}, HMAC-SHA256 with the decoded key, v1,<base64>', () => {
    expect(standardSignature(keys.all[0] ?? Buffer.alloc(0), VECTOR.id, VECTOR.timestamp, VECTOR.body)).to.equal(
      VECTOR.signature,
    );
    expect(verifyWebhook(keys, received(VECTOR.signature), VECTOR.body, at)).to.deep.equal({
      check: 'valid',
      scheme: 'standard',
      replayKey: `id:${VECTOR.id}`,
    });
  });

  it('signs once per key, space-separated, and the deprecated headers with the raw secret when set', () => {
    const two = webhookKeys([...(parseSecrets(VECTOR.secret) ?? []), Buffer.alloc(32, 9)], 'raw-secret');
    const headers = signedHeaders(two, VECTOR.id, VECTOR.timestamp, VECTOR.body);
    expect(headers['webhook-signature']?.split(' ')).to.have.length(3);
    expect(headers['webhook-signature']?.startsWith(`${VECTOR.signature} `)).to.equal(true);
    expect(headers['x-support-verify-signature']).to.equal(signBody('raw-secret', VECTOR.timestamp, VECTOR.body));
  });

  it('finds the matching signature among others, skipping versions and entries it cannot read', () => {
    const others = `v1a,${'A'.repeat(86)}== v1,${Buffer.alloc(32).toString('base64')} v1,!! ${VECTOR.signature}`;
    expect(verifyWebhook(keys, received(others), VECTOR.body, at).check).to.equal('valid');
  });

  it('refuses past the window, a changed byte, a missing header, and bounds the work', () => {
    const check = (r: ReceivedSignature, body = VECTOR.body, now = at) => verifyWebhook(keys, r, body, now).check;
    expect(check(received(VECTOR.signature), VECTOR.body, at + 301_000)).to.equal('stale');
    expect(check(received(VECTOR.signature), VECTOR.body, at - 301_000)).to.equal('stale');
    expect(check(received(VECTOR.signature), `${VECTOR.body} `)).to.equal('invalid');
    expect(check(received(VECTOR.signature, { id: `${VECTOR.id}x` }))).to.equal('invalid');
    expect(check(received(VECTOR.signature, { id: undefined }))).to.equal('missing');
    expect(check(received(VECTOR.signature, { timestamp: undefined }))).to.equal('missing');
    expect(check(received(VECTOR.signature, { id: 'msg.1' })), 'a dot in the id').to.equal('invalid');
    const decoy = `v1,${Buffer.alloc(32, 1).toString('base64')}`;
    expect(check(received(`${Array(MAX_SIGNATURES).fill(decoy).join(' ')} ${VECTOR.signature}`))).to.equal('invalid');
    expect(
      check(
        received(
          `${Array(MAX_SIGNATURES - 1)
            .fill(decoy)
            .join(' ')} ${VECTOR.signature}`,
        ),
      ),
    ).to.equal('valid');
    expect(check(received('v1,'.padEnd(1_000_000, 'A')))).to.equal('invalid');
  });

  it('falls back to the deprecated headers only without webhook-signature', () => {
    const legacy = signBody(keys.legacy, VECTOR.timestamp, VECTOR.body);
    const old = { legacyTimestamp: String(VECTOR.timestamp), legacySignature: legacy };
    expect(verifyWebhook(keys, { ...received(''), signature: undefined, ...old }, VECTOR.body, at)).to.deep.equal({
      check: 'valid',
      scheme: 'legacy',
      replayKey: `legacy:${legacy}`,
    });
    expect(verifyWebhook(keys, { ...received('v1,bad'), ...old }, VECTOR.body, at).check).to.equal('invalid');
  });

  it('reads whsec_ lists and refuses anything else', () => {
    expect(parseSecrets(`${VECTOR.secret} , ${VECTOR.secret}`)).to.have.length(2);
    for (const bad of ['', ' , ', 'whsec_', VECTOR.secret.slice(0, -4), VECTOR.secret.replace('whsec_', 'whsk_')])
      expect(parseSecrets(bad), bad).to.equal(undefined);
  });
});
