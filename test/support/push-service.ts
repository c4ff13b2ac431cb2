import { execFileSync } from 'node:child_process';
import {
  createDecipheriv,
  createECDH,
  createPublicKey,
  type ECDH,
  hkdfSync,
  randomBytes,
  randomUUID,
  verify,
} from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PushSubscriptionKeys } from '../../core/ports/index.ts';

/** One push as the push service received it, decrypted with the subscription's own keys and its VAPID checked. */
export interface ReceivedPush {
  path: string;
  ttl: number;
  urgency: string | undefined;
  /** The JWT's claims, once its ES256 signature verified with the `k` it came with. */
  vapid: { aud: string; sub: string; exp: number; publicKey: string };
  payload: string;
}

/**
 * A Web Push service on https://localhost, as a browser's push service acts for its subscriptions: it takes
 * `aes128gcm` pushes (RFC 8291) and opens them with the user agent's private key and auth secret, checks the VAPID
 * authorization (RFC 8292), and answers 201, or 404 / 410 for a subscription told to be gone.
 */
export class PushServiceDouble {
  readonly received: ReceivedPush[] = [];
  readonly refused: string[] = [];
  private readonly subscribers = new Map<string, { ecdh: ECDH; auth: Buffer; status: number }>();
  private server: Server | undefined;
  private folder = '';
  private base = '';
  /** For the sender: trusts this service's self-signed certificate. */
  agent: Agent | undefined;

  async start(): Promise<string> {
    this.folder = mkdtempSync(join(tmpdir(), 'sv-push-'));
    const key = join(this.folder, 'key.pem');
    const cert = join(this.folder, 'cert.pem');
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
      '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost', '-keyout', key, '-out', cert,
    ], { stdio: 'ignore' }); // biome-ignore format: one command line
    const tls = { key: readFileSync(key), cert: readFileSync(cert) };
    this.agent = new Agent({ ca: tls.cert, keepAlive: false });
    this.server = createServer(tls, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const path = req.url ?? '';
        const subscriber = this.subscribers.get(path);
        try {
          if (!subscriber) throw new Error('no such subscription');
          const vapid = checkVapid(String(req.headers.authorization ?? ''), this.base);
          if (req.headers['content-encoding'] !== 'aes128gcm') throw new Error('not aes128gcm');
          const payload = decrypt(Buffer.concat(chunks), subscriber.ecdh, subscriber.auth);
          if (subscriber.status === 201)
            this.received.push({
              path,
              ttl: Number(req.headers.ttl),
              urgency: req.headers.urgency as string | undefined,
              vapid,
              payload,
            });
          res.writeHead(subscriber.status);
          res.end();
        } catch (error) {
          this.refused.push(`${path}: ${(error as Error).message}`);
          res.writeHead(400);
          res.end();
        }
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.base = `https://localhost:${(this.server.address() as AddressInfo).port}`;
    return this.base;
  }

  /** A new browser subscription (its own P-256 key pair and auth secret), as `PushSubscription.toJSON()` gives. */
  subscribe(): PushSubscriptionKeys {
    const ecdh = createECDH('prime256v1');
    ecdh.generateKeys();
    const auth = randomBytes(16);
    const path = `/push/${randomUUID()}`;
    this.subscribers.set(path, { ecdh, auth, status: 201 });
    return {
      endpoint: `${this.base}${path}`,
      keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: auth.toString('base64url') },
    };
  }

  /** From now on, the push service answers pushes to this subscription with `status` (404 or 410: gone). */
  answer(subscription: PushSubscriptionKeys, status: number): void {
    const entry = this.subscribers.get(new URL(subscription.endpoint).pathname);
    if (entry) entry.status = status;
  }

  async stop(): Promise<void> {
    this.agent?.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    rmSync(this.folder, { recursive: true, force: true });
  }
}

/** RFC 8292: `vapid t=<JWT>, k=<public key>`; an ES256 JWT for this push service's origin, valid ≤ 24 h. */
function checkVapid(header: string, audience: string): ReceivedPush['vapid'] {
  const match = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/u.exec(header);
  if (!match) throw new Error('no VAPID authorization');
  const [, jwt = '', k = ''] = match;
  const [head = '', body = '', signature = ''] = jwt.split('.');
  const point = Buffer.from(k, 'base64url');
  const publicKey = createPublicKey({
    key: {
      kty: 'EC',
      crv: 'P-256',
      x: point.subarray(1, 33).toString('base64url'),
      y: point.subarray(33, 65).toString('base64url'),
    },
    format: 'jwk',
  });
  const signed = verify(
    'sha256',
    Buffer.from(`${head}.${body}`),
    { key: publicKey, dsaEncoding: 'ieee-p1363' },
    Buffer.from(signature, 'base64url'),
  );
  if (!signed) throw new Error('the VAPID signature does not verify');
  if (JSON.parse(Buffer.from(head, 'base64url').toString()).alg !== 'ES256') throw new Error('not ES256');
  const claims = JSON.parse(Buffer.from(body, 'base64url').toString()) as { aud: string; sub: string; exp: number };
  if (claims.aud !== audience) throw new Error(`the VAPID audience is ${claims.aud}`);
  const now = Date.now() / 1000;
  if (!(claims.exp > now && claims.exp <= now + 24 * 3600)) throw new Error('the VAPID expiry is out of range');
  return { ...claims, publicKey: k };
}

/** RFC 8291 §3.4 and RFC 8188: the aes128gcm header, the keys derived from the ECDH secret and auth, one record. */
function decrypt(body: Buffer, ecdh: ECDH, auth: Buffer): string {
  const salt = body.subarray(0, 16);
  const idLength = body[20] ?? 0;
  const senderPublic = body.subarray(21, 21 + idLength);
  const record = body.subarray(21 + idLength);
  const secret = ecdh.computeSecret(senderPublic);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), ecdh.getPublicKey(), senderPublic]);
  const ikm = Buffer.from(hkdfSync('sha256', secret, auth, keyInfo, 32));
  const cek = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
  const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(record.subarray(record.length - 16));
  const padded = Buffer.concat([decipher.update(record.subarray(0, record.length - 16)), decipher.final()]);
  // The last record ends in 0x02 and then zero padding.
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  if (padded[end] !== 2) throw new Error('not the last record');
  return padded.subarray(0, end).toString('utf8');
}
