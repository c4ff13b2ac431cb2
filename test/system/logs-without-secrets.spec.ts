import { expect } from 'chai';
import { ACTIONS } from '../../bots/slack/blocks.ts';
import { useRedisServer } from '../support/redis-fixture.ts';
import { AGENT_USER, buttonClick, eventCallback, slashCommand, TEAM } from '../support/slack.ts';
import { type SlackHarness, startSlackApp } from '../support/slack-app.ts';
import { ChatClient, until } from '../support/webchat.ts';

const RELAY = 'C0WEBCHAT';
// What a customer said, an e-mail and the serials a grant unlocks: none may reach a log line at any level.
const CUSTOMER_LINE = 'my toaster blinks purple and orange since tuesday';
const AGENT_LINE = 'thanks, looking at the purple blinking now';
const NEVER_LOGGED = [
  CUSTOMER_LINE,
  AGENT_LINE,
  'alex@example.com',
  'alex%40example.com',
  'DMPXK1ALEX01',
  'C02ZK2ALEX02',
];

describe('logs at trace level carry no customer line, e-mail or serial', () => {
  const redis = useRedisServer();
  let h: SlackHarness;
  beforeEach(async () => {
    await redis().flush();
    h = await startSlackApp({
      redisUrl: redis().url,
      env: { LOG_LEVEL: 'trace' },
      mutate: (config) => {
        config.webchat.slackChannel = RELAY;
      },
    });
  });
  afterEach(async () => h.close());

  it('a web chat relayed to Slack, a reply, and a device verification through to the serials', async () => {
    const customer = new ChatClient(h.t.url);
    await customer.open({ locale: 'en' });
    await customer.say(CUSTOMER_LINE);
    const replies = () => h.slack.calls('chat.postMessage').filter((c) => c.args.channel === RELAY && c.args.thread_ts);
    await until(() => replies().length === 1, 'the line relayed');
    await h.send(
      eventCallback({
        type: 'message',
        channel: RELAY,
        channel_type: 'channel',
        user: AGENT_USER,
        text: AGENT_LINE,
        ts: `${Date.now() / 1000}`,
        thread_ts: String(replies()[0]?.args.thread_ts),
        event_ts: `${Date.now() / 1000}`,
      }),
      { json: true },
    );
    await until(async () => (await customer.messages()).some((m) => m.from === 'agent'), 'the reply reached the chat');

    await h.send(slashCommand('alex@example.com', {}, h.slack.responseUrl()));
    await h.slack.waitFor('chat.postMessage', 3);
    const [session] = await h.t.app.verification.recent({ id: AGENT_USER, channel: 'slack', workspaceId: TEAM }, 1);
    await h.send(buttonClick(ACTIONS.chooseDevice, session?.id ?? '', { responseUrl: h.slack.responseUrl('d') }));
    await until(async () => (await h.t.app.verification.get(session?.id ?? '')).state === 'awaiting_device', 'prompt');
    const prompt = (await h.t.app.verification.get(session?.id ?? '')).prompt;
    await h.t.app.device?.answer(prompt?.id ?? '', { decision: 'confirmed', matchedNumber: prompt?.matchNumber });
    await until(
      () => h.slack.calls('chat.update').some((c) => JSON.stringify(c.args).includes('DMPXK1ALEX01')),
      'the card shows the serials',
    );

    const output = h.t.logs.join('');
    expect(
      output.split('\n').filter((l) => l.includes('"level":"trace"') || l.includes('"level":"debug"')).length,
    ).to.be.greaterThan(10, 'trace and debug lines were written');
    for (const secret of NEVER_LOGGED) {
      const line = output.split('\n').find((l) => l.includes(secret));
      expect(line, `${secret} in the log`).to.equal(undefined);
    }
  });
});
