import { webApi } from '@slack/bolt';
import { expect } from 'chai';
import { SlackDirectory } from '../../../bots/slack/slack-directory.ts';
import { FakeClock } from '../../support/clock.ts';
import { AGENT_USER, COLLEAGUE_USER, CUSTOMER_USER, SHARED_CHANNEL, SlackApiDouble } from '../../support/slack.ts';

describe('Slack directory', () => {
  const slack = new SlackApiDouble();
  let apiUrl = '';
  before(async () => {
    apiUrl = await slack.start();
  });
  after(() => slack.stop());
  beforeEach(() => {
    slack.server.requests.length = 0;
  });
  const client = () => new webApi.WebClient('xoxb-test', { slackApiUrl: apiUrl, retryConfig: { retries: 0 } });

  it('asks Slack about a person once per five minutes, and again after', async () => {
    const clock = new FakeClock();
    const directory = new SlackDirectory(client(), clock);
    expect((await directory.user(CUSTOMER_USER)).email).to.equal('alex@example.com');
    expect((await directory.user(CUSTOMER_USER)).name).to.equal('Alex Morgan');
    expect(directory.cachedLocale(CUSTOMER_USER)).to.equal('en');
    expect(slack.calls('users.info')).to.have.length(1);
    clock.advance(5 * 60_000 + 1);
    await directory.user(CUSTOMER_USER);
    expect(slack.calls('users.info')).to.have.length(2);
  });

  it('keeps a bounded number of people and channels, however many ids requests bring (least recent go first)', async () => {
    const directory = new SlackDirectory(client(), new FakeClock(), { users: 2, channels: 1 });
    for (const id of [AGENT_USER, CUSTOMER_USER, COLLEAGUE_USER, AGENT_USER]) await directory.user(id);
    expect(slack.calls('users.info').map((c) => c.args.user)).to.deep.equal([
      AGENT_USER,
      CUSTOMER_USER,
      COLLEAGUE_USER,
      AGENT_USER,
    ]);
    await directory.user(COLLEAGUE_USER);
    expect(slack.calls('users.info'), 'still kept').to.have.length(4);

    expect(await directory.isSharedChannel(SHARED_CHANNEL)).to.equal(true);
    expect(await directory.isSharedChannel('C0NOTSHARED')).to.equal(false);
    expect(await directory.isSharedChannel(SHARED_CHANNEL)).to.equal(true);
    expect(slack.calls('conversations.info')).to.have.length(3);
  });

  it('answers under the fallback name when Slack cannot say who it is', async () => {
    slack.outages.set('users.info', [{ status: 500, body: { ok: false, error: 'internal_error' } }]);
    const directory = new SlackDirectory(client(), new FakeClock());
    expect(await directory.user('U0NOBODY1', 'Support')).to.deep.equal({
      id: 'U0NOBODY1',
      name: 'Support',
      locale: 'en',
    });
  });
});
