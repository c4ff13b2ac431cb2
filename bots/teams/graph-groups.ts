import type { Clock } from '../../core/ports/index.ts';

export interface GraphGroupsOptions {
  appId: string;
  appPassword: string;
  /** Azure AD's token endpoint base; tests point it at a double. */
  loginUrl?: string;
  /** Microsoft Graph's base; tests point it at a double. */
  graphUrl?: string;
  clock: Clock;
  timeoutMs?: number;
}

// Membership changes rarely matter within minutes; a short cache keeps one Graph call per agent per window.
const MEMBERSHIP_CACHE_MS = 5 * 60_000;

/**
 * Asks Microsoft Graph whether an agent is in any of the configured Azure AD groups (`checkMemberGroups`,
 * transitive), with an app-only token for the agent's tenant. Needs the application permission
 * GroupMember.Read.All with admin consent. Any failure answers "not a member": fail closed.
 */
export class GraphGroupMembership {
  private readonly tokens = new Map<string, { token: string; until: number }>();
  private readonly answers = new Map<string, { member: boolean; until: number }>();
  private readonly loginUrl: string;
  private readonly graphUrl: string;

  constructor(private readonly options: GraphGroupsOptions) {
    this.loginUrl = (options.loginUrl ?? 'https://login.microsoftonline.com').replace(/\/$/u, '');
    this.graphUrl = (options.graphUrl ?? 'https://graph.microsoft.com').replace(/\/$/u, '');
  }

  async isMember(tenantId: string, aadObjectId: string, groupIds: string[]): Promise<boolean> {
    const key = `${tenantId}:${aadObjectId}`;
    const now = this.options.clock.now();
    const cached = this.answers.get(key);
    if (cached && cached.until > now) return cached.member;
    const token = await this.token(tenantId);
    const response = await fetch(`${this.graphUrl}/v1.0/users/${encodeURIComponent(aadObjectId)}/checkMemberGroups`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ groupIds }),
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 5000),
    });
    if (!response.ok) throw new Error(`Microsoft Graph answered ${response.status} to checkMemberGroups`);
    const { value } = (await response.json()) as { value?: unknown };
    const member = Array.isArray(value) && value.some((id) => groupIds.includes(String(id)));
    this.answers.set(key, { member, until: now + MEMBERSHIP_CACHE_MS });
    return member;
  }

  private async token(tenantId: string): Promise<string> {
    const now = this.options.clock.now();
    const cached = this.tokens.get(tenantId);
    if (cached && cached.until > now) return cached.token;
    const response = await fetch(`${this.loginUrl}/${encodeURIComponent(tenantId)}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: this.options.appId,
        client_secret: this.options.appPassword,
        scope: 'https://graph.microsoft.com/.default',
      }),
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 5000),
    });
    if (!response.ok) throw new Error(`Azure AD answered ${response.status} to the token request`);
    const body = (await response.json()) as { access_token?: string; expires_in?: number };
    if (!body.access_token) throw new Error('Azure AD sent no access token');
    // Renew a minute early so a token never expires mid-request.
    this.tokens.set(tenantId, { token: body.access_token, until: now + ((body.expires_in ?? 3600) - 60) * 1000 });
    return body.access_token;
  }
}
