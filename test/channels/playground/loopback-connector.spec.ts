import { expect } from 'chai';
import type { LoopbackEvent } from '../../../bots/playground/loopback-connector.ts';
import { assertValidCard, cardText } from '../../support/adaptive-cards.ts';
import { startTestApp, type TestApp } from '../../support/app.ts';
import { request } from '../../support/http.ts';
import { readEventStream } from '../../support/sse.ts';
import { AGENT, cardAction, message, teamsUser } from '../../support/teams.ts';
import { until } from '../../support/webchat.ts';

describe('Playground: the loopback Bot Connector', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp();
  });
  afterEach(async () => t.close());

  const post = (activity: unknown) =>
    request(`${t.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity),
    });

  it('streams the real Teams bot’s cards and their updates to the playground’s agent pane', async () => {
    const serviceUrl = `${t.url}/playground/connector/`;
    const live = await readEventStream(`${t.url}/playground/agent/events`);
    expect(live.status).to.equal(200);
    const cards = () =>
      live.events.flatMap((e) => {
        const event = e.data as LoopbackEvent;
        const attachments = (event.activity.attachments ?? []) as Array<{ content: unknown }>;
        return attachments.map((a) => ({ kind: event.kind, card: a.content }));
      });

    expect((await post(message(serviceUrl, 'verify alex@example.com'))).status).to.equal(200);
    await until(() => cards().length > 0, 'the agent’s card');
    const [first] = cards();
    expect(first?.kind).to.equal('sent');
    assertValidCard(first?.card);
    expect(cardText(first?.card)).to.contain('Verify Alex Morgan');

    const [session] = await t.app.verification.recent(teamsUser(AGENT), 1);
    const pressed = await post(cardAction(serviceUrl, 'sv.choose_pin', { sessionId: session?.id }));
    expect(cardText(pressed.json.value)).to.contain('Tries left: 3');
    await until(
      () => cards().some((c) => c.kind === 'updated' && cardText(c.card).includes('Tries left: 3')),
      'the update',
    );
    live.close();

    const replay = await readEventStream(`${t.url}/playground/agent/events`);
    await until(() => replay.events.length >= 2, 'the history after a reload');
    replay.close();
  });

  it('serves the page with a strict Content-Security-Policy that only this origin may frame, and no sniffing', async () => {
    const page = await request(`${t.url}/`);
    expect(page.status).to.equal(200);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp)
      .to.contain("default-src 'none'")
      .and.contain("script-src 'self'")
      .and.contain("frame-ancestors 'self'")
      .and.not.contain('unsafe-inline');
    expect(page.headers.get('x-content-type-options')).to.equal('nosniff');
  });

  it('is not there when the playground is off', async () => {
    const off = await startTestApp({ env: { PLAYGROUND: 'off' } });
    try {
      expect((await request(`${off.url}/playground/agent/events`)).status).to.equal(404);
    } finally {
      await off.close();
    }
  });
});
