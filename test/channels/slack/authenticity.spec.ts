import { expect } from 'chai';
import { useRedisServer } from '../../support/redis-fixture.ts';
import { AGENT_USER, eventCallback, interaction, slackHeaders, slashCommand, TEAM } from '../../support/slack.ts';
import { type SlackHarness, startSlackApp } from '../../support/slack-app.ts';

describe('Slack: request authenticity and who may verify', () => {
  const redis = useRedisServer();
  let h: SlackHarness | undefined;
  beforeEach(() => redis().flush());
  afterEach(async () => h?.close());

  const noSideEffects = async (harness: SlackHarness) => {
    await new Promise((r) => setTimeout(r, 200));
    expect(harness.slack.calls(), 'nothing was sent to Slack').to.deep.equal([]);
    expect(
      await harness.t.app.verification.recent({ id: AGENT_USER, channel: 'slack', workspaceId: TEAM }),
    ).to.deep.equal([]);
  };

  describe('signatures', () => {
    beforeEach(async () => {
      h = await startSlackApp({ redisUrl: redis().url });
    });

    it('refuses a wrong secret, a changed byte, a missing signature, and stale or future timestamps with 401', async () => {
      const harness = h as SlackHarness;
      const body = slashCommand('alex@example.com', {}, harness.slack.responseUrl());
      const now = Math.floor(Date.now() / 1000);
      const form = 'application/x-www-form-urlencoded' as const;
      const cases: Array<[string, Record<string, string>, string]> = [
        ['wrong secret', slackHeaders(body, form, { secret: 'another-signing-secret-000000000' }), body],
        ['changed byte', slackHeaders(body, form), body.replace('alex%40', 'alex%41')],
        ['appended byte', slackHeaders(body, form), `${body}&x=1`],
        ['no signature', { 'content-type': form, 'x-slack-request-timestamp': String(now) }, body],
        ['no timestamp', { ...slackHeaders(body, form), 'x-slack-request-timestamp': '' }, body],
        ['6 minutes old', slackHeaders(body, form, { timestampSeconds: now - 360 }), body],
        ['6 minutes ahead', slackHeaders(body, form, { timestampSeconds: now + 360 }), body],
        [
          'wrong version',
          {
            ...slackHeaders(body, form),
            'x-slack-signature': slackHeaders(body, form)['x-slack-signature']?.replace('v0=', 'v1=') ?? '',
          },
          body,
        ],
      ];
      for (const [name, headers, sent] of cases) {
        const answer = await harness.send(sent, { headers });
        expect(answer.status, name).to.equal(401);
      }
      await noSideEffects(harness);
      const metrics = await (await fetch(`${harness.t.url}/metrics`)).text();
      expect(metrics).to.match(/support_verify_slack_requests_refused_total\{reason="stale"\} 2/u);
      expect(metrics).to.match(/support_verify_slack_requests_refused_total\{reason="signature"\} 6/u);
    });

    it('accepts a timestamp within 5 minutes either way', async () => {
      const harness = h as SlackHarness;
      const now = Math.floor(Date.now() / 1000);
      for (const offset of [-240, 240]) {
        const answer = await harness.send(slashCommand('alex@example.com', {}, harness.slack.responseUrl()), {
          timestampSeconds: now + offset,
        });
        expect(answer.status).to.equal(200);
      }
    });

    it('refuses malformed and oversized payloads, signed or not, and stays up', async () => {
      const harness = h as SlackHarness;
      expect((await harness.send('payload=%7Bnot-json')).status).to.equal(400);
      expect((await harness.send('{"type":', { json: true })).status).to.equal(400);
      expect((await harness.send('[1,2,3]', { json: true })).status).to.equal(400);
      expect((await harness.send(`text=${'x'.repeat(300 * 1024)}`)).status).to.equal(413);
      expect((await harness.send(interaction({ type: 'block_actions', actions: 'nope' }))).status).to.equal(400);
      expect((await harness.send('token=x&text=no-command-field')).status).to.equal(400);
      // Found by fuzzing: a signed body of a kind Slack never sends used to reach Bolt, which failed with 500.
      expect((await harness.send('{"type":"37470","x":true}', { json: true })).status).to.equal(400);
      await noSideEffects(harness);
      expect((await fetch(`${harness.t.url}/healthz`)).status).to.equal(200);
    });

    it('says in the log at info why a signed body was refused: where its schema failed first, never a value', async () => {
      const harness = h as SlackHarness;
      const sent = [
        interaction({ type: 'block_actions', user: { id: AGENT_USER }, trigger_id: 't.1', actions: 'VALUE-ONE-4711' }),
        JSON.stringify({ type: 'VALUE-TWO-4712', x: true }),
        JSON.stringify({ type: 'event_callback', event_id: 'Ev0X', event: { text: 'VALUE-THREE-4713' } }),
      ];
      for (const [i, body] of sent.entries()) {
        expect((await harness.send(body, { json: i > 0 })).status).to.equal(400);
      }
      const refused = harness.t.logs
        .flatMap((chunk) => chunk.split('\n'))
        .filter((line) => line.includes('slack: request refused'))
        .map((line) => JSON.parse(line) as { level: string; reason: string; schema: Record<string, string> });
      expect(refused.map((line) => [line.level, line.reason, line.schema])).to.deep.equal([
        [
          'info',
          'malformed',
          { kind: 'block_actions', schemaPath: '#/properties/actions/type', instancePath: '/actions' },
        ],
        ['info', 'malformed', { kind: 'unknown', schemaPath: '#/kind', instancePath: '/type' }],
        [
          'info',
          'malformed',
          { kind: 'event_callback', schemaPath: '#/properties/event/required', instancePath: '/event' },
        ],
      ]);
      expect(harness.t.logs.join('')).not.to.match(/VALUE-(ONE|TWO|THREE)/u);
    });

    it('answers Slack’s URL verification and SSL check', async () => {
      const harness = h as SlackHarness;
      const challenge = await harness.send(
        JSON.stringify({ token: 't', challenge: 'c-123', type: 'url_verification' }),
        { json: true },
      );
      expect(challenge.json).to.deep.equal({ challenge: 'c-123' });
      const ssl = await harness.send('ssl_check=1&token=x', {
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(ssl.status).to.equal(200);
    });
  });

  describe('who may verify', () => {
    it('refuses politely, and audits, an agent outside the configured workspaces', async () => {
      h = await startSlackApp({
        redisUrl: redis().url,
        mutate: (config) => {
          config.agents.slack.teamIds = ['T0ELSEWHERE'];
        },
      });
      await h.send(slashCommand('alex@example.com', {}, h.slack.responseUrl()));
      const [reply] = await h.slack.waitFor('response_url');
      expect(String(reply?.args.text)).to.equal(
        'Sorry, you are not set up to verify customers. Ask your support admin to add you.',
      );
      expect(h.slack.calls('chat.postMessage')).to.deep.equal([]);
      const audit = (await h.t.app.auditRecord.read()).filter((e) => e.type === 'agent_unauthorized');
      expect(audit).to.have.length(1);
      expect(audit[0]?.agent).to.deep.equal({ channel: 'slack', workspaceId: TEAM, id: AGENT_USER });
    });

    it('lets members of a configured user group verify, and nobody else', async () => {
      h = await startSlackApp({
        redisUrl: redis().url,
        mutate: (config) => {
          config.agents.slack = { teamIds: [TEAM], userGroupIds: ['S0AGENTS'], userIds: [] };
        },
      });
      h.slack.groupMembers = ['U0SOMEONE'];
      await h.send(slashCommand('alex@example.com', {}, h.slack.responseUrl()));
      await h.slack.waitFor('response_url');
      expect(h.slack.calls('chat.postMessage')).to.deep.equal([]);
      expect(h.slack.calls('usergroups.users.list')[0]?.args.usergroup).to.equal('S0AGENTS');

      // A replica of its own (its group cache is fresh); any replica may post the card, so this one runs alone.
      await h.close();
      h = await startSlackApp({
        redisUrl: redis().url,
        mutate: (config) => {
          config.agents.slack = { teamIds: [TEAM], userGroupIds: ['S0AGENTS'], userIds: [] };
        },
      });
      h.slack.groupMembers = [AGENT_USER];
      await h.send(slashCommand('alex@example.com', {}, h.slack.responseUrl()));
      await h.slack.waitFor('chat.postMessage');
    });

    it('denies everyone by default in production when no agents are configured', async () => {
      h = await startSlackApp({
        redisUrl: redis().url,
        mutate: (config) => {
          config.nodeEnv = 'production';
        },
      });
      await h.send(slashCommand('alex@example.com', {}, h.slack.responseUrl()));
      const [reply] = await h.slack.waitFor('response_url');
      expect(String(reply?.args.text)).to.contain('not set up to verify');
    });

    it('still answers events from anyone (App Home shows an empty list)', async () => {
      h = await startSlackApp({ redisUrl: redis().url });
      await h.send(
        eventCallback({ type: 'app_home_opened', user: 'U0NEWBIE', channel: 'D1', tab: 'home', event_ts: '1' }),
        { json: true },
      );
      const [home] = await h.slack.waitFor('views.publish');
      expect(JSON.stringify(home?.args.view)).to.contain('No verifications yet.');
    });
  });
});
