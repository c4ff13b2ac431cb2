import { readFileSync } from 'node:fs';
import type { Request, Response } from 'restify';
import { type Locale, type MessageKey, renderMessage, resolveLocale } from '../../core/messages/catalog.ts';
import { escapeHtml } from '../presentation/html.ts';

const asset = (name: string) => readFileSync(new URL(`./assets/${name}`, import.meta.url), 'utf8');
const ASSETS = {
  '/passkeys.js': { type: 'text/javascript; charset=utf-8', body: asset('passkeys.js') },
  '/devices.js': { type: 'text/javascript; charset=utf-8', body: asset('devices.js') },
  '/confirm.js': { type: 'text/javascript; charset=utf-8', body: asset('confirm.js') },
  '/devices.css': { type: 'text/css; charset=utf-8', body: asset('devices.css') },
  '/trusted-devices.js': { type: 'text/javascript; charset=utf-8', body: asset('trusted-devices.js') },
  '/device-sw.js': { type: 'text/javascript; charset=utf-8', body: asset('device-sw.js') },
} as const;
export const DEVICE_ASSET_PATHS = Object.keys(ASSETS) as Array<keyof typeof ASSETS>;

/**
 * Our own scripts and styles only, and the API; `frameAncestors` says who may frame the page (the device portal
 * is embedded in the company's portal; the confirmation page never is, so no site can dress it up).
 */
function pageHeaders(frameAncestors: string): Record<string, string> {
  return {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': `default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors ${frameAncestors}`,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
    vary: 'accept-language',
  };
}

// The playground's virtual passkey, first among the deferred scripts so the page's own script finds it in place.
const VIRTUAL_PASSKEY = '<script src="/playground/virtual-passkey.js" defer></script>\n';

/** `?virtual=1` loads the virtual passkey, where the playground serves it (development only). */
const virtualAsked = (req: Request, playground: boolean) =>
  playground && new URL(req.url ?? '/', 'http://x').searchParams.get('virtual') === '1';

const localeOf = (req: Request): Locale => {
  const asked = new URL(req.url ?? '/', 'http://x').searchParams.get('locale');
  return asked === 'en' || asked === 'nl' ? asked : resolveLocale(req.headers['accept-language']);
};

/** The account portal's trusted devices, in `locale`; everything it says is in its data attributes. */
export function renderDevicesPage(
  locale: Locale,
  company: string,
  vapidPublicKey?: string,
  virtualPasskey = false,
): string {
  const t = (key: MessageKey, params?: Record<string, string | number>) =>
    escapeHtml(renderMessage(key, locale, params));
  const data: Record<string, string> = {
    addedOn: t('label.devices.added_on', { when: '{when}' }),
    usedOn: t('label.devices.used_on', { when: '{when}' }),
    synced: t('label.devices.synced'),
    remove: t('label.devices.remove'),
    removed: t('portal.devices.removed', { device: '{device}' }),
    added: t('portal.devices.added', { device: '{device}' }),
    unsupported: t('portal.devices.unsupported'),
    cancelled: t('portal.devices.cancelled'),
    expired: t('portal.devices.expired'),
    failed: t('device.confirm.try_again'),
    notify: t('label.devices.notify'),
    notifying: t('portal.devices.notifying', { device: '{device}' }),
    notifyDenied: t('portal.devices.notify_denied'),
    notifyFailed: t('portal.devices.notify_failed'),
    ...(vapidPublicKey ? { vapidKey: vapidPublicKey } : {}),
  };
  const attributes = Object.entries(data)
    .map(([key, value]) => `data-${key.replace(/[A-Z]/gu, (c) => `-${c.toLowerCase()}`)}="${value}"`)
    .join(' ');
  return `<!doctype html>
<html lang="${locale}" ${attributes}>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${t('label.devices.title')}</title>
<link rel="stylesheet" href="/devices.css">
${virtualPasskey ? VIRTUAL_PASSKEY : ''}<script src="/passkeys.js" defer></script>
<script src="/devices.js" defer></script>
</head>
<body>
<main>
  <h1>${t('label.devices.title')}</h1>
  <p class="muted">${t('portal.devices.intro', { company })}</p>
  <ul id="devices" aria-live="polite"></ul>
  <p id="none" hidden>${t('portal.devices.none')}</p>
  <form id="add" autocomplete="off">
    <label for="name">${t('label.devices.name')}</label>
    <input id="name" name="name" maxlength="64" required placeholder="${t('label.devices.name_hint')}">
    <button type="submit">${t('label.devices.add')}</button>
  </form>
  <p id="status" role="status" aria-live="polite"></p>
</main>
</body>
</html>
`;
}

/** The confirmation page's frame: what it shows comes from the prompt, in the prompt's language. */
export function renderConfirmPage(locale: Locale, virtualPasskey = false): string {
  const t = (key: MessageKey) => escapeHtml(renderMessage(key, locale));
  return `<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${t('device.confirm.title')}</title>
<link rel="stylesheet" href="/devices.css">
${virtualPasskey ? VIRTUAL_PASSKEY : ''}<script src="/passkeys.js" defer></script>
<script src="/confirm.js" defer></script>
</head>
<body>
<main>
  <section id="prompt" class="card" hidden>
    <h1 id="title"></h1>
    <p id="body"></p>
    <p id="until" class="muted"></p>
    <p id="pick"></p>
    <div id="numbers" class="numbers" role="group" aria-labelledby="pick"></div>
    <p id="passkey" class="muted"></p>
    <div class="actions">
      <button id="confirm" type="button"></button>
      <button id="deny" type="button" class="secondary"></button>
      <button id="report" type="button" class="danger"></button>
    </div>
    <p id="status" role="status" aria-live="polite"></p>
  </section>
  <section id="done" class="card" hidden>
    <p id="done-text" role="status"></p>
  </section>
  <p id="bad-link" hidden>${t('device.confirm.bad_link')}</p>
</main>
</body>
</html>
`;
}

/** `GET /devices`: may be framed by the origins in WEBCHAT_ORIGINS (any, when it is empty), as the chat may. */
export function devicesPageRoute(
  company: string,
  origins: readonly string[],
  options: { vapidPublicKey?: string; playground?: boolean } = {},
) {
  const headers = pageHeaders(origins.length === 0 ? '*' : `'self' ${origins.join(' ')}`);
  return async (req: Request, res: Response): Promise<void> => {
    res.removeHeader('x-frame-options');
    res.writeHead(200, headers);
    res.end(
      renderDevicesPage(localeOf(req), company, options.vapidPublicKey, virtualAsked(req, options.playground ?? false)),
    );
  };
}

/** `GET /confirm`: never framed (but by the playground's phone, with its virtual passkey). */
export function confirmPageRoute(options: { playground?: boolean } = {}) {
  const headers = { ...pageHeaders("'none'"), 'x-frame-options': 'DENY' };
  // The playground's phone frames it, from this very origin.
  const playgroundHeaders = { ...pageHeaders("'self'"), 'x-frame-options': 'SAMEORIGIN' };
  return async (req: Request, res: Response): Promise<void> => {
    const virtual = virtualAsked(req, options.playground ?? false);
    res.writeHead(200, virtual ? playgroundHeaders : headers);
    res.end(renderConfirmPage(localeOf(req), virtual));
  };
}

export function deviceAssetRoute(path: keyof typeof ASSETS) {
  const { type, body } = ASSETS[path];
  return async (_req: Request, res: Response): Promise<void> => {
    res.writeHead(200, {
      'content-type': type,
      'x-content-type-options': 'nosniff',
      // A new service worker is picked up at once, not after a day.
      ...(path === '/device-sw.js' ? { 'cache-control': 'no-cache' } : {}),
      'cache-control': 'public, max-age=300',
      // The embed loader runs on the company's portal pages.
      ...(path === '/trusted-devices.js' ? { 'access-control-allow-origin': '*' } : {}),
    });
    res.end(body);
  };
}
