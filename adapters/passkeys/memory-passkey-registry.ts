import type { Passkey, PasskeyRegistry, PasskeyUse, PushSubscriptionKeys } from '../../core/ports/index.ts';

/** {@link PasskeyRegistry} in this process's memory: the embedded mode, one instance. */
export class MemoryPasskeyRegistry implements PasskeyRegistry {
  private readonly accounts = new Map<string, Map<string, Passkey>>();

  async list(accountId: string): Promise<Passkey[]> {
    return [...(this.accounts.get(accountId)?.values() ?? [])]
      .sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id))
      .map((p) => structuredClone(p));
  }

  async add(accountId: string, passkey: Passkey, max: number): Promise<boolean> {
    const passkeys = this.accounts.get(accountId) ?? new Map<string, Passkey>();
    if (passkeys.has(passkey.id) || passkeys.size >= max) return false;
    passkeys.set(passkey.id, structuredClone(passkey));
    this.accounts.set(accountId, passkeys);
    return true;
  }

  async remove(accountId: string, id: string): Promise<boolean> {
    const passkeys = this.accounts.get(accountId);
    const removed = passkeys?.delete(id) ?? false;
    if (passkeys?.size === 0) this.accounts.delete(accountId);
    return removed;
  }

  async recordUse(accountId: string, id: string, use: PasskeyUse): Promise<boolean> {
    const passkey = this.accounts.get(accountId)?.get(id);
    if (!passkey || !counterMovedOn(passkey.counter, use.counter)) return false;
    Object.assign(passkey, { counter: use.counter, backedUp: use.backedUp, lastUsedAt: use.at });
    return true;
  }

  async setPush(accountId: string, id: string, push: PushSubscriptionKeys | undefined): Promise<boolean> {
    const passkey = this.accounts.get(accountId)?.get(id);
    if (!passkey) return false;
    if (push) passkey.push = structuredClone(push);
    else delete passkey.push;
    return true;
  }
}

/** WebAuthn §6.1.1: where either counter is non-zero, the new one must be greater. */
export function counterMovedOn(stored: number, seen: number): boolean {
  return (stored === 0 && seen === 0) || seen > stored;
}
