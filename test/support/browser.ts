import { mkdirSync } from 'node:fs';
import { type Browser, chromium, type Frame, type Locator, type Page } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const RESULTS_DIR = new URL('../../test-results/', import.meta.url).pathname;

/** Debian's Chromium, headless, driven by playwright-core; one per suite. */
export function useBrowser(): () => Browser {
  let browser: Browser | undefined;
  before(async function () {
    this.timeout(30_000);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  });
  after(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser) throw new Error('the browser has not started');
    return browser;
  };
}

/** Saves what the page (or one part of it) shows under test-results/, for the README and for a human to look at. */
export async function screenshot(page: Page, name: string, part?: Locator): Promise<string> {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const path = `${RESULTS_DIR}${name}.png`;
  if (part) await part.screenshot({ path });
  else await page.screenshot({ path, fullPage: true });
  return path;
}

/** The two screens every browser test looks at: a laptop and a phone. */
export const VIEWPORTS = [
  { name: 'laptop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
] as const;

// Runs in the page (the tests have no DOM types, so it is a string): every visible button, field, select and
// link must lie inside the boxes that clip it, show all of its own text, and not overlap another one.
const LAYOUT_PROBLEMS = `(() => {
  const problems = [];
  const name = (e) => (e.getAttribute('aria-label') || e.textContent || e.id || e.tagName).trim().slice(0, 40);
  const visible = (e) => {
    const r = e.getBoundingClientRect();
    const style = getComputedStyle(e);
    return r.width > 0 && r.height > 0 && style.visibility !== 'hidden' && !e.closest('[hidden]');
  };
  const controls = [...document.querySelectorAll('button, input:not([type=hidden]), select, textarea, a[href]')].filter(visible);
  // What of an element shows: its box cut by every ancestor that clips (a scrolled-away part shows nothing).
  const shown = new Map();
  for (const e of controls) {
    const r = e.getBoundingClientRect();
    let box = { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
    if (r.left < -1 || r.right > innerWidth + 1) problems.push('off screen: ' + name(e));
    if (e.tagName === 'BUTTON' && e.scrollWidth > e.clientWidth + 1) problems.push('text cut off: ' + name(e));
    for (let a = e.parentElement; a; a = a.parentElement) {
      const style = getComputedStyle(a);
      const clipsX = style.overflowX !== 'visible';
      const clipsY = style.overflowY !== 'visible';
      if (!clipsX && !clipsY) continue;
      const c = a.getBoundingClientRect();
      // Sideways a control must fit; up and down, a scrolling box may hide it, but a fixed one must not.
      if (clipsX && (r.left < c.left - 1 || r.right > c.right + 1)) problems.push('clipped sideways: ' + name(e));
      const fixed = style.overflowY === 'hidden' || style.overflowY === 'clip';
      if (fixed && (r.top < c.top - 1 || r.bottom > c.bottom + 1)) problems.push('clipped: ' + name(e));
      box = {
        left: Math.max(box.left, c.left),
        top: Math.max(box.top, c.top),
        right: Math.min(box.right, c.right),
        bottom: Math.min(box.bottom, c.bottom),
      };
    }
    shown.set(e, box);
  }
  for (let i = 0; i < controls.length; i++) {
    for (let j = i + 1; j < controls.length; j++) {
      const a = controls[i], b = controls[j];
      if (a.contains(b) || b.contains(a)) continue;
      const p = shown.get(a), q = shown.get(b);
      const w = Math.min(p.right, q.right) - Math.max(p.left, q.left);
      const h = Math.min(p.bottom, q.bottom) - Math.max(p.top, q.top);
      if (w > 1 && h > 1) problems.push('overlap: ' + name(a) + ' / ' + name(b));
    }
  }
  return [...new Set(problems)];
})()`;

/** What is clipped or overlaps on the page and in each of its frames; empty when the layout holds. */
export async function layoutProblems(page: Page): Promise<string[]> {
  const problems: string[] = [];
  for (const frame of page.frames()) {
    const found = (await frame.evaluate(LAYOUT_PROBLEMS).catch(() => [])) as string[];
    problems.push(...found.map((p) => (frame === page.mainFrame() ? p : `${new URL(frame.url()).pathname}: ${p}`)));
  }
  return problems;
}

/**
 * Collects what a page reports as broken: uncaught script errors and console errors. A refused request (a 423,
 * an aborted route) is the browser reporting a status, not a script error, so it is left out.
 */
export function watchPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(`console: ${m.text()}`);
  });
  return errors;
}

/** The web chat conversation a page keeps (in whichever storage the browser allowed it). */
export async function chatConversationOf(page: Page): Promise<string> {
  return String(
    await page.evaluate(
      "JSON.parse(localStorage.getItem('support-verify-chat') ?? sessionStorage.getItem('support-verify-chat') ?? '{}').id",
    ),
  );
}

/**
 * A platform authenticator in the page's browser, through CDP's WebAuthn domain: a passkey on "this device", with
 * user verification (the screen lock) that succeeds, and presence simulated, as a phone with Face ID would act.
 */
export async function addVirtualPasskeyDevice(target: Page | Frame): Promise<{ credentials(): Promise<unknown[]> }> {
  // A frame from another site runs in a process of its own: its authenticator is set up on its own target.
  const page = 'page' in target ? target.page() : target;
  const cdp = await page.context().newCDPSession(target);
  await cdp.send('WebAuthn.enable', { enableUI: false });
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return {
    credentials: async () => (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials,
  };
}
