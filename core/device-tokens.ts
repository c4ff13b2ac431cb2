import { createHmac, timingSafeEqual } from 'node:crypto';
import { NotAuthorizedError } from './errors.ts';

/** What a device token lets its holder do: manage the account's trusted devices, or answer one prompt. */
export type DeviceTokenUse = 'portal' | 'prompt';

/**
 * Short-lived tokens for the customer's side of the trusted devices: the company's portal backend mints a
 * `portal` token for a customer it has signed in (through the portal API, with its portal key), and each prompt's
 * confirmation link carries a `prompt` token. `v1.<use>.<subject>.<expiry>.<HMAC-SHA256>`, all base64url: nothing in it
 * is secret but the MAC, and a token names its use, so one for a prompt never opens the portal.
 */
export class DeviceTokens {
  constructor(private readonly key: string) {}

  mint(use: DeviceTokenUse, subject: string, expiresAt: number): string {
    const body = `v1.${use}.${Buffer.from(subject, 'utf8').toString('base64url')}.${Math.floor(expiresAt).toString(36)}`;
    return `${body}.${this.mac(body)}`;
  }

  /** The subject (an account id, a prompt id) of a valid, unexpired token for `use`; otherwise NotAuthorizedError. */
  subjectOf(token: string, use: DeviceTokenUse, now: number): string {
    const parts = token.length <= 1024 ? token.split('.') : [];
    const [version, used, subject, expiry, mac] = parts;
    if (parts.length !== 5 || version !== 'v1' || used !== use || !subject || !expiry || !mac)
      throw new NotAuthorizedError('not a valid device token');
    const expected = Buffer.from(this.mac(`v1.${used}.${subject}.${expiry}`));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given))
      throw new NotAuthorizedError('not a valid device token');
    if (!/^[0-9a-z]{1,12}$/u.test(expiry) || Number.parseInt(expiry, 36) <= now)
      throw new NotAuthorizedError('this device token has expired');
    return Buffer.from(subject, 'base64url').toString('utf8');
  }

  private mac(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }
}
