import { expect } from 'chai';
import { createLogger } from '../../../adapters/log/logger.ts';
import { TeamsAgentPolicy } from '../../../bots/teams/agent-policy.ts';
import { GraphGroupMembership } from '../../../bots/teams/graph-groups.ts';
import { FakeClock } from '../../support/clock.ts';
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

  describe('by Azure AD group, through Microsoft Graph', () => {
    const azure = new RecordingServer();
    let url = '';
    let graphUp = true;
    before(async () => {
      azure.reply = (request) => {
        if (request.url === `/${TENANT}/oauth2/v2.0/token`) {
          const form = new URLSearchParams(request.body);
          if (form.get('client_secret') !== 'app-secret-0123456789')
            return { status: 401, body: { error: 'invalid_client' } };
          return { status: 200, body: { token_type: 'Bearer', expires_in: 3599, access_token: 'graph-token-1' } };
        }
        if (!graphUp) return { status: 503, body: {} };
        const user = /^\/v1\.0\/users\/([^/]+)\/checkMemberGroups$/u.exec(request.url)?.[1];
        if (!user || request.headers.authorization !== 'Bearer graph-token-1') return { status: 401, body: {} };
        const asked = (JSON.parse(request.body) as { groupIds: string[] }).groupIds;
        return { status: 200, body: { value: user === MEMBER ? asked.filter((g) => g === SUPPORT_GROUP) : [] } };
      };
      url = await azure.start();
    });
    after(() => azure.stop());
    beforeEach(() => {
      azure.requests.length = 0;
      graphUp = true;
    });

    const policy = (secret = 'app-secret-0123456789') => {
      const graph = new GraphGroupMembership({
        appId: '5a3e9c1b-0000-4000-8000-00000000b071',
        appPassword: secret,
        loginUrl: url,
        graphUrl: url,
        clock: new FakeClock(),
      });
      return new TeamsAgentPolicy(
        rules({ tenantIds: [TENANT], groupIds: [SUPPORT_GROUP] }),
        true,
        (tenant, user, groups) => graph.isMember(tenant, user, groups),
        quiet,
      );
    };

    it('lets members of a configured group verify, and nobody else, with one token and one lookup per agent', async () => {
      const p = policy();
      expect(await p.allows(TENANT, MEMBER)).to.equal(true);
      expect(await p.allows(TENANT, MEMBER)).to.equal(true);
      expect(await p.allows(TENANT, OUTSIDER)).to.equal(false);
      expect(azure.requests.map((r) => r.url)).to.deep.equal([
        `/${TENANT}/oauth2/v2.0/token`,
        `/v1.0/users/${MEMBER}/checkMemberGroups`,
        `/v1.0/users/${OUTSIDER}/checkMemberGroups`,
      ]);
    });

    it('denies when Graph or Azure AD fails, or when groups are configured without app credentials', async () => {
      graphUp = false;
      expect(await policy().allows(TENANT, MEMBER)).to.equal(false);
      graphUp = true;
      expect(await policy('wrong-secret').allows(TENANT, MEMBER)).to.equal(false);
      const noCredentials = new TeamsAgentPolicy(rules({ groupIds: [SUPPORT_GROUP] }), true, undefined, quiet);
      expect(await noCredentials.allows(TENANT, MEMBER)).to.equal(false);
    });
  });
});
