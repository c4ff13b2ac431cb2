import type { Activity, ChannelAccount, MessageActionsPayload, TeamsChannelAccount } from 'botbuilder';
import type { CustomerRef, Identity } from '../../core/session.ts';

/**
 * The tenant an activity belongs to: the one hosting the chat or channel (`conversation.tenantId`, else
 * `channelData.tenant.id`), the same for everyone in it, a guest from another tenant included.
 */
export function tenantOf(activity: Pick<Activity, 'conversation' | 'channelData'>): string | undefined {
  return activity.conversation?.tenantId ?? (activity.channelData as { tenant?: { id?: string } })?.tenant?.id;
}

/**
 * A Teams user as core knows them: the hosting tenant and their Entra object id (`from.aadObjectId`), the id
 * a message action's `messagePayload.from.user.id` also carries; the bot-scoped `29:` id only where Teams
 * gives no object id (the Emulator, an anonymous guest).
 */
export function teamsIdentity(activity: Pick<Activity, 'conversation' | 'channelData' | 'from'>): Identity {
  return teamsMember(activity, activity.from);
}

/** As {@link teamsIdentity}, for a member of the conversation (a roster entry, an activity's `from`). */
export function teamsMember(
  activity: Pick<Activity, 'conversation' | 'channelData'>,
  member: Pick<ChannelAccount, 'id' | 'aadObjectId' | 'name'>,
): CustomerRef {
  const tenant = tenantOf(activity);
  return {
    channel: 'teams',
    ...(tenant ? { workspaceId: tenant } : {}),
    id: member.aadObjectId || member.id,
    ...(member.name ? { displayName: member.name } : {}),
  };
}

// Entra users: their `user.id` in a message payload is the object id that `from.aadObjectId` carries.
const ENTRA_USERS = new Set(['aadUser', 'onPremiseAadUser', 'federatedUser']);

/**
 * The author of the message a message action was used on, when Teams names them by Entra object id; an
 * anonymous guest or a bot (`application`) is nobody the session can be bound to.
 */
export function messageAuthor(
  activity: Pick<Activity, 'conversation' | 'channelData'>,
  payload: MessageActionsPayload | undefined,
): CustomerRef | undefined {
  const user = payload?.from?.user;
  if (!user?.id || !ENTRA_USERS.has(String(user.userIdentityType ?? ''))) return undefined;
  return teamsMember(activity, { id: user.id, aadObjectId: user.id, name: user.displayName ?? '' });
}

/** A roster entry the agent may name as the customer: a person (not a bot), and not the agent themselves. */
export function isNameable(member: TeamsChannelAccount, agent: Identity): boolean {
  const id = member.aadObjectId || member.id;
  return Boolean(id) && id !== agent.id && !member.id.startsWith('28:');
}

/** A Teams conversation as the key core holds while a verification runs in it. */
export function teamsConversation(activity: Pick<Activity, 'conversation' | 'channelData'>): string {
  return `teams:${tenantOf(activity) ?? ''}:${activity.conversation.id}`;
}
