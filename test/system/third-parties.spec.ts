import { expect } from 'chai';
import { ACTIONS } from '../../bots/slack/blocks.ts';
import { cardText } from '../support/adaptive-cards.ts';
import { TEST_DEVICE_SECRET, TEST_PORTAL_KEY } from '../support/app.ts';
import { request } from '../support/http.ts';
import { RecordingServer, type Reply } from '../support/recording-server.ts';
import { useRedisServer } from '../support/redis-fixture.ts';
import { AGENT_USER, buttonClick, type SlackCall, shownText, slashCommand, TEAM } from '../support/slack.ts';
import { type SlackHarness, startSlackApp } from '../support/slack-app.ts';
import { AGENT, cardAction, message, PERSONAL, teamsUser } from '../support/teams.ts';
import { startTeamsApp, type TeamsHarness } from '../support/teams-app.ts';
import { until } from '../support/webchat.ts';

/** A reply held back until the test opens the gate: a third party that is slow to answer. */
function gate(): { open(): void; opened: Promise<void> } {
  let open = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}

describe('slow and failing third parties', function () {
  this.timeout(30_000);
  const redis = useRedisServer();
  const device = new RecordingServer();
  let deviceUrl = '';
  let answered = 0;
  let reply: () => Reply | Promise<Reply>;
  before(async () => {
    deviceUrl = await device.start();
    device.reply = async () => {
      const answer = await reply();
      answered++;
      return answer;
    };
  });
  after(() => device.stop());
  beforeEach(async () => {
    await redis().flush();
    device.requests.length = 0;
    answered = 0;
    reply = () => ({ status: 200, body: { ok: true } });
  });
  const deviceEnv = () => ({ DEVICE_WEBHOOK_URL: `${deviceUrl}/push`, DEVICE_WEBHOOK_SECRETS: TEST_DEVICE_SECRET });

  describe('in Slack', () => {
    let h: SlackHarness;
    beforeEach(async () => {
      h = await startSlackApp({ redisUrl: redis().url, env: deviceEnv() });
    });
    afterEach(() => h.close());

    async function startVerification(): Promise<string> {
      await h.send(slashCommand('alex@example.com', {}, h.slack.responseUrl()));
      await h.slack.waitFor('chat.postMessage', 1);
      const [session] = await h.t.app.verification.recent({ id: AGENT_USER, channel: 'slack', workspaceId: TEAM }, 1);
      if (!session) throw new Error('no session');
      return session.id;
    }
    const cardUpdates = () => h.slack.calls('chat.update').filter((c) => String(c.args.channel).startsWith('D'));

    it('acks the button while the device service is still answering, and updates the card once it has', async () => {
      const sessionId = await startVerification();
      const slow = gate();
      reply = async () => {
        await slow.opened;
        return { status: 200, body: { ok: true } };
      };
      const ack = await h.send(buttonClick(ACTIONS.chooseDevice, sessionId, { responseUrl: h.slack.responseUrl('d') }));
      expect(ack.status).to.equal(200);
      await until(() => device.requests.length === 1, 'the prompt reaching the device service');
      expect(answered, 'acked before the device service answered').to.equal(0);

      slow.open();
      await until(() => cardUpdates().some((u) => shownText(u).includes('Waiting for')), 'the waiting card');
    });

    it('retries a failing device service, then tells the agent on the card and privately, and logs why', async () => {
      const sessionId = await startVerification();
      reply = () => ({ status: 503, body: { error: 'unavailable' } });
      await h.send(buttonClick(ACTIONS.chooseDevice, sessionId, { responseUrl: h.slack.responseUrl('d') }));

      await until(
        () => h.slack.calls('response_url').some((c) => String(c.args.text).includes('could not be delivered')),
        'the private note to the agent',
      );
      expect(device.requests, 'three attempts').to.have.length(3);
      await until(() => cardUpdates().some((u) => shownText(u).includes('could not be delivered')), 'the card note');
      const card = cardUpdates().at(-1) as SlackCall;
      expect(JSON.stringify(card.args.blocks), 'the agent can send it again or use a PIN')
        .to.contain(ACTIONS.chooseDevice)
        .and.contain(ACTIONS.choosePin);
      const logged = h.t.logs.map((line) => JSON.parse(line)).find((l) => l.msg === 'audit: device_prompt_failed');
      expect(logged?.level, 'a warning for the operator').to.equal('warn');
      expect(logged?.audit.detail.cause).to.equal('device service answered 503');

      // The hold on the account was freed: once the service is back, the prompt goes out.
      reply = () => ({ status: 200, body: { ok: true } });
      await h.send(buttonClick(ACTIONS.chooseDevice, sessionId, { responseUrl: h.slack.responseUrl('d2') }));
      await until(() => device.requests.length === 4, 'a fourth request');
      await until(() => cardUpdates().some((u) => shownText(u).includes('Waiting for')), 'the waiting card');
    });

    it('retries the Slack Web API through errors and rate limits, posting the card once', async () => {
      h.slack.outages.set('chat.postMessage', [
        { status: 500, body: { ok: false, error: 'internal_error' } },
        { status: 429, body: { ok: false, error: 'ratelimited' }, headers: { 'retry-after': '1' } },
      ]);
      const ack = await h.send(slashCommand('alex@example.com', {}, h.slack.responseUrl()));
      expect(ack.status).to.equal(200);
      await h.slack.waitFor('chat.postMessage', 3, 10_000);
      await new Promise((r) => setTimeout(r, 300));
      const posts = h.slack.calls('chat.postMessage').filter((c) => c.args.channel === AGENT_USER);
      expect(posts, 'two refused, one posted').to.have.length(3);
      expect(cardUpdates(), 'no second card, no stray update').to.have.length(0);
    });

    it('logs a Web API that keeps failing, and carries on once it is back', async () => {
      const failing = { status: 500, body: { ok: false, error: 'internal_error' } };
      h.slack.outages.set('chat.postMessage', [failing, failing, failing]);
      const ack = await h.send(slashCommand('alex@example.com', {}, h.slack.responseUrl()));
      expect(ack.status).to.equal(200);
      await until(
        () => h.t.logs.some((line) => line.includes('"level":"error"') && line.includes('render')),
        'an error log line',
        10_000,
      );
      expect(h.t.logs.join('\n')).to.not.contain('xoxb-');

      await h.send(slashCommand('jan@example.nl', {}, h.slack.responseUrl('again')));
      await until(() => h.slack.calls('chat.postMessage').length >= 4, 'the next card');
    });
  });

  describe('in Teams', () => {
    let h: TeamsHarness;
    beforeEach(async () => {
      h = await startTeamsApp({ redisUrl: redis().url, env: deviceEnv() });
    });
    afterEach(() => h.close());

    async function startVerification(): Promise<string> {
      await h.send(message(h.serviceUrl, 'verify alex@example.com'));
      await h.connector.waitFor(() => h.connector.cards().length > 0, 'the new card');
      const [session] = await h.t.app.verification.recent(teamsUser(AGENT), 1);
      if (!session) throw new Error('no session');
      return session.id;
    }
    const cardUpdates = () =>
      h.connector.cards((c) => c.method === 'PUT' && c.conversationId === PERSONAL).map((c) => cardText(c.card));

    it('answers the card action in time while the device service is slow, then updates the card', async () => {
      const sessionId = await startVerification();
      const slow = gate();
      reply = async () => {
        await slow.opened;
        return { status: 200, body: { ok: true } };
      };
      const invoke = await h.send(cardAction(h.serviceUrl, 'sv.choose_device', { sessionId }));
      expect(invoke.status).to.equal(200);
      expect(answered, 'answered before the device service did').to.equal(0);
      expect(JSON.stringify(invoke.json)).to.contain('Still working on it');

      slow.open();
      await h.connector.waitFor(
        () => cardUpdates().some((text) => text.includes('Waiting for')),
        'the card updated to waiting',
      );
    });

    it('tells the agent when the device service fails, on the card they pressed', async () => {
      const sessionId = await startVerification();
      reply = () => ({ status: 500 });
      const invoke = await h.send(cardAction(h.serviceUrl, 'sv.choose_device', { sessionId }));
      expect(invoke.status).to.equal(200);
      expect(JSON.stringify(invoke.json)).to.contain('could not be delivered');
      await h.connector.waitFor(
        () => cardUpdates().some((text) => text.includes('could not be delivered') && text.includes('Use support PIN')),
        'the card with the note and the methods',
      );
    });

    it('retries the Bot Connector when it fails or throttles an update', async () => {
      const sessionId = await startVerification();
      h.connector.outages.push({ status: 503 }, { status: 429, headers: { 'retry-after': '1' } });
      await h.send(cardAction(h.serviceUrl, 'sv.choose_pin', { sessionId }));
      await h.t.app.verification.cancel(sessionId, { kind: 'agent', who: teamsUser(AGENT) });
      await h.connector.waitFor(
        () => cardUpdates().some((text) => text.includes('cancelled')),
        'the cancelled card, after the retries',
        10_000,
      );
    });
  });

  describe('the account directory (ACCOUNTS_URL)', () => {
    const directory = new RecordingServer();
    let directoryUrl = '';
    before(async () => {
      directoryUrl = await directory.start();
    });
    after(() => directory.stop());

    for (const [what, answer] of [
      ['answers 500', () => ({ status: 500, body: { error: 'down' } })],
      ['sends something that is not a profile', () => ({ status: 200, body: { id: 1 } })],
      ['is too slow', () => new Promise<Reply>((resolve) => setTimeout(() => resolve({ status: 404 }), 4000))],
    ] as const) {
      it(`when it ${what}: the portal gets 503 directory_unavailable, the agent is told, the log names ACCOUNTS_URL`, async () => {
        directory.reply = answer;
        const h = await startSlackApp({ redisUrl: redis().url, env: { ACCOUNTS_URL: `${directoryUrl}/v1` } });
        try {
          const pin = await request(`${h.t.url}/v1/accounts/demo-alex/support-pins`, {
            method: 'POST',
            headers: { authorization: `Bearer ${TEST_PORTAL_KEY}` },
          });
          expect(pin.status).to.equal(503);
          expect(pin.json.error).to.deep.equal({
            code: 'directory_unavailable',
            message: 'the account directory did not answer; try again',
          });
          expect(pin.headers.get('retry-after')).to.equal('2');
          expect(h.t.logs.join('')).to.contain('account directory (ACCOUNTS_URL) unavailable');

          const ack = await h.send(slashCommand('alex@example.com', {}, h.slack.responseUrl('v')));
          expect(ack.status).to.equal(200);
          const said = [...(await h.slack.responses('v')), ack.json].map((m) => JSON.stringify(m)).join(' ');
          expect(said).to.contain('The account directory did not answer');
          const client = redis().client();
          expect(await client.keys('*grant*'), 'nothing granted').to.deep.equal([]);
          await client.quit();
        } finally {
          await h.close();
        }
      });
    }
  });
});
