import { expect } from 'chai';
import { checkSignature, keyedAccountHash, signBody } from '../../../core/signing.ts';

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
