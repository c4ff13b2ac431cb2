import { readFileSync } from 'node:fs';
import type { Request, Response } from 'restify';
import {
  type Locale,
  type MessageKey,
  REASSURANCE,
  renderMessage,
  resolveLocale,
} from '../../core/messages/catalog.ts';
import { escapeHtml } from '../presentation/html.ts';

const asset = (name: string) => readFileSync(new URL(`./assets/${name}`, import.meta.url), 'utf8');
const ASSETS = {
  '/chat.js': { type: 'text/javascript; charset=utf-8', body: asset('chat.js') },
  '/chat.css': { type: 'text/css; charset=utf-8', body: asset('chat.css') },
  '/webchat.js': { type: 'text/javascript; charset=utf-8', body: asset('webchat.js') },
  '/favicon.svg': { type: 'image/svg+xml', body: asset('favicon.svg') },
} as const;

// Only our own scripts, styles and API; the page may be framed by any site that embeds the chat.
/**
 * The chat page's one framing policy: `frame-ancestors` with the origins allowed to embed it (any, unless
 * WEBCHAT_ORIGINS names them). No X-Frame-Options beside it: `DENY` would contradict the embed, and browsers
 * that know CSP ignore it anyway.
 */
export function chatPageHeaders(origins: string[]): Record<string, string> {
  const ancestors = origins.length === 0 ? '*' : `'self' ${origins.join(' ')}`;
  return {
    'content-security-policy': `default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors ${ancestors}`,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
  };
}

/** The standalone chat page, in the browser's language (English or Dutch). */
export function renderChatPage(locale: Locale, company: string): string {
  const t = (key: MessageKey, params?: Record<string, string | number>) =>
    escapeHtml(renderMessage(key, locale, params));
  const data = {
    locale,
    you: t('label.chat.you'),
    agent: t('label.chat.agent'),
    bot: t('label.chat.bot'),
    tries: t('label.tries_left', { tries: '{tries}' }),
    reconnecting: t('label.chat.reconnecting'),
    replaced: t('label.chat.replaced'),
    idle: t('label.chat.idle'),
    failed: t('label.chat.failed'),
    'pin-invalid': t('agent.pin_invalid'),
    'expires-in': t('label.chat.expires_in', { seconds: '{seconds}', time: '{time}' }),
    expired: t('label.chat.expired'),
  };
  const attributes = Object.entries(data)
    .map(([key, value]) => `data-${key}="${value}"`)
    .join(' ');
  return `<!doctype html>
<html lang="${locale}" ${attributes}>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${t('label.chat.title', { company })}</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/chat.css">
<script src="/chat.js" defer></script>
</head>
<body>
<header>
  <h1>${t('label.chat.title', { company })}</h1>
  <p>${escapeHtml(REASSURANCE[locale])}</p>
</header>
<main id="log" role="log" aria-live="polite" aria-label="${t('label.chat.log')}" tabindex="0"></main>
<section id="verify" hidden aria-live="polite">
  <div id="number-box" hidden>
    <p>${t('label.chat.number')}</p>
    <p class="number" id="number"></p>
    <p class="status" id="number-expiry"></p>
  </div>
  <a id="confirm-link" class="button" hidden target="_blank" rel="noopener">${t('label.customer.confirm')}</a>
  <form id="pin-form" hidden autocomplete="off">
    <label for="pin">${t('label.chat.pin')}</label>
    <input id="pin" name="pin" inputmode="numeric" pattern="[0-9]{4}" maxlength="4" autocomplete="off" required aria-describedby="pin-status">
    <button type="submit">${t('label.chat.pin_send')}</button>
    <p class="status" id="pin-status" role="status"></p>
  </form>
</section>
<p id="paused" hidden><span id="paused-why"></span> <button id="resume" type="button">${t('label.chat.resume')}</button></p>
<p id="ended" hidden><button id="new-chat" type="button">${t('label.chat.new')}</button></p>
<form id="say">
  <div class="field">
    <label for="text">${t('label.chat.message')}</label>
    <textarea id="text" name="text" rows="2" maxlength="2000" required aria-describedby="status"></textarea>
  </div>
  <button id="send" type="submit">${t('label.chat.send')}</button>
  <button id="end" type="button" class="secondary">${t('label.chat.end')}</button>
</form>
<p class="status sr-only" id="status" role="status"></p>
</body>
</html>
`;
}

export function chatPageRoute(company: string, origins: string[] = []) {
  const headers = chatPageHeaders(origins);
  return async (req: Request, res: Response): Promise<void> => {
    const html = renderChatPage(resolveLocale(req.headers['accept-language']), company);
    res.removeHeader('x-frame-options');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', vary: 'accept-language', ...headers });
    res.end(html);
  };
}

/** `/chat.js`, `/chat.css`, the embed loader `/webchat.js` and the icon. */
export function chatAssetRoute(path: keyof typeof ASSETS) {
  const { type, body } = ASSETS[path];
  return async (_req: Request, res: Response): Promise<void> => {
    res.writeHead(200, {
      'content-type': type,
      'x-content-type-options': 'nosniff',
      'cache-control': 'public, max-age=300',
      // The loader runs on other sites' pages.
      ...(path === '/webchat.js' ? { 'access-control-allow-origin': '*' } : {}),
    });
    res.end(body);
  };
}
