import { accountScope } from './availability.ts';
import { AccountNotFoundError, PasskeyLimitError, PasskeyNotFoundError, PasskeyRefusedError } from './errors.ts';
import { asksForSecret } from './guard/index.ts';
import { renderMessage } from './messages/catalog.ts';
import { formatDateTime } from './messages/format.ts';
import type {
  Accounts,
  AuditLog,
  CeremonyOptions,
  Clock,
  Mailer,
  Passkey,
  PasskeyRegistry,
  PushSender,
  PushSubscriptionKeys,
  SessionStore,
  WebAuthnParty,
} from './ports/index.ts';

/** What the portal shows of a trusted device: never its key. */
export interface PasskeyView {
  id: string;
  name: string;
  createdAt: number;
  lastUsedAt?: number;
  /** A synced passkey (it may be on several of the customer's devices), and whether it is backed up now. */
  synced: boolean;
  backedUp: boolean;
  /** Whether prompts are pushed to it. */
  notifications: boolean;
}

export interface PasskeyDevicesDeps {
  registry: PasskeyRegistry;
  party: WebAuthnParty;
  /** Where each ceremony's challenge is kept, single use, and where ceremonies are counted per account. */
  store: SessionStore;
  accounts: Accounts;
  mailer: Mailer;
  audit: AuditLog;
  clock: Clock;
  company: string;
  hashAccount(accountId: string): string;
  /** Absent without VAPID keys: then no device takes notifications. */
  push?: PushSender;
  onBackgroundError?(error: unknown, what: string): void;
}

/** Passkeys an account may keep: enough for a phone, a laptop and a tablet each with a spare, few to look through. */
export const MAX_PASSKEYS = 10;
/** How long a registration may take between its options and the browser's answer. */
export const REGISTRATION_MS = 5 * 60_000;
/** Registrations an account may start per hour: a customer tries a few times, a script not thousands. */
export const REGISTRATIONS_PER_HOUR = 30;
const NAME_MAX = 64;
const CHALLENGE = 'passkey-registration';

/**
 * A customer's trusted devices as passkeys: registering one (WebAuthn with user verification, the account's keyed
 * hash as the user handle), listing, naming and removing them. Every change is audited and e-mailed to the
 * account, so a device added by someone else does not go unnoticed.
 */
export class PasskeyDevices {
  private readonly background = new Set<Promise<void>>();

  constructor(private readonly deps: PasskeyDevicesDeps) {}

  /** The options for `navigator.credentials.create()`; the challenge is kept for {@link REGISTRATION_MS}, once. */
  async registrationOptions(accountId: string): Promise<CeremonyOptions> {
    const { store, party, registry } = this.deps;
    const account = await this.account(accountId);
    const scope = this.scope(accountId);
    const allowance = await store.take(scope, {
      counters: [{ name: 'passkey-registrations-1h', limit: REGISTRATIONS_PER_HOUR, windowMs: 3_600_000 }],
    });
    if (!allowance.granted) throw new PasskeyRefusedError('too many registrations started for this account; try later');
    const passkeys = await registry.list(accountId);
    if (passkeys.length >= MAX_PASSKEYS) throw new PasskeyLimitError(MAX_PASSKEYS);
    const { options, challenge } = await party.registrationOptions({
      handle: Buffer.from(this.deps.hashAccount(accountId), 'hex').toString('base64url'),
      name: account.email,
      displayName: account.displayName,
      exclude: passkeys,
    });
    // A newer start replaces an older one: only the last options shown can finish.
    await store.setFlag(scope, CHALLENGE, challenge, REGISTRATION_MS);
    return options;
  }

  /** Verifies the browser's answer to the last options and keeps the passkey under `name`. */
  async register(accountId: string, name: string, answer: unknown): Promise<PasskeyView> {
    const { store, party, registry, clock } = this.deps;
    const account = await this.account(accountId);
    const scope = this.scope(accountId);
    const label = cleanName(name);
    const challenge = await store.getFlag(scope, CHALLENGE);
    // Taken before it is checked: an answer that fails still uses the challenge up.
    if (!challenge || !(await store.clearFlag(scope, CHALLENGE, challenge)))
      return this.refuseRegistration(accountId, 'no_ceremony');
    const verified = await party.verifyRegistration(answer, challenge);
    if (!verified) return this.refuseRegistration(accountId, 'not_verified');
    const passkey: Passkey = { ...verified, name: label, createdAt: clock.now() };
    if (!(await registry.add(accountId, passkey, MAX_PASSKEYS))) {
      const known = (await registry.list(accountId)).some((p) => p.id === passkey.id);
      if (!known) throw new PasskeyLimitError(MAX_PASSKEYS);
      return this.refuseRegistration(accountId, 'registered_already');
    }
    await this.auditChange('device_registered', accountId, passkey);
    this.inBackground(this.mailChange('added', account, passkey.name), 'device added email');
    return view(passkey);
  }

  async list(accountId: string): Promise<PasskeyView[]> {
    return (await this.deps.registry.list(accountId)).map(view);
  }

  /** Removes a passkey: from this moment it confirms nothing, on every replica. */
  async remove(accountId: string, id: string): Promise<void> {
    const account = await this.account(accountId);
    const passkey = (await this.deps.registry.list(accountId)).find((p) => p.id === id);
    if (!passkey || !(await this.deps.registry.remove(accountId, id))) throw new PasskeyNotFoundError();
    await this.auditChange('device_removed', accountId, passkey);
    this.inBackground(this.mailChange('removed', account, passkey.name), 'device removed email');
  }

  /** Sends prompts to this browser's push subscription from now on (or, with `undefined`, no longer). */
  async setNotifications(accountId: string, id: string, push: PushSubscriptionKeys | undefined): Promise<void> {
    if (push && !this.deps.push) throw new PasskeyRefusedError('notifications are not set up on this server');
    if (push && !this.deps.push?.accepts(push.endpoint))
      throw new PasskeyRefusedError('that is not the address of a browser’s push service');
    if (!(await this.deps.registry.setPush(accountId, id, push))) throw new PasskeyNotFoundError();
  }

  /** Resolves when every e-mail started so far has been handed over; for shutdown and tests. */
  async settled(): Promise<void> {
    await Promise.all([...this.background]);
  }

  private async account(accountId: string) {
    const account = await this.deps.accounts.summary(accountId);
    if (!account) throw new AccountNotFoundError();
    return account;
  }

  private async refuseRegistration(accountId: string, reason: string): Promise<never> {
    await this.deps.audit.append({
      type: 'device_registration_refused',
      at: this.deps.clock.now(),
      outcome: 'failure',
      channel: 'api',
      account: this.deps.hashAccount(accountId),
      detail: { reason },
    });
    throw new PasskeyRefusedError(
      reason === 'registered_already'
        ? 'this device is registered already'
        : 'the passkey could not be verified; start the registration again',
    );
  }

  private async auditChange(type: 'device_registered' | 'device_removed', accountId: string, passkey: Passkey) {
    await this.deps.audit.append({
      type,
      at: this.deps.clock.now(),
      outcome: 'info',
      channel: 'api',
      account: this.deps.hashAccount(accountId),
      // The credential id is public; the name is the customer's words and stays out of the trail.
      detail: { credential: passkey.id.slice(0, 64), synced: passkey.deviceType === 'multiDevice' },
    });
  }

  private async mailChange(
    what: 'added' | 'removed',
    account: { email: string; displayName: string; locale: 'en' | 'nl' },
    device: string,
  ): Promise<void> {
    const { locale } = account;
    const params = {
      company: this.deps.company,
      name: account.displayName,
      device,
      when: formatDateTime(this.deps.clock.now(), locale),
    };
    await this.deps.mailer.send({
      to: account.email,
      locale,
      subject: renderMessage(
        what === 'added' ? 'mail.device_added.subject' : 'mail.device_removed.subject',
        locale,
        params,
      ),
      text: renderMessage(what === 'added' ? 'mail.device_added.body' : 'mail.device_removed.body', locale, params),
    });
  }

  private inBackground(task: Promise<void>, what: string): void {
    const tracked = task.catch((error: unknown) => this.deps.onBackgroundError?.(error, what));
    this.background.add(tracked);
    void tracked.finally(() => this.background.delete(tracked));
  }

  private scope(accountId: string): string {
    return accountScope(this.deps.hashAccount(accountId));
  }
}

function view(passkey: Passkey): PasskeyView {
  return {
    id: passkey.id,
    name: passkey.name,
    createdAt: passkey.createdAt,
    ...(passkey.lastUsedAt === undefined ? {} : { lastUsedAt: passkey.lastUsedAt }),
    synced: passkey.deviceType === 'multiDevice',
    backedUp: passkey.backedUp,
    notifications: passkey.push !== undefined,
  };
}

/** The customer's name for a device, as one short line: controls and invisible format characters dropped. */
export function cleanName(name: string): string {
  const cleaned = name
    .normalize('NFC')
    // Format characters go (bidi overrides could disguise a name in the e-mail), the joiner of emoji sequences stays.
    .replace(/(?!\u200d)[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, ' ')
    .replace(/\s+/gu, ' ')
    .trim();
  if (cleaned === '') throw new PasskeyRefusedError('give the device a name');
  const short = [...cleaned].slice(0, NAME_MAX).join('');
  // The name is repeated in e-mails to the account, which never ask for a secret.
  if (asksForSecret(short)) throw new PasskeyRefusedError('choose another name for the device');
  return short;
}
