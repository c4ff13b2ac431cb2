import type { Logger } from 'pino';

export interface TeamsAgentRules {
  tenantIds: string[];
  /** Azure AD group ids; membership is read from Microsoft Graph. */
  groupIds: string[];
  /** Azure AD object ids of individual agents. */
  userIds: string[];
}

/** Whether a user is in any of the groups (transitively); see GraphGroupMembership. */
export type GroupMembership = (tenantId: string, aadObjectId: string, groupIds: string[]) => Promise<boolean>;

/**
 * Who may verify from Teams. A configured tenant list must contain the agent's tenant; configured groups or
 * user ids must contain the agent. With nothing configured, everyone may in development and nobody may in
 * production (deny by default). A group lookup that fails, or groups with no way to look them up, deny.
 */
export class TeamsAgentPolicy {
  constructor(
    private readonly rules: TeamsAgentRules,
    private readonly production: boolean,
    private readonly membership: GroupMembership | undefined,
    private readonly logger: Logger,
  ) {}

  async allows(tenantId: string | undefined, aadObjectId: string | undefined): Promise<boolean> {
    const { tenantIds, groupIds, userIds } = this.rules;
    if (tenantIds.length + groupIds.length + userIds.length === 0) return !this.production;
    if (tenantIds.length > 0 && (!tenantId || !tenantIds.includes(tenantId))) return false;
    if (userIds.length + groupIds.length === 0) return true;
    if (!aadObjectId) return false;
    if (userIds.includes(aadObjectId)) return true;
    if (groupIds.length === 0 || !tenantId) return false;
    if (!this.membership) {
      this.logger.warn('teams: agent groups are configured but MicrosoftAppId/MicrosoftAppPassword are not; denying');
      return false;
    }
    return this.membership(tenantId, aadObjectId, groupIds).catch((error: unknown) => {
      this.logger.warn(
        { err: { name: (error as Error).name, message: (error as Error).message } },
        'teams: group lookup failed; denying',
      );
      return false;
    });
  }
}
