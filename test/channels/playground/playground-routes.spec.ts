import { expect } from 'chai';
import { startTestApp, type TestApp } from '../../support/app.ts';
import { AGENT } from '../../support/fakes.ts';
import { request } from '../../support/http.ts';
import { until } from '../../support/webchat.ts';

const agent = { kind: 'agent', who: AGENT } as const;

describe('Playground: device, mailbox and settings', () => {
  let t: TestApp;
  beforeEach(async () => {
    // As `npm start` runs with nothing set: the built-in demo portal key.
    t = await startTestApp({
      mutate: (config) => {
        config.portalApiKeys = ['demo-portal-key'];
      },
    });
  });
  afterEach(async () => t.close());

  const json = (path: string, body?: unknown) =>
    request(`${t.url}${path}`, {
      ...(body === undefined
        ? {}
        : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });

  it('tells the page what it may use: the demo portal key only, the device and the mailbox', async () => {
    expect((await json('/playground/settings')).json).to.deep.equal({
      portalKey: 'demo-portal-key',
      device: true,
      mailbox: true,
    });
    const real = await startTestApp();
    try {
      expect((await request(`${real.url}/playground/settings`)).json.portalKey).to.equal(null);
    } finally {
      await real.close();
    }
  });

  it('shows the device’s prompt with who asks and the numbers, and answers it through the real signed route', async () => {
    const session = await t.app.verification.start({ agent: AGENT, query: 'alex@example.com' });
    const waiting = await t.app.verification.chooseDevice(session.id, agent);
    const listed = await json('/playground/device/prompts?accountId=demo-alex');
    const [prompt] = listed.json.prompts as Array<{
      promptId: string;
      requester: { agentName: string };
      numberChoices: number[];
    }>;
    expect(prompt?.promptId).to.equal(waiting.prompt?.id);
    expect(prompt?.requester.agentName).to.equal(AGENT.displayName);
    expect(prompt?.numberChoices).to.include(waiting.prompt?.matchNumber);

    expect(
      (await json(`/playground/device/prompts/${prompt?.promptId}/answer`, { decision: 'maybe' })).status,
    ).to.equal(400);
    const answered = await json(`/playground/device/prompts/${prompt?.promptId}/answer`, {
      decision: 'confirmed',
      matchedNumber: waiting.prompt?.matchNumber,
    });
    expect(answered.json).to.deep.equal({ status: 200 });
    expect((await t.app.verification.get(session.id)).state).to.equal('verified');
    expect((await json('/playground/device/prompts')).json.prompts).to.deep.equal([]);
    const again = await json(`/playground/device/prompts/${prompt?.promptId}/answer`, { decision: 'denied' });
    expect(again.status).to.equal(409);
  });

  it('lists the account emails in the outbox, newest first', async () => {
    const session = await t.app.verification.start({ agent: AGENT, query: 'jan@example.nl' });
    await t.app.verification.cancel(session.id, agent);
    await t.app.verification.idle();
    await until(async () => ((await json('/playground/mailbox')).json.mails as unknown[]).length > 0, 'the email');
    const [mail] = (await json('/playground/mailbox')).json.mails as Array<{
      to: string;
      subject: string;
      text: string;
    }>;
    expect(mail?.to).to.contain('jan@example.nl');
    expect(mail?.subject).to.be.a('string').and.not.equal('');
    expect(mail?.text).to.contain('Robin');
  });

  it('refuses malformed ids and bodies', async () => {
    expect((await json('/playground/device/prompts?accountId=%00bad')).status).to.equal(400);
    expect((await json('/playground/device/prompts/nope/answer', { decision: 'confirmed' })).status).to.equal(404);
  });
});
