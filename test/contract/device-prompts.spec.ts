import { expect } from 'chai';
import { SimulatedDevice } from '../../adapters/devices/simulated-device.ts';
import { WebhookDevicePrompts } from '../../adapters/devices/webhook-device-prompts.ts';
import { createKeepAliveFetch } from '../../adapters/http/keep-alive-fetch.ts';
import type { DevicePromptRequest, DevicePrompts } from '../../core/ports/index.ts';
import { checkSignature, parseSecrets, SIGNATURE_HEADER, TIMESTAMP_HEADER, webhookKeys } from '../../core/signing.ts';
import { FakeClock } from '../support/clock.ts';
import { newWhsecSecret, verifyWithLibrary } from '../support/device-signing.ts';
import { type RecordedRequest, RecordingServer } from '../support/recording-server.ts';

const SECRET = newWhsecSecret();
const KEYS = webhookKeys(parseSecrets(SECRET) ?? []);

/** The library checks the clock itself: a request signed at a fake time is checked with the clock set to it. */
function verifiedAt(clock: FakeClock, sent: RecordedRequest | undefined, secret = SECRET): unknown {
  const realNow = Date.now;
  Date.now = () => clock.now();
  try {
    return verifyWithLibrary(secret, sent ?? { headers: {}, body: '' });
  } finally {
    Date.now = realNow;
  }
}

interface DeviceHarness {
  prompts: DevicePrompts;
  /** What reached the customer's device side. */
  received(): Promise<Array<Omit<DevicePromptRequest, 'expiresAt'> & { expiresAt: number | string }>>;
  close(): Promise<void>;
}

const request = (clock: FakeClock): DevicePromptRequest => ({
  promptId: '8d3c1c52-0a0b-4c6f-9a47-1d0b7a4b9f10.a1b2c3d4e5f6',
  accountId: 'demo-alex',
  deviceIds: ['dev-alex-iphone'],
  locale: 'en',
  requester: { agentName: 'Robin', company: 'Example Co', channel: 'slack' },
  numberChoices: [17, 42, 86],
  expiresAt: clock.now() + 120_000,
});

function devicePromptsContract(name: string, open: (clock: FakeClock) => Promise<DeviceHarness>): void {
  describe(`DevicePrompts contract: ${name}`, () => {
    const clock = new FakeClock(Date.now());
    let h: DeviceHarness;
    beforeEach(async () => {
      h = await open(clock);
    });
    afterEach(async () => h.close());

    it('delivers who is asking, from where, the numbers to pick from, and the deadline', async () => {
      const sent = request(clock);
      await h.prompts.send(sent);
      const [received] = await h.received();
      expect(received).to.deep.include({
        promptId: sent.promptId,
        accountId: 'demo-alex',
        deviceIds: ['dev-alex-iphone'],
        locale: 'en',
        requester: sent.requester,
        numberChoices: [17, 42, 86],
      });
      expect(new Date(received?.expiresAt ?? 0).getTime()).to.equal(sent.expiresAt);
    });

    it('never tells the device which number is the right one', async () => {
      await h.prompts.send(request(clock));
      expect(JSON.stringify(await h.received())).to.not.match(/matchNumber/u);
    });
  });
}

devicePromptsContract('simulated device', async (clock) => {
  const device = new SimulatedDevice(KEYS, clock);
  return { prompts: device, received: async () => device.pending(), close: async () => {} };
});

/** A webhook sender pointed at a recording device service. */
async function webhookToRecorder(
  clock: FakeClock,
): Promise<{ prompts: WebhookDevicePrompts; service: RecordingServer }> {
  const service = new RecordingServer();
  const url = await service.start();
  const prompts = new WebhookDevicePrompts({
    url: `${url}/push`,
    keys: KEYS,
    responseUrl: 'https://verify.example.com/v1/device-prompts/{promptId}/response',
    clock,
  });
  return { prompts, service };
}

devicePromptsContract('signed webhook', async (clock) => {
  const { prompts, service } = await webhookToRecorder(clock);
  return {
    prompts,
    received: async () => service.requests.map((r) => JSON.parse(r.body)),
    close: () => service.stop(),
  };
});

describe('WebhookDevicePrompts', () => {
  it('fails loudly when the device service refuses or cannot be reached, after its retries', async () => {
    const clock = new FakeClock(Date.now());
    const service = new RecordingServer();
    const url = await service.start();
    service.reply = () => ({ status: 503 });
    const options = { keys: KEYS, responseUrl: 'https://x/{promptId}', clock, timeoutMs: 500, backoffMs: 1 };
    for (const prompts of [
      new WebhookDevicePrompts({ ...options, url: `${url}/push` }),
      new WebhookDevicePrompts({ ...options, url: 'http://127.0.0.1:1/push' }),
    ]) {
      let failure: unknown;
      await prompts.send(request(clock)).catch((error: unknown) => {
        failure = error;
      });
      expect(failure).to.be.instanceOf(Error);
    }
    expect(service.requests, 'three attempts at the failing service').to.have.length(3);
    await service.stop();
  });

  it('retries a 5xx, a 429 (after its Retry-After) and a timeout with backoff, with the same prompt id and webhook-id, signed afresh', async () => {
    const clock = new FakeClock(Date.now());
    const service = new RecordingServer();
    const url = await service.start();
    const answers = [
      { status: 502 },
      { status: 429, headers: { 'retry-after': '1' } },
      { status: 200, body: { ok: true } },
    ];
    service.reply = () => answers.shift() ?? { status: 200 };
    const waits: number[] = [];
    const prompts = new WebhookDevicePrompts({
      url: `${url}/push`,
      keys: KEYS,
      responseUrl: 'https://x/{promptId}',
      clock,
      backoffMs: 100,
      sleep: async (ms) => {
        waits.push(ms);
        clock.advance(ms);
      },
    });
    await prompts.send(request(clock));
    expect(waits, 'backoff, then what Retry-After asked').to.deep.equal([100, 1000]);
    const ids = service.requests.map((r) => JSON.parse(r.body).promptId);
    expect(new Set(ids).size, 'one prompt, sent three times').to.equal(1);
    const stamps = service.requests.map((r) => String(r.headers['webhook-timestamp']));
    expect(stamps[2], 'signed afresh').to.not.equal(stamps[0]);
    const webhookIds = service.requests.map((r) => String(r.headers['webhook-id']));
    expect(new Set(webhookIds).size, 'one message: the receiver dedupes by its webhook-id').to.equal(1);
    expect(webhookIds[0]).to.match(/^msg_[0-9a-f-]{36}$/u);
    expect(verifiedAt(clock, service.requests[2])).to.deep.include({ promptId: request(clock).promptId });

    let slow = true;
    service.reply = async () => {
      if (slow) {
        slow = false;
        await new Promise((r) => setTimeout(r, 400));
      }
      return { status: 200 };
    };
    const before = service.requests.length;
    await new WebhookDevicePrompts({
      url: `${url}/push`,
      keys: KEYS,
      responseUrl: 'https://x/{promptId}',
      clock,
      timeoutMs: 100,
      backoffMs: 1,
    }).send(request(clock));
    expect(service.requests.length - before, 'timed out once, then delivered').to.equal(2);
    await service.stop();
  });

  it('does not retry an answer that will not change: a 4xx other than 429', async () => {
    const clock = new FakeClock(Date.now());
    const service = new RecordingServer();
    const url = await service.start();
    service.reply = () => ({ status: 400, body: { error: 'unknown device' } });
    const prompts = new WebhookDevicePrompts({ url, keys: KEYS, responseUrl: 'https://x/{promptId}', clock });
    let failure: unknown;
    await prompts.send(request(clock)).catch((error: unknown) => {
      failure = error;
    });
    expect((failure as Error).message).to.equal('device service answered 400');
    expect(service.requests).to.have.length(1);
    await service.stop();
  });

  it('never carries the signed prompt through a redirect: a 3xx is refused, with Node’s fetch and the server’s', async () => {
    const clock = new FakeClock(Date.now());
    const service = new RecordingServer();
    const url = await service.start();
    service.reply = (r) =>
      r.url === '/push' ? { status: 307, headers: { location: `${url}/elsewhere` } } : { status: 200 };
    const outbound = createKeepAliveFetch();
    try {
      for (const fetch of [undefined, outbound.fetch]) {
        const prompts = new WebhookDevicePrompts({
          url: `${url}/push`,
          keys: KEYS,
          responseUrl: 'https://x/{promptId}',
          clock,
          ...(fetch ? { fetch } : {}),
        });
        let failure: unknown;
        await prompts.send(request(clock)).catch((error: unknown) => {
          failure = error;
        });
        expect((failure as Error).message).to.equal('device service answered 307');
      }
      expect(
        service.requests.map((r) => r.url),
        'once each, never followed',
      ).to.deep.equal(['/push', '/push']);
    } finally {
      outbound.close();
      await service.stop();
    }
  });

  it('signs what it sends so a receiver using the standardwebhooks library accepts it, and says where to answer', async () => {
    const clock = new FakeClock(Date.now());
    const { prompts, service } = await webhookToRecorder(clock);
    await prompts.send(request(clock));
    const [received] = service.requests;
    expect(verifiedAt(clock, received)).to.deep.include({ promptId: request(clock).promptId, accountId: 'demo-alex' });
    expect(() => verifiedAt(clock, received, newWhsecSecret()), 'another secret').to.throw('No matching signature');
    expect(() => verifiedAt(clock, received && { ...received, body: `${received.body} ` }), 'a changed byte').to.throw(
      'No matching signature',
    );
    expect(JSON.parse(received?.body ?? '{}').responseUrl).to.equal(
      'https://verify.example.com/v1/device-prompts/8d3c1c52-0a0b-4c6f-9a47-1d0b7a4b9f10.a1b2c3d4e5f6/response',
    );
    await service.stop();
  });
});

describe('WebhookDevicePrompts during a secret rotation', () => {
  const OLD = newWhsecSecret();
  const NEW = newWhsecSecret();
  const RAW = 'the-deprecated-raw-device-secret-0123456789';
  const sendWith = async (keys: ReturnType<typeof webhookKeys>) => {
    const clock = new FakeClock(Date.now());
    const service = new RecordingServer();
    const url = await service.start();
    await new WebhookDevicePrompts({ url, keys, responseUrl: 'https://x/{promptId}', clock }).send(request(clock));
    await service.stop();
    const [sent] = service.requests;
    if (!sent) throw new Error('nothing sent');
    return { clock, sent };
  };

  it('signs once per secret, so a receiver holding the old or the new secret verifies with the library', async () => {
    const { clock, sent } = await sendWith(webhookKeys([...(parseSecrets(OLD) ?? []), ...(parseSecrets(NEW) ?? [])]));
    expect(String(sent.headers['webhook-signature']).split(' ')).to.have.length(2);
    for (const secret of [OLD, NEW]) expect(verifiedAt(clock, sent, secret)).to.have.property('promptId');
    expect(() => verifiedAt(clock, sent, newWhsecSecret())).to.throw('No matching signature');
  });

  it('still sends the deprecated headers: signed with the raw secret when set, otherwise the first', async () => {
    const legacyCheck = (clock: FakeClock, sent: RecordedRequest, secret: string | Uint8Array) =>
      checkSignature(
        secret,
        { timestamp: String(sent.headers[TIMESTAMP_HEADER]), signature: String(sent.headers[SIGNATURE_HEADER]) },
        sent.body,
        clock.now(),
      );
    const both = await sendWith(webhookKeys(parseSecrets(NEW) ?? [], RAW));
    expect(legacyCheck(both.clock, both.sent, RAW)).to.equal('valid');
    expect(verifiedAt(both.clock, both.sent, NEW), 'and the new secret in webhook-signature').to.have.property(
      'promptId',
    );
    expect(verifiedAt(both.clock, both.sent, RAW), 'the raw secret signs there too').to.have.property('promptId');

    const whsecOnly = await sendWith(webhookKeys(parseSecrets(`${NEW},${OLD}`) ?? []));
    expect(legacyCheck(whsecOnly.clock, whsecOnly.sent, parseSecrets(NEW)?.[0] ?? '')).to.equal('valid');
  });
});

describe('SimulatedDevice', () => {
  it('answers through the signed response route, naming the prompt in the signed body', async () => {
    const clock = new FakeClock(Date.now());
    const server = new RecordingServer();
    const device = new SimulatedDevice(KEYS, clock);
    device.attach(await server.start());
    await device.send(request(clock));
    expect(await device.answer(request(clock).promptId, { decision: 'confirmed', matchedNumber: 42 })).to.equal(200);
    const [sent] = server.requests;
    expect(sent?.url).to.equal('/v1/device-prompts/8d3c1c52-0a0b-4c6f-9a47-1d0b7a4b9f10.a1b2c3d4e5f6/response');
    expect(JSON.parse(sent?.body ?? '{}')).to.deep.equal({
      promptId: request(clock).promptId,
      decision: 'confirmed',
      matchedNumber: 42,
    });
    expect(verifiedAt(clock, sent), 'Standard Webhooks, by the library').to.deep.include({ decision: 'confirmed' });
    expect(device.pending(), 'answered prompts leave the screen').to.deep.equal([]);
    await server.stop();
  });

  it('drops prompts from the screen once they expire', async () => {
    const clock = new FakeClock(Date.now());
    const device = new SimulatedDevice(KEYS, clock);
    await device.send(request(clock));
    expect(device.pending('demo-alex')).to.have.length(1);
    expect(device.pending('demo-jan')).to.have.length(0);
    clock.advance(120_000);
    expect(device.pending()).to.deep.equal([]);
  });
});
