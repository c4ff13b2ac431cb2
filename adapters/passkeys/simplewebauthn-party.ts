import {
  type AuthenticationResponseJSON,
  type AuthenticatorTransport,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type RegistrationResponseJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import type { CeremonyOptions, Passkey, VerifiedPasskey, WebAuthnParty } from '../../core/ports/index.ts';

export interface RelyingParty {
  /** `PUBLIC_URL`: its origin is the only origin accepted, its host name the RP id. */
  publicUrl: string;
  /** Shown by the browser and the passkey manager: the company's name. */
  name: string;
  /** How long the browser's own dialog waits. */
  timeoutMs?: number;
}

// ES256 (every platform authenticator), EdDSA, RS256 (Windows Hello).
const ALGORITHMS = [-7, -8, -257];

/** {@link WebAuthnParty} by `@simplewebauthn/server`: user verification required, no attestation asked. */
export class SimpleWebAuthnParty implements WebAuthnParty {
  private readonly origin: string;
  private readonly rpId: string;

  constructor(private readonly rp: RelyingParty) {
    const url = new URL(rp.publicUrl);
    this.origin = url.origin;
    this.rpId = url.hostname;
  }

  async registrationOptions(user: {
    handle: string;
    name: string;
    displayName: string;
    exclude: readonly Pick<Passkey, 'id' | 'transports'>[];
  }): Promise<{ options: CeremonyOptions; challenge: string }> {
    const options = await generateRegistrationOptions({
      rpName: this.rp.name,
      rpID: this.rpId,
      userName: user.name,
      userID: Buffer.from(user.handle, 'base64url'),
      userDisplayName: user.displayName,
      timeout: this.rp.timeoutMs ?? 120_000,
      attestationType: 'none',
      excludeCredentials: user.exclude.map(hint),
      authenticatorSelection: { residentKey: 'preferred', userVerification: 'required' },
      supportedAlgorithmIDs: ALGORITHMS,
    });
    return { options: { ...options }, challenge: options.challenge };
  }

  async verifyRegistration(answer: unknown, expectedChallenge: string): Promise<VerifiedPasskey | undefined> {
    try {
      const result = await verifyRegistrationResponse({
        response: answer as RegistrationResponseJSON,
        expectedChallenge,
        expectedOrigin: this.origin,
        expectedRPID: this.rpId,
        requireUserVerification: true,
        supportedAlgorithmIDs: ALGORITHMS,
      });
      if (!result.verified || !result.registrationInfo.userVerified) return undefined;
      const { credential, credentialDeviceType, credentialBackedUp } = result.registrationInfo;
      return {
        id: credential.id,
        publicKey: Buffer.from(credential.publicKey).toString('base64url'),
        counter: credential.counter,
        deviceType: credentialDeviceType,
        backedUp: credentialBackedUp,
        transports: credential.transports ?? [],
      };
    } catch {
      // Malformed or tampered answers throw; to the caller they are simply not verified.
      return undefined;
    }
  }

  async authenticationOptions(
    allow: readonly Pick<Passkey, 'id' | 'transports'>[],
  ): Promise<{ options: CeremonyOptions; challenge: string }> {
    const options = await generateAuthenticationOptions({
      rpID: this.rpId,
      allowCredentials: allow.map(hint),
      userVerification: 'required',
      timeout: this.rp.timeoutMs ?? 120_000,
    });
    return { options: { ...options }, challenge: options.challenge };
  }

  credentialIdOf(answer: unknown): string | undefined {
    const id = (answer as { id?: unknown } | null)?.id;
    return typeof id === 'string' && id.length > 0 && id.length <= 1024 ? id : undefined;
  }

  async verifyAuthentication(
    answer: unknown,
    expectedChallenge: string,
    passkey: Passkey,
  ): Promise<{ counter: number; backedUp: boolean } | undefined> {
    try {
      const result = await verifyAuthenticationResponse({
        response: answer as AuthenticationResponseJSON,
        expectedChallenge,
        expectedOrigin: this.origin,
        expectedRPID: this.rpId,
        credential: {
          id: passkey.id,
          publicKey: Buffer.from(passkey.publicKey, 'base64url'),
          counter: passkey.counter,
          transports: passkey.transports as AuthenticatorTransport[],
        },
        requireUserVerification: true,
      });
      if (!result.verified || !result.authenticationInfo.userVerified) return undefined;
      return { counter: result.authenticationInfo.newCounter, backedUp: result.authenticationInfo.credentialBackedUp };
    } catch {
      return undefined;
    }
  }
}

function hint(passkey: Pick<Passkey, 'id' | 'transports'>) {
  return { id: passkey.id, transports: passkey.transports as AuthenticatorTransport[] };
}
