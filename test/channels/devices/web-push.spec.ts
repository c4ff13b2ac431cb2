import { expect } from 'chai';
import webpush from 'web-push';
import { DemoAccounts } from '../../../adapters/accounts/demo-accounts.ts';
import { MemoryPasskeyRegistry } from '../../../adapters/passkeys/memory-passkey-registry.ts';
import { PUSH_SERVICE_HOSTS, WebPushSender } from '../../../adapters/passkeys/web-push-sender.ts';
import { MemorySessionStore } from '../../../adapters/store/memory-session-store.ts';
import { DeviceTokens } from '../../../core/device-tokens.ts';
import { PasskeyPrompts, PromptLinks } from '../../../core/passkey-prompts.ts';
import type { DevicePromptRequest } from '../../../core/ports/index.ts';
import { samplePasskey } from '../../contract/passkeys.contract.ts';
import { FakeClock } from '../../support/clock.ts';
import { RecordingMailer } from '../../support/fakes.ts';
import { PushServiceDouble } from '../../support/push-service.ts';

// A real key pair, as `npx web-push generate-vapid-keys` makes one.
const VAPID = { ...webpush.generateVAPIDKeys(), subject: 'mailto:security@example.com' };

describe('Web Push to the registered devices (RFC 8291 payloads, RFC 8292 VAPID)', () => {
  let service: PushServiceDouble;
  let origin: string;
  beforeEach(async () => {
    service = new PushServiceDouble();
    origin = await service.start();
  });
  afterEach(async () => service.stop());

  async function fixture() {
    const clock = new FakeClock(Date.now());
    const registry = new MemoryPasskeyRegistry();
    const errors: Array<{ error: unknown; what: string }> = [];
    const prompts = new PasskeyPrompts({
      store: new MemorySessionStore(clock),
      registry,
      accounts: await DemoAccounts.load(),
      mailer: new RecordingMailer(),
      links: new PromptLinks(new DeviceTokens('t'.repeat(43)), 'https://verify.example.com'),
      push: new WebPushSender(VAPID, { hosts: ['localhost'], ...(service.agent ? { agent: service.agent } : {}) }),
      clock,
      onBackgroundError: (error, what) => errors.push({ error, what }),
    });
    const request = (locale: 'en' | 'nl' = 'en'): DevicePromptRequest => ({
      promptId: `0f8e2c1a-4b3d-4e5f-9a8b-7c6d5e4f3a2b-k3x9.${Math.random().toString(16).slice(2, 14).padEnd(12, '0')}`,
      accountId: locale === 'en' ? 'demo-alex' : 'demo-jan',
      deviceIds: [],
      locale,
      requester: { agentName: 'Robin', company: 'Example Co', channel: 'slack' },
      numberChoices: [12, 34, 56],
      expiresAt: clock.now() + 120_000,
    });
    return { registry, prompts, request, errors };
  }

  it('pushes each prompt, encrypted for the subscription and signed with VAPID, to each device that allowed it', async () => {
    const { registry, prompts, request, errors } = await fixture();
    const phone = samplePasskey({ push: service.subscribe() });
    const laptop = samplePasskey();
    await registry.add('demo-alex', phone, 10);
    await registry.add('demo-alex', laptop, 10);
    const sent = request();
    await prompts.send(sent);
    expect(errors).to.deep.equal([]);
    expect(service.refused).to.deep.equal([]);
    expect(service.received).to.have.length(1);
    const [push] = service.received;
    expect(push?.vapid).to.deep.include({ aud: origin, sub: VAPID.subject, publicKey: VAPID.publicKey });
    expect(push?.ttl).to.be.within(119, 120);
    expect(push?.urgency).to.equal('high');
    const payload = JSON.parse(push?.payload ?? '{}') as Record<string, string>;
    expect(payload.title).to.equal('Confirm it’s you to Example Co');
    expect(payload.body).to.contain('Robin from Example Co support is asking');
    expect(payload.tag).to.equal(sent.promptId);
    expect(payload.url).to.match(/^https:\/\/verify\.example\.com\/confirm#p=/u);
  });

  it('speaks the account’s language', async () => {
    const { registry, prompts, request } = await fixture();
    await registry.add('demo-jan', samplePasskey({ push: service.subscribe() }), 10);
    await prompts.send(request('nl'));
    expect(JSON.parse(service.received[0]?.payload ?? '{}').title).to.equal('Bevestig aan Example Co dat jij het bent');
  });

  for (const status of [404, 410]) {
    it(`drops a subscription the push service calls gone (${status}), keeping the passkey`, async () => {
      const { registry, prompts, request, errors } = await fixture();
      const subscription = service.subscribe();
      const phone = samplePasskey({ push: subscription });
      await registry.add('demo-alex', phone, 10);
      service.answer(subscription, status);
      await prompts.send(request());
      expect(errors).to.deep.equal([]);
      const [kept] = await registry.list('demo-alex');
      expect(kept?.id).to.equal(phone.id);
      expect(kept?.push).to.equal(undefined);
    });
  }

  it('reports another failure without stopping the mail or the other devices', async () => {
    const { registry, prompts, request, errors } = await fixture();
    const broken = service.subscribe();
    service.answer(broken, 500);
    await registry.add('demo-alex', samplePasskey({ push: broken }), 10);
    await registry.add('demo-alex', samplePasskey({ push: service.subscribe() }), 10);
    await prompts.send(request());
    expect(service.received).to.have.length(1);
    expect(errors.map((e) => [e.what, (e.error as Error).message])).to.deep.equal([
      ['web push', 'the push service answered 500'],
    ]);
    expect((await registry.list('demo-alex')).filter((p) => p.push)).to.have.length(2);
  });

  it('never calls an endpoint that is not a browser’s push service', async () => {
    const sender = new WebPushSender(VAPID);
    expect(PUSH_SERVICE_HOSTS).to.include('fcm.googleapis.com');
    for (const ok of [
      'https://fcm.googleapis.com/fcm/send/abc',
      'https://updates.push.services.mozilla.com/wpush/v2/x',
    ])
      expect(sender.accepts(ok), ok).to.equal(true);
    for (const no of [
      'https://10.0.0.8/admin',
      'http://fcm.googleapis.com/fcm/send/abc',
      'https://fcm.googleapis.com.evil.example/x',
      'https://evilfcm.googleapis.com@internal/x',
      'not a url',
    ])
      expect(sender.accepts(no), no).to.equal(false);
    const error = await sender
      .send({ endpoint: 'https://10.0.0.8/admin', keys: { p256dh: 'x', auth: 'y' } }, '{}', 60)
      .catch((e: unknown) => e);
    expect((error as Error).message).to.contain('not a known push service');
  });
});
