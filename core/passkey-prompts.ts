import type { AuditEvent } from './audit.ts';
import type { DeviceTokens } from './device-tokens.ts';
import { DeliveryFailedError, NoTrustedDeviceError, PasskeyRefusedError, SessionNotFoundError } from './errors.ts';
import { type Locale, renderMessage } from './messages/catalog.ts';
import { formatDateTime } from './messages/format.ts';
import type {
  Accounts,
  AuditLog,
  CeremonyOptions,
  Clock,
  DevicePromptRequest,
  DevicePrompts,
  Mailer,
  PasskeyRegistry,
  PushSender,
  PushSubscriptionKeys,
  SessionStore,
  WebAuthnParty,
} from './ports/index.ts';
import type { Session } from './session.ts';

// A prompt and its assertion challenge are kept under the prompt's own scope, as long as the prompt lasts.
const scopeOf = (promptId: string) => `q:${promptId}`;
const REQUEST = 'request';
const CHALLENGE = 'challenge';

/**
 * Where a prompt's confirmation page is: its link carries the prompt and a token for it alone, in the fragment
 * (never sent to a server, so in no access log). Short names: a mail that says "token" reads as asking for one.
 */
export function confirmationUrl(publicUrl: string, promptId: string, token: string): string {
  return `${publicUrl}/confirm#p=${encodeURIComponent(promptId)}&t=${encodeURIComponent(token)}`;
}

/**
 * The confirmation link of a session's pending prompt, for the customer's support chat: the same link the mail
 * carries (its token is a MAC of the prompt and its expiry, so every replica makes the same one).
 */
export class PromptLinks {
  constructor(
    private readonly tokens: DeviceTokens,
    private readonly publicUrl: string,
  ) {}

  /** The link of a prompt: the one every route (mail, push, chat) carries. */
  url(promptId: string, expiresAt: number): string {
    return confirmationUrl(this.publicUrl, promptId, this.tokens.mint('prompt', promptId, expiresAt));
  }

  urlFor(session: Session): string | undefined {
    const prompt = session.prompt;
    if (session.state !== 'awaiting_device' || !prompt) return undefined;
    return this.url(prompt.id, prompt.expiresAt);
  }
}

export interface PasskeyPromptsDeps {
  store: SessionStore;
  registry: PasskeyRegistry;
  accounts: Accounts;
  mailer: Mailer;
  links: Pick<PromptLinks, 'url'>;
  /** Absent without VAPID keys: prompts then go by e-mail (and chat) only. */
  push?: PushSender;
  clock: Clock;
  /** A prompt's link also goes to the customer's support chat, where they are in one. */
  onLink?(request: DevicePromptRequest, url: string): Promise<void>;
  onBackgroundError?(error: unknown, what: string): void;
}

/**
 * {@link DevicePrompts} by the built-in passkeys: the prompt is kept for its confirmation page, pushed to each
 * registered device that allowed notifications, and mailed to the account as a link; every route ends on the
 * same page, where only a passkey of the account can confirm.
 */
export class PasskeyPrompts implements DevicePrompts {
  constructor(private readonly deps: PasskeyPromptsDeps) {}

  async send(request: DevicePromptRequest): Promise<void> {
    const { store, registry, accounts, clock, links } = this.deps;
    const passkeys = await registry.list(request.accountId);
    if (passkeys.length === 0) throw new NoTrustedDeviceError();
    const account = await accounts.summary(request.accountId);
    if (!account) throw new DeliveryFailedError('the account has no address to send the prompt to');
    const ttl = request.expiresAt - clock.now();
    if (ttl <= 0) throw new DeliveryFailedError('the prompt had expired before it was sent');
    await store.setFlag(scopeOf(request.promptId), REQUEST, JSON.stringify(request), ttl);
    const url = links.url(request.promptId, request.expiresAt);
    const { locale } = request;
    const params = {
      company: request.requester.company,
      agent: request.requester.agentName,
      until: formatDateTime(request.expiresAt, locale),
    };
    // The mail is the route that always exists; its failure is the prompt's.
    await this.deps.mailer.send({
      to: account.email,
      locale,
      subject: renderMessage('mail.confirm.subject', locale, params),
      text: renderMessage('mail.confirm.body', locale, { ...params, name: account.displayName, url }),
    });
    const pushes = this.deps.push
      ? passkeys.flatMap((p) => (p.push ? [this.pushTo(request, p.id, p.push, url, params)] : []))
      : [];
    await Promise.all([...pushes, this.deps.onLink?.(request, url).catch((e: unknown) => this.failed(e, 'chat link'))]);
  }

  private async pushTo(
    request: DevicePromptRequest,
    passkeyId: string,
    push: PushSubscriptionKeys,
    url: string,
    params: Record<string, string>,
  ): Promise<void> {
    const locale = request.locale;
    const payload = JSON.stringify({
      title: renderMessage('device.push.title', locale, params),
      body: renderMessage('device.push.body', locale, params),
      url,
      tag: request.promptId,
    });
    const ttlSeconds = Math.max(1, Math.floor((request.expiresAt - this.deps.clock.now()) / 1000));
    try {
      const outcome = await this.deps.push?.send(push, payload, ttlSeconds);
      // The push service says the subscription is gone for good (404/410): stop pushing there.
      if (outcome === 'gone') await this.deps.registry.setPush(request.accountId, passkeyId, undefined);
    } catch (error) {
      // One device that cannot be reached does not stop the others, nor the mail.
      this.failed(error, 'web push');
    }
  }

  private failed(error: unknown, what: string): void {
    this.deps.onBackgroundError?.(error, what);
  }
}

/** What the confirmation page shows: who is asking, from where, until when, and the numbers to pick from. */
export interface PromptView {
  promptId: string;
  locale: Locale;
  agentName: string;
  company: string;
  channel: DevicePromptRequest['requester']['channel'];
  numberChoices?: number[];
  expiresAt: number;
}

export interface PasskeyConfirmationsDeps {
  store: SessionStore;
  registry: PasskeyRegistry;
  party: WebAuthnParty;
  tokens: DeviceTokens;
  audit: AuditLog;
  clock: Clock;
  hashAccount(accountId: string): string;
  /** The verification's own answer to a prompt (Verification.deviceResponse). */
  answer(promptId: string, decision: 'confirmed' | 'denied' | 'fraud', matchedNumber?: number): Promise<Session>;
}

/**
 * The confirmation page's side: shows a prompt to whoever holds its link, and confirms it only with a WebAuthn
 * assertion (user verification on) by one of the account's passkeys, bound to a challenge made for this prompt,
 * used once, gone with the prompt. Don't confirm and "I didn't ask for this" need the link only.
 */
export class PasskeyConfirmations {
  constructor(private readonly deps: PasskeyConfirmationsDeps) {}

  async view(promptId: string, token: string): Promise<PromptView> {
    const request = await this.request(promptId, token);
    return {
      promptId,
      locale: request.locale,
      agentName: request.requester.agentName,
      company: request.requester.company,
      channel: request.requester.channel,
      ...(request.numberChoices ? { numberChoices: request.numberChoices } : {}),
      expiresAt: request.expiresAt,
    };
  }

  /** The options for `navigator.credentials.get()`: the account's passkeys, a challenge for this prompt only. */
  async assertionOptions(promptId: string, token: string): Promise<CeremonyOptions> {
    const request = await this.request(promptId, token);
    const passkeys = await this.deps.registry.list(request.accountId);
    if (passkeys.length === 0) throw new NoTrustedDeviceError();
    const { options, challenge } = await this.deps.party.authenticationOptions(passkeys);
    await this.deps.store.setFlag(scopeOf(promptId), CHALLENGE, challenge, request.expiresAt - this.deps.clock.now());
    return options;
  }

  /** Confirms with a verified assertion; the number picked goes to the verification, which checks it. */
  async confirm(promptId: string, token: string, answer: unknown, matchedNumber?: number): Promise<Session> {
    const { store, registry, party, clock } = this.deps;
    const request = await this.request(promptId, token);
    const scope = scopeOf(promptId);
    const challenge = await store.getFlag(scope, CHALLENGE);
    // Used up before it is checked: a failed or replayed assertion leaves nothing to try again with.
    if (!challenge || !(await store.clearFlag(scope, CHALLENGE, challenge)))
      return this.refuse(request, 'no_challenge');
    const id = party.credentialIdOf(answer);
    const passkey = id ? (await registry.list(request.accountId)).find((p) => p.id === id) : undefined;
    if (!passkey) return this.refuse(request, 'unknown_passkey');
    const verified = await party.verifyAuthentication(answer, challenge, passkey);
    if (!verified) return this.refuse(request, 'not_verified');
    const recorded = await registry.recordUse(request.accountId, passkey.id, { ...verified, at: clock.now() });
    // Removed meanwhile, or its counter did not go up (a cloned authenticator): not a confirmation.
    if (!recorded) return this.refuse(request, 'passkey_gone_or_cloned');
    return this.deps.answer(promptId, 'confirmed', matchedNumber);
  }

  async deny(promptId: string, token: string, decision: 'denied' | 'fraud'): Promise<Session> {
    await this.request(promptId, token);
    return this.deps.answer(promptId, decision);
  }

  private async request(promptId: string, token: string): Promise<DevicePromptRequest> {
    const subject = this.deps.tokens.subjectOf(token, 'prompt', this.deps.clock.now());
    if (subject !== promptId) throw new PasskeyRefusedError('this link is for another prompt');
    const stored = await this.deps.store.getFlag(scopeOf(promptId), REQUEST);
    if (!stored) throw new SessionNotFoundError(promptId.split('.')[0] ?? '');
    return JSON.parse(stored) as DevicePromptRequest;
  }

  private async refuse(request: DevicePromptRequest, reason: string): Promise<never> {
    const event: AuditEvent = {
      type: 'device_response_rejected',
      at: this.deps.clock.now(),
      outcome: 'failure',
      channel: 'api',
      sessionId: request.promptId.split('.')[0] ?? '',
      account: this.deps.hashAccount(request.accountId),
      method: 'device',
      detail: { reason, passkey: true },
    };
    await this.deps.audit.append(event);
    throw new PasskeyRefusedError('the passkey could not confirm this request; try again');
  }
}
