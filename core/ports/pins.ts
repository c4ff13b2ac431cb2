/** Issues and checks one-time support PINs. Wrong, expired, used and unknown PINs all answer `false` alike. */
export interface Pins {
  issue(accountId: string): Promise<{ pin: string; expiresAt: number }>;
  /** True exactly once per issued PIN, even under concurrent checks on several replicas. */
  check(accountId: string, pin: string): Promise<boolean>;
  /** Voids the account's current PIN, if any. */
  revoke(accountId: string): Promise<void>;
}
