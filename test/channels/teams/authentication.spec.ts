import { generateKeyPairSync } from 'node:crypto';
import { expect } from 'chai';
import { BotFrameworkIssuer } from '../../support/bot-framework-token.ts';
import { useRedisServer } from '../../support/redis-fixture.ts';
import { AGENT, CUSTOMER, message, teamsUser } from '../../support/teams.ts';
import { startTeamsApp, type TeamsHarness } from '../../support/teams-app.ts';

const APP_ID = '5a3e9c1b-0000-4000-8000-00000000b071';

describe('Teams: request authentication (MicrosoftAppId set)', () => {
  const redis = useRedisServer();
  const issuer = new BotFrameworkIssuer();
  let h: TeamsHarness;
  before(async () => {
    await redis().flush();
    const metadataUrl = await issuer.start();
    h = await startTeamsApp({
      redisUrl: redis().url,
      env: {
        MicrosoftAppId: APP_ID,
        MicrosoftAppPassword: 'test-app-password-0123456789',
        MicrosoftAppType: 'MultiTenant',
      },
      teamsAuthSettings: { ToBotFromChannelOpenIdMetadataUrl: metadataUrl },
    });
  });
  after(async () => {
    await h.close();
    await issuer.stop();
  });

  // Someone other than the bot joined: the bot reads it and sends nothing, so only authentication decides.
  const activity = () => ({
    ...message(h.serviceUrl, ''),
    type: 'conversationUpdate',
    text: undefined,
    membersAdded: [CUSTOMER],
  });
  const send = (token?: string) => h.send(activity(), token ? { authorization: `Bearer ${token}` } : {});

  it('accepts a token signed by the channel’s key, for this app and this service URL', async () => {
    expect((await send(issuer.token({ aud: APP_ID, serviceurl: h.serviceUrl }))).status).to.equal(200);
  });

  it('refuses a missing token, a wrong audience, a wrong issuer, an expired token and a foreign key with 401', async () => {
    const now = Math.floor(Date.now() / 1000);
    const foreign = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const cases: Array<[string, string | undefined]> = [
      ['no token', undefined],
      ['wrong audience', issuer.token({ aud: 'some-other-bot', serviceurl: h.serviceUrl })],
      ['wrong issuer', issuer.token({ aud: APP_ID, serviceurl: h.serviceUrl, iss: 'https://evil.example' })],
      [
        'expired',
        issuer.token({ aud: APP_ID, serviceurl: h.serviceUrl, exp: now - 600, nbf: now - 7200, iat: now - 7200 }),
      ],
      ['foreign key', issuer.token({ aud: APP_ID, serviceurl: h.serviceUrl }, foreign)],
      ['other service URL', issuer.token({ aud: APP_ID, serviceurl: 'https://smba.evil.example/' })],
    ];
    for (const [what, token] of cases) {
      const answer = await send(token);
      expect(answer.status, what).to.equal(401);
      expect(answer.json.error?.code, what).to.equal('unauthorized');
    }
  });

  it('never starts a verification from an unauthenticated message', async () => {
    const answer = await h.send(message(h.serviceUrl, 'verify alex@example.com'));
    expect(answer.status).to.equal(401);
    await new Promise((r) => setTimeout(r, 200));
    expect(await h.t.app.verification.recent(teamsUser(AGENT), 5)).to.deep.equal([]);
    expect(h.connector.calls()).to.deep.equal([]);
  });
});

describe('Teams without MicrosoftAppId', () => {
  const redis = useRedisServer();

  it('is not served at all in production: an unauthenticated endpoint never goes live', async () => {
    const h = await startTeamsApp({
      redisUrl: redis().url,
      mutate: (config) => {
        config.nodeEnv = 'production';
      },
    });
    try {
      expect(h.t.app.teams).to.equal(undefined);
      expect((await h.send(message(h.serviceUrl, 'verify alex@example.com'))).status).to.equal(404);
    } finally {
      await h.close();
    }
  });
});
