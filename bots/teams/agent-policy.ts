export interface TeamsAgentRules {
  tenantIds: string[];
  /** Azure AD group ids; membership needs a directory lookup (see `groupMembers`). */
  groupIds: string[];
  /** Azure AD object ids of individual agents. */
  userIds: string[];
}

/**
 * Who may verify from Teams. A configured tenant list must contain the agent's tenant; configured groups or
 * user ids must contain the agent. With nothing configured, everyone may in development and nobody may in
 * production (deny by default). Groups configured without a way to read their members deny: fail closed.
 */
export class TeamsAgentPolicy {
  constructor(
    private readonly rules: TeamsAgentRules,
    private readonly production: boolean,
    private readonly groupMembers?: (groupId: string) => Promise<string[]>,
  ) {}

  async allows(tenantId: string | undefined, aadObjectId: string | undefined): Promise<boolean> {
    const { tenantIds, groupIds, userIds } = this.rules;
    if (tenantIds.length + groupIds.length + userIds.length === 0) return !this.production;
    if (tenantIds.length > 0 && (!tenantId || !tenantIds.includes(tenantId))) return false;
    if (userIds.length + groupIds.length === 0) return true;
    if (!aadObjectId) return false;
    if (userIds.includes(aadObjectId)) return true;
    if (!this.groupMembers) return false;
    for (const group of groupIds) if ((await this.groupMembers(group)).includes(aadObjectId)) return true;
    return false;
  }
}
