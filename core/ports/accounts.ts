import type { Locale } from '../messages/catalog.ts';

export interface TrustedDevice {
  id: string;
  /** What the customer calls it: "iPhone", "MacBook Air". */
  name: string;
  kind: 'phone' | 'tablet' | 'laptop' | 'desktop' | 'watch' | 'other';
  /** Whether device prompts can be sent to it. */
  trusted: boolean;
}

/** What an agent may know before verification: enough to pick a method, nothing a grant unlocks. */
export interface AccountSummary {
  id: string;
  displayName: string;
  email: string;
  locale: Locale;
  devices: TrustedDevice[];
}

/** What a grant unlocks: the limited profile with device serial numbers. Never a way to change anything. */
export interface LimitedProfile {
  id: string;
  displayName: string;
  email: string;
  locale: Locale;
  memberSince: string;
  plan: string;
  devices: Array<TrustedDevice & { model: string; serial: string }>;
}

/** The company's customer directory. */
export interface Accounts {
  /** Finds by email, phone (any spacing, with or without +) or account id. */
  find(query: string): Promise<AccountSummary | undefined>;
  summary(accountId: string): Promise<AccountSummary | undefined>;
  profile(accountId: string): Promise<LimitedProfile | undefined>;
}
