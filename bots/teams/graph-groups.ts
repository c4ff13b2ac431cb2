import type { TokenCredential } from '@azure/identity';
import { LRUCache } from 'lru-cache';
import type { Clock } from '../../core/ports/index.ts';

export interface GraphGroupsOptions {
  /** App-only credentials for Microsoft Graph (see {@link graphCredential}); it caches its tokens per tenant. */
  credential: TokenCredential;
  /** Microsoft Graph's base; tests point it at a double. */
  graphUrl?: string;
  clock: Clock;
  timeoutMs?: number;
  /** Agents whose answer is kept (least recently asked go first). */
  cacheSize?: number;
}

const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';
// Membership changes rarely matter within minutes; a short cache keeps one Graph call per agent per window.
const MEMBERSHIP_CACHE_MS = 5 * 60_000;

/**
 * Asks Microsoft Graph whether an agent is in any of the configured Entra ID groups (`checkMemberGroups`,
 * transitive), with an app-only token for the agent's tenant. Needs the application permission
 * GroupMember.Read.All with admin consent. Any failure answers "not a member": fail closed.
 */
export class GraphGroupMembership {
  private readonly answers: LRUCache<string, { member: boolean }>;
  private readonly graphUrl: string;

  constructor(private readonly options: GraphGroupsOptions) {
    this.graphUrl = (options.graphUrl ?? 'https://graph.microsoft.com').replace(/\/$/u, '');
    this.answers = new LRUCache({
      max: options.cacheSize ?? 10_000,
      ttl: MEMBERSHIP_CACHE_MS,
      // The injected clock, read on every check (no coarser cached reading), so a test's clock governs expiry.
      perf: { now: () => options.clock.now() },
      ttlResolution: 0,
    });
  }

  async isMember(tenantId: string, aadObjectId: string, groupIds: string[]): Promise<boolean> {
    const key = `${tenantId}:${aadObjectId}`;
    const cached = this.answers.get(key);
    if (cached) return cached.member;
    const token = await this.options.credential.getToken(GRAPH_SCOPE, {
      tenantId,
      abortSignal: AbortSignal.timeout(this.options.timeoutMs ?? 5000),
    });
    if (!token) throw new Error('Entra ID gave no token for Microsoft Graph');
    const response = await fetch(`${this.graphUrl}/v1.0/users/${encodeURIComponent(aadObjectId)}/checkMemberGroups`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ groupIds }),
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 5000),
    });
    if (!response.ok) throw new Error(`Microsoft Graph answered ${response.status} to checkMemberGroups`);
    const { value } = (await response.json()) as { value?: unknown };
    const member = Array.isArray(value) && value.some((id) => groupIds.includes(String(id)));
    this.answers.set(key, { member });
    return member;
  }
}
