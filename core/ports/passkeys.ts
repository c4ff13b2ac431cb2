/** A browser's Web Push subscription (the Push API's `PushSubscription.toJSON()`, without its expiry). */
export interface PushSubscriptionKeys {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

/**
 * A passkey a customer registered as a trusted device, as the WebAuthn ceremony left it. Nothing in it is
 * secret: the private key never leaves the customer's authenticator.
 */
export interface Passkey {
  /** The credential id, base64url. */
  id: string;
  /** The credential's COSE public key, base64url. */
  publicKey: string;
  /** The authenticator's signature counter as last seen; 0 for authenticators that keep none (most passkeys). */
  counter: number;
  /** WebAuthn's backup eligibility (`multiDevice`: a synced passkey) and backup state, as last seen. */
  deviceType: 'singleDevice' | 'multiDevice';
  backedUp: boolean;
  /** Transports the browser reported (`internal`, `hybrid`, `usb`, …), handed back as hints when asking for it. */
  transports: string[];
  /** What the customer called it ("Jan's iPhone"). */
  name: string;
  createdAt: number;
  lastUsedAt?: number;
  /** Where prompts are pushed to, when the customer allowed notifications on that device. */
  push?: PushSubscriptionKeys;
}

/** What a verified assertion saw of a passkey. */
export interface PasskeyUse {
  counter: number;
  backedUp: boolean;
  at: number;
}

/** The passkeys each account registered: kept until the customer removes them. */
export interface PasskeyRegistry {
  /** The account's passkeys, oldest first. */
  list(accountId: string): Promise<Passkey[]>;
  /** Adds one; false (nothing changed) when the account has that credential already or `max` passkeys. */
  add(accountId: string, passkey: Passkey, max: number): Promise<boolean>;
  /** False when there was none by that id. From this step on it confirms nothing. */
  remove(accountId: string, id: string): Promise<boolean>;
  /**
   * Records a verified use, in one step with the check that the passkey is still there and that a counting
   * authenticator's counter went up (a counter that did not suggests a cloned authenticator): false, and nothing
   * recorded, otherwise.
   */
  recordUse(accountId: string, id: string, use: PasskeyUse): Promise<boolean>;
  /** Sets or (with `undefined`) drops its push subscription; false when there is no such passkey. */
  setPush(accountId: string, id: string, push: PushSubscriptionKeys | undefined): Promise<boolean>;
}
