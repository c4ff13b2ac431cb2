import type { Context } from '@slack/bolt';
import type { CustomerRef, Identity } from '../../core/session.ts';

/** What of Bolt's context says which installation a request came through. */
export type Installation = Pick<Context, 'teamId' | 'enterpriseId' | 'isEnterpriseInstall'>;

/**
 * The installation a request came through, as Bolt's `context` has it: the installing team (for events,
 * `authorizations[0].team_id` first; in a Slack Connect channel the top-level `team_id` is the sender's
 * organisation), or the Enterprise Grid org on an org-wide install, whose events may carry no team at all.
 * Every store key, session and comparison on the Slack side is scoped by it.
 */
export function installationOf(context: Installation): string {
  if (context.isEnterpriseInstall && context.enterpriseId) return context.enterpriseId;
  return context.teamId ?? context.enterpriseId ?? '';
}

/** A Slack user as core knows them: the installation they were seen through, and their id. */
export function slackIdentity(context: Installation, userId: string): Identity {
  const workspaceId = installationOf(context);
  return { channel: 'slack', ...(workspaceId ? { workspaceId } : {}), id: userId };
}

export function slackCustomer(context: Installation, userId: string, displayName?: string): CustomerRef {
  return { ...slackIdentity(context, userId), ...(displayName ? { displayName } : {}) };
}

/**
 * Whether someone is from outside the installing organisation: their home team (an interaction's
 * `user.team_id`, an event's `user_team`; an org id on Enterprise Grid) is neither the installing team nor
 * its org. Unknown counts as inside: nobody is bound as a customer on a guess.
 */
export function isExternal(homeTeam: string | undefined, context: Installation): boolean {
  if (!homeTeam) return false;
  return homeTeam !== context.teamId && homeTeam !== context.enterpriseId;
}

/** A Slack conversation as the key core holds while a verification runs in it. */
export function slackConversation(context: Installation, channel: string): string {
  return `slack:${installationOf(context)}:${channel}`;
}

/** As {@link isExternal}, for a user the directory looked up (their home team, and their Grid org if any). */
export function isExternalUser(user: { teamId?: string; enterpriseId?: string }, context: Installation): boolean {
  if (user.enterpriseId && user.enterpriseId === context.enterpriseId) return false;
  return isExternal(user.teamId, context);
}
