import { expect } from 'chai';
import { withoutPayload } from '../../../../bots/slack/bolt-logger.ts';

describe('Bolt’s log lines without their payloads', () => {
  it('withholds the bodies the Web API client dumps at debug, keeping the label', () => {
    expect(withoutPayload('http request body: {"channel":"D1","text":"alex@example.com DMPXK1ALEX01"}')).to.equal(
      'http request body: [withheld]',
    );
    expect(withoutPayload('http response received')).to.equal('http response received');
    expect(withoutPayload('Slack request failed: TypeError')).to.equal('Slack request failed: TypeError');
    expect(withoutPayload("apiCall('chat.postMessage') start")).to.equal("apiCall('chat.postMessage') start");
    expect(withoutPayload('An API error occurred: channel_not_found')).to.equal(
      'An API error occurred: channel_not_found',
    );
    expect(withoutPayload('received event: my password is hunter2 and more')).to.equal('received event: [withheld]');
    expect(withoutPayload(`no colon but long ${'x'.repeat(200)}`)).to.match(/ \[withheld\]$/u);
  });
});
