import { expect } from 'chai';
import { DemoAccounts } from '../../../adapters/accounts/demo-accounts.ts';
import { MemoryAuditLog } from '../../../adapters/audit/log-audit-log.ts';
import { MemoryPasskeyRegistry } from '../../../adapters/passkeys/memory-passkey-registry.ts';
import { SimpleWebAuthnParty } from '../../../adapters/passkeys/simplewebauthn-party.ts';
import { MemorySessionStore } from '../../../adapters/store/memory-session-store.ts';
import {
  AccountNotFoundError,
  PasskeyLimitError,
  PasskeyNotFoundError,
  PasskeyRefusedError,
} from '../../../core/errors.ts';
import { cleanName, MAX_PASSKEYS, PasskeyDevices, REGISTRATION_MS } from '../../../core/passkey-devices.ts';
import { FakeClock } from '../../support/clock.ts';
import { hashAccount, RecordingMailer } from '../../support/fakes.ts';
import { SoftAuthenticator } from '../../support/soft-authenticator.ts';

const ORIGIN = 'https://verify.example.com';
const RP = { origin: ORIGIN, rpId: 'verify.example.com' };

async function fixture() {
  const clock = new FakeClock();
  const registry = new MemoryPasskeyRegistry();
  const audit = new MemoryAuditLog();
  const mailer = new RecordingMailer();
  const errors: unknown[] = [];
  const devices = new PasskeyDevices({
    registry,
    party: new SimpleWebAuthnParty({ publicUrl: `${ORIGIN}/`, name: 'Example Co' }),
    store: new MemorySessionStore(clock),
    accounts: await DemoAccounts.load(),
    mailer,
    audit,
    clock,
    company: 'Example Co',
    hashAccount,
    push: {
      accepts: (endpoint) => endpoint.startsWith('https://push.example.test/'),
      send: async () => 'sent' as const,
    },
    onBackgroundError: (error) => errors.push(error),
  });
  const phone = new SoftAuthenticator(RP);
  const register = async (name = 'Alex’s iPhone', account = 'demo-alex', authenticator = phone) =>
    devices.register(account, name, authenticator.register(await devices.registrationOptions(account)));
  return { clock, registry, audit, mailer, errors, devices, phone, register };
}

const refused = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).to.be.instanceOf(PasskeyRefusedError);
};

describe('PasskeyDevices', () => {
  it('asks for a user-verified passkey on PUBLIC_URL’s host, for an opaque user handle, no attestation', async () => {
    const { devices } = await fixture();
    const options = await devices.registrationOptions('demo-alex');
    expect(options).to.deep.include({ attestation: 'none' });
    expect(options.rp).to.deep.equal({ name: 'Example Co', id: 'verify.example.com' });
    expect(options.authenticatorSelection).to.deep.include({ residentKey: 'preferred', userVerification: 'required' });
    const user = options.user as { id: string; name: string; displayName: string };
    expect(Buffer.from(user.id, 'base64url').toString('hex')).to.equal(hashAccount('demo-alex'));
    expect(user.name).to.equal('alex@example.com');
    expect(JSON.stringify(user)).to.not.contain('demo-alex');
    expect(options.challenge).to.be.a('string').with.length.above(40);
  });

  it('keeps a verified passkey under the customer’s name, audits it and tells the account in its language', async () => {
    const { devices, register, audit, mailer, phone } = await fixture();
    const shown = await register();
    expect(shown).to.deep.include({ name: 'Alex’s iPhone', synced: true, backedUp: true, notifications: false });
    expect(shown.id).to.equal(phone.ids()[0]);
    expect(await devices.list('demo-alex')).to.deep.equal([shown]);
    expect(Object.keys(shown)).to.not.include('publicKey');
    expect(audit.events.map((e) => [e.type, e.account, e.detail?.credential])).to.deep.equal([
      ['device_registered', hashAccount('demo-alex'), shown.id],
    ]);
    expect(JSON.stringify(audit.events)).to.not.contain('iPhone');
    await devices.settled();
    expect(mailer.sent).to.have.length(1);
    expect(mailer.sent[0]).to.deep.include({ to: 'alex@example.com', locale: 'en' });
    expect(mailer.sent[0]?.subject).to.equal('A trusted device was added to your Example Co account');
    expect(mailer.sent[0]?.text).to.contain('“Alex’s iPhone” was added');

    const jan = new SoftAuthenticator(RP);
    await devices.register('demo-jan', 'Telefoon', jan.register(await devices.registrationOptions('demo-jan')));
    await devices.settled();
    expect(mailer.sent[1]).to.deep.include({ to: 'jan@example.nl', locale: 'nl' });
    expect(mailer.sent[1]?.subject).to.equal('Er is een vertrouwd apparaat toegevoegd aan je account bij Example Co');
  });

  it('excludes the passkeys an account has, so one authenticator is not registered twice', async () => {
    const { devices, register } = await fixture();
    const first = await register();
    const options = await devices.registrationOptions('demo-alex');
    expect(options.excludeCredentials).to.deep.equal([{ id: first.id, type: 'public-key', transports: ['internal'] }]);
  });

  for (const [what, answer] of [
    ['another origin', { origin: 'https://verify.example.com.evil.test' }],
    ['another RP id', { rpId: 'example.com' }],
    ['another challenge', { challenge: Buffer.from('not the challenge we gave').toString('base64url') }],
    ['an assertion instead of a registration', { type: 'webauthn.get' }],
  ] as const) {
    it(`refuses an answer with ${what}, audits it and keeps nothing`, async () => {
      const { devices, phone, audit, registry } = await fixture();
      const options = await devices.registrationOptions('demo-alex');
      await refused(devices.register('demo-alex', 'Phone', phone.register(options, answer)));
      expect(await registry.list('demo-alex')).to.deep.equal([]);
      expect(audit.events.map((e) => [e.type, e.detail?.reason])).to.deep.equal([
        ['device_registration_refused', 'not_verified'],
      ]);
    });
  }

  it('refuses a passkey registered without user verification', async () => {
    const { devices } = await fixture();
    const careless = new SoftAuthenticator(RP, { userVerified: false });
    await refused(
      devices.register('demo-alex', 'Key', careless.register(await devices.registrationOptions('demo-alex'))),
    );
  });

  it('takes each challenge once, for five minutes, and only the last one started', async () => {
    const { devices, phone, clock, registry } = await fixture();
    const options = await devices.registrationOptions('demo-alex');
    const answer = phone.register(options);
    await devices.register('demo-alex', 'Phone', answer);
    await refused(devices.register('demo-alex', 'Phone again', answer));

    const older = await devices.registrationOptions('demo-alex');
    const newer = await devices.registrationOptions('demo-alex');
    await refused(devices.register('demo-alex', 'Older', new SoftAuthenticator(RP).register(older)));
    // The refused answer used the challenge up: the newer one is gone with it.
    await refused(devices.register('demo-alex', 'Newer', new SoftAuthenticator(RP).register(newer)));

    const late = await devices.registrationOptions('demo-alex');
    clock.advance(REGISTRATION_MS + 1);
    await refused(devices.register('demo-alex', 'Late', new SoftAuthenticator(RP).register(late)));
    expect((await registry.list('demo-alex')).map((p) => p.name)).to.deep.equal(['Phone']);
  });

  it('keeps ten passkeys at most, and starts no registration past them', async () => {
    const { devices, register } = await fixture();
    for (let i = 0; i < MAX_PASSKEYS; i++) await register(`Device ${i}`, 'demo-alex', new SoftAuthenticator(RP));
    const error = await devices.registrationOptions('demo-alex').catch((e: unknown) => e);
    expect(error).to.be.instanceOf(PasskeyLimitError);
  });

  it('starts at most 30 registrations an hour per account', async () => {
    const { devices, clock } = await fixture();
    for (let i = 0; i < 30; i++) await devices.registrationOptions('demo-alex');
    await refused(devices.registrationOptions('demo-alex'));
    await devices.registrationOptions('demo-jan');
    clock.advance(3_600_001);
    await devices.registrationOptions('demo-alex');
  });

  it('removes a passkey once, audits it and tells the account', async () => {
    const { devices, register, audit, mailer, registry } = await fixture();
    const shown = await register();
    await devices.remove('demo-alex', shown.id);
    expect(await registry.list('demo-alex')).to.deep.equal([]);
    expect(await devices.remove('demo-alex', shown.id).catch((e: unknown) => e)).to.be.instanceOf(PasskeyNotFoundError);
    expect(audit.events.map((e) => e.type)).to.deep.equal(['device_registered', 'device_removed']);
    await devices.settled();
    expect(mailer.sent.map((m) => m.subject)).to.deep.equal([
      'A trusted device was added to your Example Co account',
      'A trusted device was removed from your Example Co account',
    ]);
    expect(mailer.sent[1]?.text).to.contain('It can no longer confirm it is you');
  });

  it('turns notifications on and off for a passkey it has, and for no other, at a push service only', async () => {
    const { devices, register } = await fixture();
    const shown = await register();
    const push = { endpoint: 'https://push.example.test/abc', keys: { p256dh: 'BNc', auth: 'tBH' } };
    await devices.setNotifications('demo-alex', shown.id, push);
    expect((await devices.list('demo-alex'))[0]?.notifications).to.equal(true);
    await devices.setNotifications('demo-alex', shown.id, undefined);
    expect((await devices.list('demo-alex'))[0]?.notifications).to.equal(false);
    const error = await devices.setNotifications('demo-jan', shown.id, push).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(PasskeyNotFoundError);
    const elsewhere = { ...push, endpoint: 'https://10.0.0.8/internal-admin' };
    await refused(devices.setNotifications('demo-alex', shown.id, elsewhere));
    expect((await devices.list('demo-alex'))[0]?.notifications, 'nothing kept').to.equal(false);
  });

  it('knows no account it cannot find', async () => {
    const { devices } = await fixture();
    expect(await devices.registrationOptions('nobody').catch((e: unknown) => e)).to.be.instanceOf(AccountNotFoundError);
  });

  describe('a device’s name', () => {
    it('is one short line, with controls and bidi overrides gone and emoji intact', () => {
      expect(cleanName('  Jan’s\n iPhone\t ')).to.equal('Jan’s iPhone');
      expect(cleanName('Phone\u202Egnp.exe')).to.equal('Phone gnp.exe');
      expect(cleanName('👨\u200D👩\u200D👧 tablet')).to.equal('👨\u200D👩\u200D👧 tablet');
      expect([...cleanName('📱'.repeat(100))]).to.have.length(64);
      expect(cleanName('Cafe\u0301')).to.equal('Café');
    });

    it('is refused when empty or when it asks for a secret (it is repeated in e-mails)', () => {
      for (const name of ['', ' \u200B ', 'send us your password'])
        expect(() => cleanName(name), name).to.throw(PasskeyRefusedError);
    });
  });
});
