import { type Activity, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import {
  AuthenticationConstants,
  ClaimsIdentity,
  type ConnectorClient,
  ConnectorFactory,
} from 'botframework-connector';
import { expect } from 'chai';
import { ReusedConnectorsAuthentication } from '../../../bots/teams/reused-connectors.ts';

const SERVICE = 'https://smba.trafficmanager.net/emea/';
const claimsFor = (appId: string) =>
  new ClaimsIdentity([{ type: AuthenticationConstants.AudienceClaim, value: appId }], true);

describe('Bot Connector clients reused across turns (ReusedConnectorsAuthentication)', () => {
  it('gives every turn of one bot, service URL and audience the same client, and a new one for any other', async () => {
    const auth = new ReusedConnectorsAuthentication(new ConfigurationBotFrameworkAuthentication({}));
    const first = await auth.createConnectorFactory(claimsFor('app-1')).create(SERVICE, 'https://api.botframework.com');
    const again = await auth.createConnectorFactory(claimsFor('app-1')).create(SERVICE, 'https://api.botframework.com');
    expect(again, 'the next turn').to.equal(first);
    const others = [
      await auth.createConnectorFactory(claimsFor('app-2')).create(SERVICE, 'https://api.botframework.com'),
      await auth.createConnectorFactory(claimsFor('app-1')).create('https://smba.trafficmanager.net/amer/'),
      await auth.createConnectorFactory(claimsFor('app-1')).create(SERVICE, 'https://api.botframework.us'),
    ];
    for (const other of others) expect(other).to.not.equal(first);
    expect((first as unknown as { baseUri: string }).baseUri).to.equal(SERVICE);
  });

  it('reuses the clients of authenticated requests too', async () => {
    const auth = new ReusedConnectorsAuthentication(new ConfigurationBotFrameworkAuthentication({}));
    const activity = { type: 'message', serviceUrl: SERVICE, channelId: 'msteams' } as Activity;
    const [one, two] = await Promise.all([
      auth.authenticateRequest(activity, ''),
      auth.authenticateRequest(activity, ''),
    ]);
    const clientOne = await one?.connectorFactory?.create(SERVICE, one.audience);
    expect(clientOne).to.not.equal(undefined);
    expect(await two?.connectorFactory?.create(SERVICE, two.audience)).to.equal(clientOne);
  });

  it('gives every turn of one bot the same user token client, which botbuilder also made per turn', async () => {
    const auth = new ReusedConnectorsAuthentication(new ConfigurationBotFrameworkAuthentication({}));
    const first = await auth.createUserTokenClient(claimsFor('app-1'));
    expect(await auth.createUserTokenClient(claimsFor('app-1'))).to.equal(first);
    expect(await auth.createUserTokenClient(claimsFor('app-2'))).to.not.equal(first);
  });

  it('keeps no client whose creation failed, and at most 200', async () => {
    let calls = 0;
    const inner = new ConfigurationBotFrameworkAuthentication({});
    const failingOnce = Object.assign(Object.create(inner), {
      createConnectorFactory: (claims: ClaimsIdentity) =>
        new (class extends ConnectorFactory {
          async create(serviceUrl: string, audience?: string): Promise<ConnectorClient> {
            calls++;
            if (calls === 1) throw new Error('the credentials could not be made');
            return inner.createConnectorFactory(claims).create(serviceUrl, audience);
          }
        })(),
    });
    const auth = new ReusedConnectorsAuthentication(failingOnce);
    const factory = () => auth.createConnectorFactory(claimsFor('app-1'));
    let failed = false;
    await factory()
      .create(SERVICE)
      .catch(() => {
        failed = true;
      });
    expect(failed).to.equal(true);
    const made2 = await factory().create(SERVICE);
    expect(calls, 'made again after the failure').to.equal(2);
    expect(await factory().create(SERVICE)).to.equal(made2);
    for (let i = 0; i < 200; i++) await factory().create(`https://service-${i}.example/`);
    await factory().create(SERVICE);
    expect(calls, 'the oldest went out after 200 others').to.equal(2 + 200 + 1);
  });
});
