import { readFile } from 'node:fs/promises';
import type { AccountSummary, Accounts, LimitedProfile } from '../../core/ports/index.ts';
import { normalizeLookup } from './lookup.ts';

interface DirectoryEntry extends LimitedProfile {
  phone?: string;
}

export const DEMO_DIRECTORY = new URL('./demo-directory.json', import.meta.url);

/** {@link Accounts} from a JSON directory file: the built-in demo accounts when `ACCOUNTS_URL` is unset. */
export class DemoAccounts implements Accounts {
  private constructor(private readonly entries: readonly DirectoryEntry[]) {}

  static async load(file: URL | string = DEMO_DIRECTORY): Promise<DemoAccounts> {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as { accounts: DirectoryEntry[] };
    return new DemoAccounts(parsed.accounts);
  }

  async find(query: string): Promise<AccountSummary | undefined> {
    const { email, phone, id } = normalizeLookup(query);
    const entry = this.entries.find(
      (e) => e.id === id || (email && e.email.toLowerCase() === email) || (phone && e.phone === phone),
    );
    return entry && toSummary(entry);
  }

  async summary(accountId: string): Promise<AccountSummary | undefined> {
    const entry = this.entries.find((e) => e.id === accountId);
    return entry && toSummary(entry);
  }

  async profile(accountId: string): Promise<LimitedProfile | undefined> {
    const entry = this.entries.find((e) => e.id === accountId);
    if (!entry) return undefined;
    const { phone: _phone, ...profile } = entry;
    return structuredClone(profile);
  }
}

/** Drops everything a grant unlocks: serials and models never leave before verification. */
export function toSummary(profile: LimitedProfile): AccountSummary {
  return {
    id: profile.id,
    displayName: profile.displayName,
    email: profile.email,
    locale: profile.locale,
    devices: profile.devices.map(({ id, name, kind, trusted }) => ({ id, name, kind, trusted })),
  };
}
