import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { RecordingServer } from './recording-server.ts';

export const CHANNEL_ISSUER = 'https://api.botframework.com';
const KEY_ID = 'sv-test-signing-key';

/**
 * Stands where login.botframework.com does: an OpenID metadata document and a JWKS with one key (endorsed
 * for msteams), and signs tokens with that key as the Bot Framework channel does.
 */
export class BotFrameworkIssuer {
  private readonly keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  private readonly server = new RecordingServer();
  metadataUrl = '';

  async start(): Promise<string> {
    const jwk = this.keys.publicKey.export({ format: 'jwk' }) as { n: string; e: string };
    this.server.reply = (request) => {
      if (request.url === '/v1/.well-known/openidconfiguration')
        return {
          status: 200,
          body: {
            issuer: CHANNEL_ISSUER,
            authorization_endpoint: 'https://invalid.example',
            jwks_uri: `${base}/v1/.well-known/keys`,
            id_token_signing_alg_values_supported: ['RS256'],
            token_endpoint_auth_methods_supported: ['private_key_jwt'],
          },
        };
      if (request.url === '/v1/.well-known/keys')
        return {
          status: 200,
          body: { keys: [{ kty: 'RSA', use: 'sig', kid: KEY_ID, n: jwk.n, e: jwk.e, endorsements: ['msteams'] }] },
        };
      return { status: 404 };
    };
    const base = await this.server.start();
    this.metadataUrl = `${base}/v1/.well-known/openidconfiguration`;
    return this.metadataUrl;
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  /** A channel token: RS256, our key id, and the claims botbuilder checks, each overridable. */
  token(claims: Record<string, unknown>, key: KeyObject = this.keys.privateKey): string {
    const now = Math.floor(Date.now() / 1000);
    const header = { alg: 'RS256', typ: 'JWT', kid: KEY_ID, x5t: KEY_ID };
    const payload = { iss: CHANNEL_ISSUER, nbf: now - 60, iat: now - 60, exp: now + 3600, ...claims };
    const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
    const signingInput = `${encode(header)}.${encode(payload)}`;
    const signature = createSign('RSA-SHA256').update(signingInput).sign(key).toString('base64url');
    return `${signingInput}.${signature}`;
  }
}
