import type { webApi } from '@slack/bolt';
import { type Locale, resolveLocale } from '../../core/messages/catalog.ts';
import type { Clock } from '../../core/ports/index.ts';

export interface SlackUser {
  id: string;
  name: string;
  locale: Locale;
  email?: string;
}

const CACHE_MS = 5 * 60_000;

/** What support-verify asks Slack about people and channels, cached for five minutes. */
export class SlackDirectory {
  private readonly users = new Map<string, { value: SlackUser; until: number }>();
  private readonly shared = new Map<string, { value: boolean; until: number }>();

  constructor(
    private readonly client: webApi.WebClient,
    private readonly clock: Clock,
  ) {}

  async user(userId: string, fallbackName = 'Support'): Promise<SlackUser> {
    const cached = this.users.get(userId);
    if (cached && cached.until > this.clock.now()) return cached.value;
    let value: SlackUser = { id: userId, name: fallbackName, locale: 'en' };
    try {
      const { user } = await this.client.users.info({ user: userId, include_locale: true });
      const profile = user?.profile;
      value = {
        id: userId,
        name: profile?.display_name || profile?.real_name || user?.real_name || user?.name || fallbackName,
        locale: resolveLocale(user?.locale),
        ...(profile?.email ? { email: profile.email } : {}),
      };
    } catch {
      // A name is a courtesy; without it the verification still works, under the fallback name.
    }
    this.users.set(userId, { value, until: this.clock.now() + CACHE_MS });
    return value;
  }

  /** The user's language if already known, without asking Slack: for answers that must go out at once. */
  cachedLocale(userId: string): Locale {
    return this.users.get(userId)?.value.locale ?? 'en';
  }

  /** Whether the channel is shared with another organisation (Slack Connect), i.e. the customer may be in it. */
  async isSharedChannel(channelId: string): Promise<boolean> {
    if (!/^[CG]/u.test(channelId)) return false;
    const cached = this.shared.get(channelId);
    if (cached && cached.until > this.clock.now()) return cached.value;
    let value = false;
    try {
      const { channel } = await this.client.conversations.info({ channel: channelId });
      value = Boolean(channel?.is_ext_shared || channel?.is_shared);
    } catch {
      // Not visible to the app: nothing is posted there.
    }
    this.shared.set(channelId, { value, until: this.clock.now() + CACHE_MS });
    return value;
  }

  async groupMembers(groupId: string): Promise<string[]> {
    const { users } = await this.client.usergroups.users.list({ usergroup: groupId });
    return users ?? [];
  }
}
