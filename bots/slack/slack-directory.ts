import type { webApi } from '@slack/bolt';
import { LRUCache } from 'lru-cache';
import { type Locale, resolveLocale } from '../../core/messages/catalog.ts';
import type { Clock } from '../../core/ports/index.ts';

export interface SlackUser {
  id: string;
  name: string;
  locale: Locale;
  email?: string;
  /** The user's home team (`team_id`), and their Enterprise Grid org when they are in one. */
  teamId?: string;
  enterpriseId?: string;
  /** A bot or a deactivated account: never a customer. */
  inactive?: boolean;
}

const CACHE_MS = 5 * 60_000;
// A static select holds at most 100 options; a support channel with more members than this is not a 1:1 one.
const MEMBERS_READ = 200;
const MEMBERS_SHOWN = 100;
const LOOKUPS_AT_ONCE = 8;
// Leaves the rest of Slack's 3 s trigger window for the conversation lookups before and views.open after.
const MEMBERS_BUDGET_MS = 1500;

// Any user or channel id can arrive in a request, so the caches are bounded; these hold every agent of a big org.
const USERS_KEPT = 20_000;
const CHANNELS_KEPT = 5_000;

/** What support-verify asks Slack about people and channels, cached for five minutes (least recent go first). */
export class SlackDirectory {
  private readonly users: LRUCache<string, SlackUser>;
  private readonly shared: LRUCache<string, { shared: boolean }>;

  constructor(
    private readonly client: webApi.WebClient,
    private readonly clock: Clock,
    limits: { users?: number; channels?: number } = {},
  ) {
    // Expiry follows the injected clock, read on every check.
    const time = { ttl: CACHE_MS, perf: { now: () => this.clock.now() }, ttlResolution: 0 };
    this.users = new LRUCache({ max: limits.users ?? USERS_KEPT, ...time });
    this.shared = new LRUCache({ max: limits.channels ?? CHANNELS_KEPT, ...time });
  }

  async user(userId: string, fallbackName = 'Support'): Promise<SlackUser> {
    const cached = this.users.get(userId);
    if (cached) return cached;
    let value: SlackUser = { id: userId, name: fallbackName, locale: 'en' };
    try {
      const { user } = await this.client.users.info({ user: userId, include_locale: true });
      const profile = user?.profile;
      const enterpriseId = user?.enterprise_user?.enterprise_id;
      value = {
        id: userId,
        name: profile?.display_name || profile?.real_name || user?.real_name || user?.name || fallbackName,
        locale: resolveLocale(user?.locale),
        ...(profile?.email ? { email: profile.email } : {}),
        ...(user?.team_id ? { teamId: user.team_id } : {}),
        ...(enterpriseId ? { enterpriseId } : {}),
        ...(user?.is_bot || user?.deleted ? { inactive: true } : {}),
      };
    } catch {
      // A name is a courtesy; without it the verification still works, under the fallback name.
    }
    this.users.set(userId, value);
    return value;
  }

  /** The user's language if already known, without asking Slack: for answers that must go out at once. */
  cachedLocale(userId: string): Locale {
    return this.users.peek(userId)?.locale ?? 'en';
  }

  /** Whether the channel is shared with another organisation (Slack Connect), i.e. the customer may be in it. */
  async isSharedChannel(channelId: string): Promise<boolean> {
    if (!/^[CG]/u.test(channelId)) return false;
    const cached = this.shared.get(channelId);
    if (cached) return cached.shared;
    let value = false;
    try {
      const { channel } = await this.client.conversations.info({ channel: channelId });
      value = Boolean(channel?.is_ext_shared || channel?.is_shared);
    } catch {
      // Not visible to the app: nothing is posted there.
    }
    this.shared.set(channelId, { shared: value });
    return value;
  }

  /**
   * The channel's members from outside the installing organisation (Slack Connect guests of another org),
   * for the agent to name the customer: the first {@link MEMBERS_READ} members, looked up a few at a time,
   * for at most `budgetMs`: the modal they go in must open within Slack's 3 s trigger window, so a slow Web
   * API or a big channel gives the members found by then. Empty when the app cannot list them; the customer
   * then identifies themselves.
   */
  async externalMembers(
    channelId: string,
    isExternal: (user: SlackUser) => boolean,
    budgetMs = MEMBERS_BUDGET_MS,
  ): Promise<SlackUser[]> {
    const deadline = this.clock.now() + budgetMs;
    const inTime = <T>(work: Promise<T>): Promise<T | undefined> => {
      const left = deadline - this.clock.now();
      if (left <= 0) return Promise.resolve(undefined);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const late = new Promise<undefined>((resolve) => {
        timer = setTimeout(() => resolve(undefined), left);
      });
      return Promise.race([work, late]).finally(() => clearTimeout(timer));
    };
    const listed = await inTime(
      this.client.conversations.members({ channel: channelId, limit: MEMBERS_READ }).catch(() => undefined),
    );
    const ids = (listed?.members ?? []).slice(0, MEMBERS_READ);
    const found: SlackUser[] = [];
    for (let i = 0; i < ids.length && found.length < MEMBERS_SHOWN; i += LOOKUPS_AT_ONCE) {
      const batch = await inTime(Promise.all(ids.slice(i, i + LOOKUPS_AT_ONCE).map((id) => this.user(id))));
      if (!batch) break;
      found.push(...batch.filter((u) => !u.inactive && isExternal(u)));
    }
    return found.slice(0, MEMBERS_SHOWN);
  }

  async groupMembers(groupId: string): Promise<string[]> {
    const { users } = await this.client.usergroups.users.list({ usergroup: groupId });
    return users ?? [];
  }
}
