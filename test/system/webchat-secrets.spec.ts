import { expect } from 'chai';
import { SECRETS } from '../fixtures/guard-corpus.ts';
import { useRedisServer } from '../support/redis-fixture.ts';
import { occurs } from '../support/secrets.ts';
import { type SlackHarness, startSlackApp } from '../support/slack-app.ts';
import { ChatClient, until } from '../support/webchat.ts';

describe('no secret a web chat customer types is relayed, stored or logged', function () {
  this.timeout(60_000);
  const redis = useRedisServer();
  let h: SlackHarness;
  before(async () => {
    await redis().flush();
    h = await startSlackApp({
      redisUrl: redis().url,
      mutate: (config) => {
        config.webchat.slackChannel = 'C0WEBCHAT';
      },
    });
  });
  after(async () => h.close());

  it(`pushes all ${SECRETS.length} secrets of the guard corpus through the chat, and finds none in Slack, Redis or the logs`, async () => {
    const customerLines: string[] = [];
    // The flood limit is 20 lines a minute per conversation: a few conversations carry the whole corpus.
    for (let start = 0; start < SECRETS.length; start += 15) {
      const customer = new ChatClient(h.t.url);
      await customer.open({ locale: 'en' });
      for (const { text } of SECRETS.slice(start, start + 15)) {
        const said = await customer.say(text);
        expect(said.status, text).to.equal(201);
        expect(said.json.warned, text).to.equal(true);
      }
      for (const message of await customer.messages())
        if (message.from === 'customer') customerLines.push(message.text);
    }
    const relayed = () => h.slack.calls('chat.postMessage').filter((c) => c.args.thread_ts);
    await until(() => relayed().length === SECRETS.length, 'every line relayed', 15_000);

    const places = {
      slack: JSON.stringify(h.slack.server.requests.map((r) => r.body)),
      redis: await redis().dump(),
      logs: h.t.logs.join(''),
      transcripts: customerLines.join('\n'),
    };
    for (const { secret, text } of SECRETS)
      for (const [place, content] of Object.entries(places))
        expect(occurs(content, secret), `"${secret}" (from "${text}") in ${place}`).to.equal(false);
    expect(customerLines.every((line) => line.includes('[hidden]'))).to.equal(true);
  });
});
