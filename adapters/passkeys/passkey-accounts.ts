import type { AccountSummary, Accounts, LimitedProfile, PasskeyRegistry } from '../../core/ports/index.ts';

/**
 * The directory's accounts with the built-in passkeys as their trusted devices (`DEVICE_PROMPTS=passkey`): a
 * device prompt can reach only what the customer registered, and the agent's card names those. The directory's
 * own devices stay listed, untrusted, and a grant still shows their serials from the directory's profile.
 */
export class PasskeyAccounts implements Accounts {
  constructor(
    private readonly directory: Accounts,
    private readonly registry: PasskeyRegistry,
  ) {}

  async find(query: string): Promise<AccountSummary | undefined> {
    return this.withPasskeys(await this.directory.find(query));
  }

  async summary(accountId: string): Promise<AccountSummary | undefined> {
    return this.withPasskeys(await this.directory.summary(accountId));
  }

  profile(accountId: string): Promise<LimitedProfile | undefined> {
    return this.directory.profile(accountId);
  }

  private async withPasskeys(account: AccountSummary | undefined): Promise<AccountSummary | undefined> {
    if (!account) return undefined;
    const passkeys = await this.registry.list(account.id);
    return {
      ...account,
      devices: [
        ...passkeys.map((p) => ({ id: p.id, name: p.name, kind: 'other' as const, trusted: true })),
        ...account.devices.map((d) => ({ ...d, trusted: false })),
      ],
    };
  }
}
