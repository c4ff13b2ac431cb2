import type { Passkey } from './passkeys.ts';

/** JSON for the browser's `navigator.credentials.create()` / `.get()` (base64url where WebAuthn has bytes). */
export type CeremonyOptions = Record<string, unknown>;

/** A passkey the relying party verified at registration, before it is named and kept. */
export type VerifiedPasskey = Pick<Passkey, 'id' | 'publicKey' | 'counter' | 'deviceType' | 'backedUp' | 'transports'>;

/**
 * The WebAuthn relying party: makes the options for each ceremony and verifies what the browser answers (origin,
 * RP id, challenge, user verification, signature). Challenges are the caller's to keep single use.
 */
export interface WebAuthnParty {
  registrationOptions(user: {
    /** The WebAuthn user handle: opaque bytes, base64url (never the email). */
    handle: string;
    name: string;
    displayName: string;
    /** The account's passkeys, so an authenticator is not registered twice. */
    exclude: readonly Pick<Passkey, 'id' | 'transports'>[];
  }): Promise<{ options: CeremonyOptions; challenge: string }>;
  /** `undefined` when the answer does not verify (wrong challenge, origin or RP id, no user verification, …). */
  verifyRegistration(answer: unknown, expectedChallenge: string): Promise<VerifiedPasskey | undefined>;
  authenticationOptions(
    allow: readonly Pick<Passkey, 'id' | 'transports'>[],
  ): Promise<{ options: CeremonyOptions; challenge: string }>;
  /** The credential id the answer names, read without verifying anything (to pick the passkey to verify it with). */
  credentialIdOf(answer: unknown): string | undefined;
  verifyAuthentication(
    answer: unknown,
    expectedChallenge: string,
    passkey: Passkey,
  ): Promise<{ counter: number; backedUp: boolean } | undefined>;
}
