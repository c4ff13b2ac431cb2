import type { Clock } from '../../core/ports/index.ts';
import type { Installation } from './slack-identity.ts';

export interface SlackAgentRules {
  teamIds: string[];
  userGroupIds: string[];
  userIds: string[];
}

const GROUP_CACHE_MS = 5 * 60_000;

/**
 * Who may verify from Slack. A configured workspace list must contain the agent's workspace; configured
 * user groups or user ids must contain the agent. With nothing configured, everyone may in development and
 * nobody may in production (deny by default).
 */
export class SlackAgentPolicy {
  private readonly groups = new Map<string, { members: Set<string>; until: number }>();

  constructor(
    private readonly rules: SlackAgentRules,
    private readonly production: boolean,
    private readonly groupMembers: (groupId: string) => Promise<string[]>,
    private readonly clock: Clock,
  ) {}

  /** Whether the user counts as an agent on this installation (a listed team, or on Enterprise Grid its org). */
  async allows(installation: Installation, userId: string): Promise<boolean> {
    const { teamIds, userGroupIds, userIds } = this.rules;
    if (teamIds.length + userGroupIds.length + userIds.length === 0) return !this.production;
    const listed = (id: string | undefined) => id !== undefined && teamIds.includes(id);
    if (teamIds.length > 0 && !listed(installation.teamId) && !listed(installation.enterpriseId)) return false;
    if (userIds.length + userGroupIds.length === 0) return true;
    if (userIds.includes(userId)) return true;
    for (const group of userGroupIds) if ((await this.members(group)).has(userId)) return true;
    return false;
  }

  private async members(groupId: string): Promise<Set<string>> {
    const cached = this.groups.get(groupId);
    if (cached && cached.until > this.clock.now()) return cached.members;
    const members = new Set(await this.groupMembers(groupId));
    this.groups.set(groupId, { members, until: this.clock.now() + GROUP_CACHE_MS });
    return members;
  }
}
