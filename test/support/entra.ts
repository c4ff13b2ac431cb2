import { execFileSync } from 'node:child_process';
import { constants, createVerify, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PipelinePolicy } from '@azure/core-rest-pipeline';

/** A self-signed certificate and its key, made by openssl for this test run only. */
export function selfSignedCertificate(
  commonName: string,
  altName = `DNS:${commonName}`,
): { cert: string; key: string } {
  const folder = mkdtempSync(join(tmpdir(), 'sv-cert-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '2',
        '-subj',
        `/CN=${commonName}`,
        '-addext',
        `subjectAltName=${altName}`,
        '-keyout',
        join(folder, 'key.pem'),
        '-out',
        join(folder, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    return { cert: readFileSync(join(folder, 'cert.pem'), 'utf8'), key: readFileSync(join(folder, 'key.pem'), 'utf8') };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

export interface TokenRequest {
  tenant: string;
  form: URLSearchParams;
}

/**
 * Entra ID's token service for app-only tokens, as MSAL calls it (OpenID metadata per tenant, then the v2.0
 * token endpoint), over HTTPS as MSAL insists, with a certificate only {@link EntraDouble.trust} trusts. It
 * checks a client secret, or a certificate's signed client assertion, as Entra does, and records each request.
 */
export class EntraDouble {
  readonly tokenRequests: TokenRequest[] = [];
  /** Answers the token endpoint with this status instead (an outage, a refusal). */
  failWith: number | undefined;
  private readonly tls = selfSignedCertificate('127.0.0.1', 'IP:127.0.0.1');
  private server: Server | undefined;
  private issued = 0;

  constructor(private readonly app: { appId: string; secret?: string; certificate?: string }) {}

  get url(): string {
    if (!this.server) throw new Error('the Entra ID double is not started');
    return `https://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** A pipeline policy for @azure/identity's `additionalPolicies` that trusts this double's certificate. */
  trust(): PipelinePolicy {
    const agent = new Agent({ ca: this.tls.cert });
    return {
      name: 'trust-entra-double',
      sendRequest(request, next) {
        request.agent = agent;
        return next(request);
      },
    };
  }

  async start(): Promise<string> {
    this.server = createServer({ key: this.tls.key, cert: this.tls.cert }, async (req, res) => {
      let body = '';
      for await (const chunk of req) body += chunk;
      const send = (status: number, payload: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(payload));
      };
      const path = new URL(req.url ?? '/', this.url).pathname;
      const metadata = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/u.exec(path);
      if (metadata) {
        const base = `${this.url}/${metadata[1]}`;
        return send(200, {
          token_endpoint: `${base}/oauth2/v2.0/token`,
          authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
          end_session_endpoint: `${base}/oauth2/v2.0/logout`,
          issuer: `${base}/v2.0`,
          jwks_uri: `${base}/discovery/v2.0/keys`,
        });
      }
      const token = /^\/([^/]+)\/oauth2\/v2\.0\/token$/u.exec(path);
      if (!token || req.method !== 'POST') return send(404, { error: 'not_found' });
      const form = new URLSearchParams(body);
      this.tokenRequests.push({ tenant: token[1] ?? '', form });
      if (this.failWith) return send(this.failWith, { error: 'temporarily_unavailable' });
      if (form.get('grant_type') !== 'client_credentials' || form.get('client_id') !== this.app.appId)
        return send(400, { error: 'invalid_request' });
      if (!this.authenticated(form)) return send(401, { error: 'invalid_client' });
      this.issued += 1;
      return send(200, {
        token_type: 'Bearer',
        expires_in: 3599,
        ext_expires_in: 3599,
        access_token: `graph-token-${token[1]}-${this.issued}`,
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return this.url;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private authenticated(form: URLSearchParams): boolean {
    if (this.app.secret !== undefined && form.get('client_secret') === this.app.secret) return true;
    const assertion = form.get('client_assertion');
    if (!this.app.certificate || !assertion) return false;
    if (form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer') return false;
    // RFC 7523: a JWT signed with the certificate's key, naming the certificate by its thumbprint.
    const [header = '', payload = '', signature = ''] = assertion.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { iss?: string; sub?: string };
    const head = JSON.parse(Buffer.from(header, 'base64url').toString()) as {
      alg?: string;
      x5t?: string;
      'x5t#S256'?: string;
    };
    const certificate = new X509Certificate(this.app.certificate);
    const sha1 = Buffer.from(certificate.fingerprint.replaceAll(':', ''), 'hex').toString('base64url');
    const sha256 = Buffer.from(certificate.fingerprint256.replaceAll(':', ''), 'hex').toString('base64url');
    if (head.x5t !== sha1 && head['x5t#S256'] !== sha256) return false;
    if (claims.iss !== this.app.appId || claims.sub !== this.app.appId) return false;
    if (head.alg !== 'RS256' && head.alg !== 'PS256') return false;
    const verifier = createVerify('RSA-SHA256');
    verifier.update(`${header}.${payload}`);
    return verifier.verify(
      head.alg === 'PS256'
        ? {
            key: certificate.publicKey,
            padding: constants.RSA_PKCS1_PSS_PADDING,
            saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
          }
        : certificate.publicKey,
      Buffer.from(signature, 'base64url'),
    );
  }
}
