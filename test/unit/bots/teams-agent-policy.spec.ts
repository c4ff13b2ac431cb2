import { ManagedIdentityCredential } from '@azure/identity';
import { expect } from 'chai';
import { createLogger } from '../../../adapters/log/logger.ts';
import { TeamsAgentPolicy } from '../../../bots/teams/agent-policy.ts';
import { type BotRegistration, graphCredential } from '../../../bots/teams/graph-credential.ts';
import { GraphGroupMembership } from '../../../bots/teams/graph-groups.ts';
import { FakeClock } from '../../support/clock.ts';
import { EntraDouble, selfSignedCertificate } from '../../support/entra.ts';
import { RecordingServer } from '../../support/recording-server.ts';

const TENANT = '72f988bf-0000-4000-8000-000000000001';
const SUPPORT_GROUP = '0a0a0a0a-0000-4000-8000-0000000group';
const MEMBER = 'a1a1a1a1-0000-4000-8000-000000member';
const OUTSIDER = 'b2b2b2b2-0000-4000-8000-00000outside';
const quiet = createLogger({ level: 'silent' });

describe('Teams agent policy', () => {
  const rules = (over: Partial<{ tenantIds: string[]; groupIds: string[]; userIds: string[] }> = {}) => ({
    tenantIds: [],
    groupIds: [],
    userIds: [],
    ...over,
  });

  it('lets everyone in development and nobody in production when nothing is configured', async () => {
    expect(await new TeamsAgentPolicy(rules(), false, undefined, quiet).allows(TENANT, MEMBER)).to.equal(true);
    expect(await new TeamsAgentPolicy(rules(), true, undefined, quiet).allows(TENANT, MEMBER)).to.equal(false);
  });

  it('requires a configured tenant, and then a configured user when users are listed', async () => {
    const tenantOnly = new TeamsAgentPolicy(rules({ tenantIds: [TENANT] }), true, undefined, quiet);
    expect(await tenantOnly.allows(TENANT, OUTSIDER)).to.equal(true);
    expect(await tenantOnly.allows('other-tenant', MEMBER)).to.equal(false);
    expect(await tenantOnly.allows(undefined, MEMBER)).to.equal(false);
    const users = new TeamsAgentPolicy(rules({ tenantIds: [TENANT], userIds: [MEMBER] }), true, undefined, quiet);
    expect(await users.allows(TENANT, MEMBER)).to.equal(true);
    expect(await users.allows(TENANT, OUTSIDER)).to.equal(false);
    expect(await users.allows(TENANT, undefined)).to.equal(false);
  });

  describe('by Entra ID group, through Microsoft Graph with @azure/identity', () => {
    const APP_ID = '5a3e9c1b-0000-4000-8000-00000000b071';
    const SECRET = 'app-secret-0123456789';
    const OTHER_TENANT = '0e0e0e0e-0000-4000-8000-00000000other';
    const appCertificate = selfSignedCertificate('support-verify-app');
    const entra = new EntraDouble({ appId: APP_ID, secret: SECRET, certificate: appCertificate.cert });
    const graphApi = new RecordingServer();
    let graphUrl = '';
    let graphUp = true;
    before(async () => {
      await entra.start();
      graphApi.reply = (request) => {
        if (!graphUp) return { status: 503, body: {} };
        const user = /^\/v1\.0\/users\/([^/]+)\/checkMemberGroups$/u.exec(request.url)?.[1];
        if (!user || !/^Bearer graph-token-/u.test(String(request.headers.authorization)))
          return { status: 401, body: {} };
        const asked = (JSON.parse(request.body) as { groupIds: string[] }).groupIds;
        return { status: 200, body: { value: user === MEMBER ? asked.filter((g) => g === SUPPORT_GROUP) : [] } };
      };
      graphUrl = await graphApi.start();
    });
    after(async () => {
      await entra.stop();
      await graphApi.stop();
    });
    beforeEach(() => {
      entra.tokenRequests.length = 0;
      entra.failWith = undefined;
      graphApi.requests.length = 0;
      graphUp = true;
    });

    const policy = (bot: Partial<BotRegistration> = {}, clock = new FakeClock()) => {
      const credential = graphCredential(
        { appId: APP_ID, appType: 'MultiTenant', appPassword: SECRET, ...bot },
        { authorityHost: entra.url, additionalPolicies: [{ policy: entra.trust(), position: 'perCall' }] },
      );
      const graph = credential && new GraphGroupMembership({ credential, graphUrl, clock });
      return new TeamsAgentPolicy(
        rules({ groupIds: [SUPPORT_GROUP] }),
        true,
        graph && ((tenant, user, groups) => graph.isMember(tenant, user, groups)),
        quiet,
      );
    };

    it('lets members of a configured group verify, and nobody else, with one token per tenant and one lookup per agent', async () => {
      const p = policy();
      expect(await p.allows(TENANT, MEMBER)).to.equal(true);
      expect(await p.allows(TENANT, MEMBER)).to.equal(true);
      expect(await p.allows(TENANT, OUTSIDER)).to.equal(false);
      expect(
        entra.tokenRequests.map((r) => r.tenant),
        "the library's token cache",
      ).to.deep.equal([TENANT]);
      expect(entra.tokenRequests[0]?.form.get('scope')).to.equal('https://graph.microsoft.com/.default');
      expect(graphApi.requests.map((r) => r.url)).to.deep.equal([
        `/v1.0/users/${MEMBER}/checkMemberGroups`,
        `/v1.0/users/${OUTSIDER}/checkMemberGroups`,
      ]);
    });

    it('asks in the agent’s own tenant when multi-tenant, and only in its own when single-tenant', async () => {
      expect(await policy().allows(OTHER_TENANT, MEMBER)).to.equal(true);
      expect(entra.tokenRequests.map((r) => r.tenant)).to.deep.equal([OTHER_TENANT]);
      entra.tokenRequests.length = 0;
      const single = policy({ appType: 'SingleTenant', tenantId: TENANT });
      expect(await single.allows(TENANT, MEMBER)).to.equal(true);
      expect(await single.allows(OTHER_TENANT, MEMBER), 'another tenant: no token is asked for').to.equal(false);
      expect(entra.tokenRequests.map((r) => r.tenant)).to.deep.equal([TENANT]);
    });

    it('authenticates with the app’s certificate (a signed client assertion) where CertificatePrivateKey is set', async () => {
      const p = policy({ appPassword: undefined, certificate: `${appCertificate.key}${appCertificate.cert}` });
      expect(await p.allows(TENANT, MEMBER)).to.equal(true);
      const form = entra.tokenRequests[0]?.form;
      expect(form?.get('client_secret')).to.equal(null);
      expect(form?.get('client_assertion')).to.match(/^[\w-]+\.[\w-]+\.[\w-]+$/u);
    });

    it('uses a managed identity for UserAssignedMSI, and no credential at all without a secret or certificate', () => {
      expect(graphCredential({ appId: APP_ID, appType: 'UserAssignedMSI' })).to.be.instanceOf(
        ManagedIdentityCredential,
      );
      expect(graphCredential({ appId: APP_ID, appType: 'MultiTenant' })).to.equal(undefined);
      expect(graphCredential({ appType: 'MultiTenant', appPassword: SECRET })).to.equal(undefined);
    });

    it('denies when Graph or Entra ID fails, when the secret is wrong, or when groups are configured without credentials', async () => {
      graphUp = false;
      expect(await policy().allows(TENANT, MEMBER)).to.equal(false);
      graphUp = true;
      entra.failWith = 500;
      expect(await policy().allows(TENANT, MEMBER)).to.equal(false);
      entra.failWith = undefined;
      expect(await policy({ appPassword: 'wrong-secret' }).allows(TENANT, MEMBER)).to.equal(false);
      expect(await policy({ appPassword: undefined }).allows(TENANT, MEMBER)).to.equal(false);
    });

    it('keeps a bounded number of answers, for five minutes', async () => {
      const clock = new FakeClock();
      const credential = graphCredential(
        { appId: APP_ID, appType: 'MultiTenant', appPassword: SECRET },
        { authorityHost: entra.url, additionalPolicies: [{ policy: entra.trust(), position: 'perCall' }] },
      );
      if (!credential) throw new Error('no credential');
      const graph = new GraphGroupMembership({ credential, graphUrl, clock, cacheSize: 2 });
      for (const user of [MEMBER, OUTSIDER, 'c3c3c3c3-0000-4000-8000-0000000third', MEMBER])
        await graph.isMember(TENANT, user, [SUPPORT_GROUP]);
      expect(graphApi.requests, 'the first answer was pushed out by two later agents').to.have.length(4);
      await graph.isMember(TENANT, MEMBER, [SUPPORT_GROUP]);
      expect(graphApi.requests).to.have.length(4);
      clock.advance(5 * 60_000 + 1);
      await graph.isMember(TENANT, MEMBER, [SUPPORT_GROUP]);
      expect(graphApi.requests).to.have.length(5);
    });
  });
});
