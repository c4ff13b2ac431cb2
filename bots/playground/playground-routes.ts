import { simpleParser } from 'mailparser';
import type { Request, Response } from 'restify';
import type { SimulatedDevice } from '../../adapters/devices/simulated-device.ts';
import type { OutboxMailer } from '../../adapters/mailer/outbox-mailer.ts';
import { type MessageKey, renderMessage } from '../../core/messages/catalog.ts';
import type { DevicePromptRequest } from '../../core/ports/index.ts';
import { PROMPT_ID_PATTERN } from '../api/device-responses.ts';
import { ACCOUNT_ID_PATTERN } from '../api/portal-pins.ts';
import { parseJson, readBody } from '../http/json-body.ts';
import { HttpError, sendJson } from '../http/responses.ts';
import { bodyValidator } from '../http/validation.ts';
import { CHANNEL_NAMES } from '../presentation/channel-names.ts';
import type { PlaygroundLinks } from './playground-links.ts';

export interface PlaygroundDeps {
  /** Present in the embedded mode; the device pane needs it. */
  device?: SimulatedDevice;
  /** Present when mail goes to the outbox; the mailbox pane needs it. */
  outbox?: OutboxMailer;
  /** The portal key the portal pane may use: only the built-in demo key, never a real one. */
  demoPortalKey?: string;
  /** With the built-in passkeys: the phone opens the real device portal and confirmation page, with a virtual passkey. */
  passkeys?: {
    links: PlaygroundLinks;
    /** The device portal of an account, with a fresh token, as a portal backend would open it. */
    portalUrl(accountId: string): string;
    clock: { now(): number };
  };
}

/** The playground's phone loads the virtual passkey into the real pages (`?virtual=1`, honoured only here). */
export function withVirtualPasskey(url: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('virtual', '1');
  return parsed.toString();
}

interface DeviceAnswer {
  decision: 'confirmed' | 'denied' | 'fraud';
  matchedNumber?: number;
}

const validateAnswer = bodyValidator<DeviceAnswer>({
  type: 'object',
  additionalProperties: false,
  required: ['decision'],
  properties: {
    decision: { type: 'string', enum: ['confirmed', 'denied', 'fraud'] },
    matchedNumber: { type: 'integer', minimum: 0, maximum: 99, nullable: true },
  },
});

/** Every text the device screen shows for a prompt, in the prompt's (the account's) language. */
export function deviceTexts(prompt: DevicePromptRequest): Record<string, string> {
  const locale = prompt.locale;
  const t = (key: MessageKey, params?: Record<string, string | number>) => renderMessage(key, locale, params);
  const { agentName, company, channel } = prompt.requester;
  return {
    title: t('device.prompt.title'),
    body: t('device.prompt.body', { agent: agentName, company, channel: CHANNEL_NAMES[channel] ?? channel }),
    pick: t('device.prompt.pick_number'),
    pickFirst: t('device.pick_first'),
    confirm: t('device.confirm'),
    deny: t('device.deny'),
    fraud: t('device.fraud'),
    expiresIn: t('device.expires_in', { seconds: '{seconds}' }),
    expired: t('device.expired'),
    confirmed: t('device.done.confirmed', { agent: agentName }),
    denied: t('device.done.denied'),
    fraudReported: t('device.done.fraud'),
    gone: t('device.done.gone'),
    ok: t('device.done.ok'),
    none: t('device.none'),
  };
}

const MAILBOX_PAGE_MAX = 200;

/**
 * What the playground's panes read besides the real routes: the simulated device's prompts (its answers
 * still go through the real signed device-response route), the outbox, and which demo portal key to use.
 */
export function playgroundRoutes(deps: PlaygroundDeps) {
  const device = () => {
    if (!deps.device) throw new HttpError(404, 'not_found', 'the simulated device is off (DEVICE_WEBHOOK_URL is set)');
    return deps.device;
  };
  return {
    settings: async (_req: Request, res: Response) => {
      sendJson(res, 200, {
        portalKey: deps.demoPortalKey ?? null,
        device: deps.device !== undefined,
        passkeys: deps.passkeys !== undefined,
        mailbox: deps.outbox !== undefined,
      });
    },
    /** `GET /playground/device/passkey?accountId=`: the phone's two pages: the device portal, and the open prompt. */
    passkeyPhone: async (req: Request, res: Response) => {
      const passkeys = deps.passkeys;
      if (!passkeys) throw new HttpError(404, 'not_found', 'the built-in passkeys are off (DEVICE_PROMPTS=passkey)');
      const accountId = new URL(req.url ?? '/', 'http://x').searchParams.get('accountId') ?? '';
      if (!ACCOUNT_ID_PATTERN.test(accountId))
        throw new HttpError(400, 'invalid_request', 'accountId is not a valid account id');
      const prompt = passkeys.links.newest(passkeys.clock.now(), accountId);
      sendJson(
        res,
        200,
        {
          devicesUrl: withVirtualPasskey(passkeys.portalUrl(accountId)),
          prompt: prompt ? { ...prompt, url: withVirtualPasskey(prompt.url) } : null,
        },
        { 'cache-control': 'no-store' },
      );
    },
    prompts: async (req: Request, res: Response) => {
      const accountId = new URL(req.url ?? '/', 'http://x').searchParams.get('accountId') ?? undefined;
      if (accountId !== undefined && !ACCOUNT_ID_PATTERN.test(accountId))
        throw new HttpError(400, 'invalid_request', 'accountId is not a valid account id');
      // The device speaks the account's language, as a real one set up by the customer would.
      const prompts = device()
        .pending(accountId)
        .map((prompt) => ({ ...prompt, texts: deviceTexts(prompt) }));
      sendJson(res, 200, { prompts });
    },
    answer: async (req: Request, res: Response) => {
      const promptId = String(req.params?.promptId ?? '');
      if (!PROMPT_ID_PATTERN.test(promptId)) throw new HttpError(404, 'not_found', 'no such prompt');
      const answer = validateAnswer(parseJson(await readBody(req, 1024)));
      const status = await device().answer(promptId, {
        decision: answer.decision,
        ...(answer.matchedNumber === undefined ? {} : { matchedNumber: answer.matchedNumber }),
      });
      sendJson(res, status === 200 ? 200 : 409, { status });
    },
    mailbox: async (req: Request, res: Response) => {
      if (!deps.outbox)
        throw new HttpError(404, 'not_found', 'mail goes over SMTP (SMTP_URL is set), not to the outbox');
      const asked = new URL(req.url ?? '/', 'http://x').searchParams.get('limit') ?? '10';
      if (!/^\d{1,3}$/u.test(asked) || Number(asked) < 1 || Number(asked) > MAILBOX_PAGE_MAX)
        throw new HttpError(400, 'invalid_request', `limit is a whole number from 1 to ${MAILBOX_PAGE_MAX}`);
      const { messages: raw, total } = await deps.outbox.newest(Number(asked));
      const mails = await Promise.all(
        raw.map(async (source) => {
          const mail = await simpleParser(source);
          return {
            to: mail.to && !Array.isArray(mail.to) ? mail.to.text : '',
            subject: mail.subject ?? '',
            date: mail.date?.toISOString() ?? null,
            text: mail.text ?? '',
          };
        }),
      );
      sendJson(res, 200, { mails, total });
    },
  };
}
