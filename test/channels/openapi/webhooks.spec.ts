import { expect } from 'chai';
import type { OpenApiDocument } from '../../../bots/openapi/document.ts';
import { startTestApp, TEST_DEVICE_SECRET, type TestApp } from '../../support/app.ts';
import { newWhsecSecret, signedDeviceAnswer, verifyWithLibrary } from '../../support/device-signing.ts';
import { directoryDouble } from '../../support/directory-double.ts';
import { AGENT } from '../../support/fakes.ts';
import { request } from '../../support/http.ts';
import { documentSchemas, operation, servedDocument } from '../../support/openapi.ts';
import { type RecordedRequest, RecordingServer } from '../../support/recording-server.ts';

const SECURITY_SECRET = newWhsecSecret();

describe('The OpenAPI webhooks and what the server really sends', () => {
  const deviceService = new RecordingServer();
  const securityTeam = new RecordingServer();
  let directory: RecordingServer;
  let t: TestApp;
  let document: OpenApiDocument;
  let check: ReturnType<typeof documentSchemas>;

  before(async () => {
    directory = await directoryDouble();
    const [deviceUrl, securityUrl, directoryUrl] = await Promise.all([
      deviceService.start(),
      securityTeam.start(),
      directory.start(),
    ]);
    t = await startTestApp({
      env: {
        DEVICE_WEBHOOK_URL: `${deviceUrl}/prompts`,
        SECURITY_WEBHOOK_URL: `${securityUrl}/alerts`,
        SECURITY_WEBHOOK_SECRETS: SECURITY_SECRET,
        ACCOUNTS_URL: `${directoryUrl}/v1`,
      },
    });
    document = await servedDocument(t.url);
    check = documentSchemas(document);
    // One verification by device prompt, denied: the directory is read, a prompt sent, an alert raised.
    const session = await t.app.verification.start({ agent: AGENT, query: 'alex@example.com' });
    const waiting = await t.app.verification.chooseDevice(session.id, { kind: 'agent', who: AGENT });
    const signed = signedDeviceAnswer(TEST_DEVICE_SECRET, { promptId: waiting.prompt?.id, decision: 'denied' });
    const answer = await request(`${t.url}/v1/device-prompts/${waiting.prompt?.id}/response`, signed);
    if (answer.status !== 200) throw new Error(`the device answer got ${answer.status}`);
    const deadline = Date.now() + 5000;
    while (securityTeam.requests.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    // The lookup's profile is kept for a while, so the flow above reads no account by id: this one does.
    await t.app.accounts.summary('demo-jan');
  });
  after(async () => {
    await t.close();
    await Promise.all([deviceService.stop(), securityTeam.stop(), directory.stop()]);
  });

  /** A signed POST, checked against its webhook: body schema, header schemas, and the signature itself. */
  function expectSignedDelivery(name: string, recorded: RecordedRequest | undefined, secret: string): void {
    expect(recorded, `a ${name} was sent`).to.not.equal(undefined);
    if (!recorded) return;
    const webhook = operation(document.webhooks, name, 'post');
    expect(recorded.method).to.equal('POST');
    expect(recorded.headers['content-type']).to.equal('application/json');
    const schema = webhook.requestBody?.content['application/json']?.schema ?? {};
    expect(check(schema, JSON.parse(recorded.body)), `${name} body`).to.deep.equal([]);
    for (const parameter of webhook.parameters ?? []) {
      expect(parameter.in).to.equal('header');
      const value = recorded.headers[parameter.name];
      if (parameter.required) expect(value, parameter.name).to.be.a('string');
      expect(check(parameter.schema, value), parameter.name).to.deep.equal([]);
    }
    // A receiver written against the standardwebhooks library accepts it.
    expect(verifyWithLibrary(secret, recorded)).to.deep.equal(JSON.parse(recorded.body));
  }

  const senders: Record<string, () => void> = {
    devicePrompt: () => expectSignedDelivery('devicePrompt', deviceService.requests[0], TEST_DEVICE_SECRET),
    securityAlert: () => {
      expectSignedDelivery('securityAlert', securityTeam.requests[0], SECURITY_SECRET);
      expect(JSON.parse(securityTeam.requests[0]?.body ?? '{}')).to.include({ alert: 'device_prompt_denied' });
    },
    accountLookup: () => {
      const lookup = directory.requests.find((r) => r.url.startsWith('/v1/accounts?'));
      expect(lookup?.method).to.equal('GET');
      expect(lookup?.url).to.equal('/v1/accounts?lookup=alex%40example.com');
      expect(operation(document.webhooks, 'accountLookup', 'get')).to.have.property(
        'x-request-path',
        '/accounts?lookup={lookup}',
      );
    },
    accountProfile: () => {
      const read = directory.requests.find((r) => /^\/v1\/accounts\/[^/?]+$/u.test(r.url));
      expect(read?.method).to.equal('GET');
      expect(read?.url).to.equal('/v1/accounts/demo-jan');
      expect(operation(document.webhooks, 'accountProfile', 'get')).to.have.property(
        'x-request-path',
        '/accounts/{accountId}',
      );
    },
  };

  it('every webhook in the document has a sender exercised here, and every sender a webhook', () => {
    expect(Object.keys(document.webhooks)).to.have.members(Object.keys(senders));
  });

  for (const [name, verify] of Object.entries(senders)) it(`${name}: the real request fits the webhook`, verify);

  it('what the directory answered fits the documented profile, and the server took it', async () => {
    const schema = operation(document.webhooks, 'accountProfile', 'get').responses['200']?.content?.['application/json']
      ?.schema;
    const answered = await directory.reply(directory.requests[0] as RecordedRequest);
    expect(answered.status).to.equal(200);
    expect(check(schema ?? {}, answered.body)).to.deep.equal([]);
    expect(check(schema ?? {}, { id: 'x', devices: 'none' })).to.not.deep.equal([]);
    expect((await t.app.accounts.summary('demo-alex'))?.id).to.equal('demo-alex');
  });
});
