import { expect } from 'chai';
import { ACTIONS } from '../../../bots/slack/blocks.ts';
import { request } from '../../support/http.ts';
import {
  AGENT_USER,
  buttonClick,
  eventCallback,
  type SlackCall,
  sessionIdOnCard,
  shownText,
  slashCommand,
  socketPayload,
} from '../../support/slack.ts';
import { type SlackHarness, startSlackApp } from '../../support/slack-app.ts';
import { SlackSocketDouble } from '../../support/slack-socket.ts';

describe('Slack over Socket Mode (SLACK_APP_TOKEN)', () => {
  let h: SlackHarness;
  let socket: SlackSocketDouble;
  before(async () => {
    socket = new SlackSocketDouble();
    const socketUrl = await socket.start();
    h = await startSlackApp({
      env: { SLACK_APP_TOKEN: 'xapp-1-A0SUPPORT-1234-test' },
      beforeStart: (slack) => {
        slack.socketUrl = socketUrl;
      },
    });
  });
  after(async () => {
    await h.close();
    await socket.stop();
  });

  it('connects out with the app token, and takes no requests over HTTP', async () => {
    await socket.connection;
    const [open] = h.slack.server.requests.filter((r) => r.url.startsWith('/api/apps.connections.open'));
    expect(open?.headers.authorization).to.equal('Bearer xapp-1-A0SUPPORT-1234-test');
    const refused = await request(`${h.t.url}/slack/events`, { method: 'POST', body: '{}' });
    expect(refused.status).to.equal(404);
  });

  it('runs a verification from /verify through the card’s buttons, acking every envelope', async () => {
    const ack = await socket.send('slash_commands', socketPayload(slashCommand('alex@example.com')));
    expect(ack).to.have.property('envelope_id');
    const [card] = await h.slack.waitFor('chat.postMessage');
    expect(card?.args.channel).to.equal(AGENT_USER);
    const sessionId = sessionIdOnCard(card as SlackCall);

    await socket.send('interactive', socketPayload(buttonClick(ACTIONS.choosePin, sessionId)));
    const [update] = await h.slack.waitFor('chat.update');
    expect(shownText(update as SlackCall)).to.contain('support PIN');
  });

  it('answers App Home events, once however often Slack retries them', async () => {
    const event = socketPayload(
      eventCallback({ type: 'app_home_opened', user: AGENT_USER, channel: 'D0AGENTDM', tab: 'home', event_ts: '1' }),
    );
    await socket.send('events_api', event);
    await socket.send('events_api', event, { retry_attempt: 1, retry_reason: 'timeout' });
    await h.slack.waitFor('views.publish');
    await new Promise((r) => setTimeout(r, 300));
    expect(h.slack.calls('views.publish')).to.have.length(1);
  });
});
