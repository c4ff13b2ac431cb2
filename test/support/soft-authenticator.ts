import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';

/**
 * A WebAuthn authenticator in Node, built from the specification (W3C WebAuthn Level 3 §6.1 authenticator data,
 * §6.5 attestation "none", RFC 9052 COSE_Key, RFC 8949 CBOR), for tests that drive the ceremonies over HTTP
 * without a browser. The real ceremony is tested in Chromium with its CDP virtual authenticator; this one can
 * also misbehave on purpose (another origin, no user verification, a counter that goes back).
 */
export class SoftAuthenticator {
  private readonly credentials = new Map<string, { key: KeyObject; userHandle: string; counter: number }>();

  constructor(
    private readonly rp: { origin: string; rpId: string },
    private readonly behaviour: { userVerified?: boolean; counting?: boolean; synced?: boolean } = {},
  ) {}

  /** Answers `navigator.credentials.create()` options as a browser would (`RegistrationResponseJSON`). */
  register(
    options: Record<string, unknown>,
    overrides: { origin?: string; challenge?: string; type?: string; rpId?: string } = {},
  ): Record<string, unknown> {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const id = randomBytes(16).toString('base64url');
    const user = options.user as { id: string };
    this.credentials.set(id, { key: privateKey, userHandle: user.id, counter: 0 });
    const jwk = publicKey.export({ format: 'jwk' });
    const coseKey = cbor(
      new Map<number, unknown>([
        [1, 2],
        [3, -7],
        [-1, 1],
        [-2, Buffer.from(jwk.x ?? '', 'base64url')],
        [-3, Buffer.from(jwk.y ?? '', 'base64url')],
      ]),
    );
    const idBytes = Buffer.from(id, 'base64url');
    const attested = Buffer.concat([Buffer.alloc(16), u16(idBytes.length), idBytes, coseKey]);
    const authData = Buffer.concat([this.header(overrides.rpId, 0x40, 0), attested]);
    const clientData = this.clientData('webauthn.create', options, overrides);
    const attestationObject = cbor(
      new Map<string, unknown>([
        ['fmt', 'none'],
        ['attStmt', new Map()],
        ['authData', authData],
      ]),
    );
    return {
      id,
      rawId: id,
      type: 'public-key',
      response: {
        clientDataJSON: clientData.toString('base64url'),
        attestationObject: attestationObject.toString('base64url'),
        transports: ['internal'],
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }

  /** Answers `navigator.credentials.get()` options with the first allowed credential it holds. */
  authenticate(
    options: Record<string, unknown>,
    overrides: {
      origin?: string;
      challenge?: string;
      type?: string;
      rpId?: string;
      counter?: number;
      id?: string;
    } = {},
  ): Record<string, unknown> {
    const allowed = ((options.allowCredentials as Array<{ id: string }> | undefined) ?? []).map((c) => c.id);
    const id = overrides.id ?? allowed.find((candidate) => this.credentials.has(candidate));
    const credential = id ? this.credentials.get(id) : undefined;
    if (!id || !credential) throw new Error('this authenticator holds none of the allowed credentials');
    if (this.behaviour.counting) credential.counter += 1;
    const counter = overrides.counter ?? (this.behaviour.counting ? credential.counter : 0);
    const authData = this.header(overrides.rpId, 0, counter);
    const clientData = this.clientData('webauthn.get', options, overrides);
    const signature = sign(
      'sha256',
      Buffer.concat([authData, createHash('sha256').update(clientData).digest()]),
      credential.key,
    );
    return {
      id,
      rawId: id,
      type: 'public-key',
      response: {
        clientDataJSON: clientData.toString('base64url'),
        authenticatorData: authData.toString('base64url'),
        signature: signature.toString('base64url'),
        userHandle: credential.userHandle,
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }

  /** The ids of the credentials it holds. */
  ids(): string[] {
    return [...this.credentials.keys()];
  }

  // rpIdHash, flags (UP, UV, BE and BS as behaved, plus `extra`), the signature counter.
  private header(rpId: string | undefined, extra: number, counter: number): Buffer {
    const uv = this.behaviour.userVerified ?? true;
    const synced = this.behaviour.synced ?? true;
    const flags = 0x01 | (uv ? 0x04 : 0) | (synced ? 0x08 | 0x10 : 0) | extra;
    const counterBytes = Buffer.alloc(4);
    counterBytes.writeUInt32BE(counter);
    return Buffer.concat([
      createHash('sha256')
        .update(rpId ?? this.rp.rpId)
        .digest(),
      Buffer.from([flags]),
      counterBytes,
    ]);
  }

  private clientData(
    type: string,
    options: Record<string, unknown>,
    overrides: { origin?: string; challenge?: string; type?: string },
  ): Buffer {
    return Buffer.from(
      JSON.stringify({
        type: overrides.type ?? type,
        challenge: overrides.challenge ?? options.challenge,
        origin: overrides.origin ?? this.rp.origin,
        crossOrigin: false,
      }),
    );
  }
}

function u16(value: number): Buffer {
  const bytes = Buffer.alloc(2);
  bytes.writeUInt16BE(value);
  return bytes;
}

/** RFC 8949 for what WebAuthn needs: integers, byte and text strings, maps. */
function cbor(value: unknown): Buffer {
  const head = (major: number, length: number): Buffer => {
    if (length < 24) return Buffer.from([(major << 5) | length]);
    if (length < 256) return Buffer.from([(major << 5) | 24, length]);
    return Buffer.concat([Buffer.from([(major << 5) | 25]), u16(length)]);
  };
  if (typeof value === 'number') return value >= 0 ? head(0, value) : head(1, -1 - value);
  if (Buffer.isBuffer(value)) return Buffer.concat([head(2, value.length), value]);
  if (typeof value === 'string') {
    const text = Buffer.from(value, 'utf8');
    return Buffer.concat([head(3, text.length), text]);
  }
  if (value instanceof Map) {
    const parts = [...value.entries()].flatMap(([k, v]) => [cbor(k), cbor(v)]);
    return Buffer.concat([head(5, value.size), ...parts]);
  }
  throw new Error(`cannot encode ${typeof value} as CBOR`);
}
