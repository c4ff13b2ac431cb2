import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Request, Response } from 'restify';

const asset = (name: string) => readFileSync(new URL(`./assets/${name}`, import.meta.url), 'utf8');
// The official renderer's browser bundle, so the agent pane shows cards exactly as the renderer draws them.
const adaptiveCardsBundle = () =>
  readFileSync(createRequire(import.meta.url).resolve('adaptivecards/dist/adaptivecards.min.js'), 'utf8');

const FILES = {
  '/': { type: 'text/html; charset=utf-8', body: () => asset('playground.html') },
  '/playground/playground.js': { type: 'text/javascript; charset=utf-8', body: () => asset('playground.js') },
  '/playground/playground.css': { type: 'text/css; charset=utf-8', body: () => asset('playground.css') },
  '/playground/adaptivecards.js': { type: 'text/javascript; charset=utf-8', body: adaptiveCardsBundle },
  '/playground/virtual-passkey.js': { type: 'text/javascript; charset=utf-8', body: () => asset('virtual-passkey.js') },
} as const;

export const PLAYGROUND_FILES = Object.keys(FILES) as Array<keyof typeof FILES>;

const HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; frame-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

/** The playground page and its scripts, read once at start. */
export function playgroundFileRoute(path: keyof typeof FILES) {
  const { type, body } = FILES[path];
  const content = body();
  return async (_req: Request, res: Response): Promise<void> => {
    res.writeHead(200, { 'content-type': type, ...HEADERS });
    res.end(content);
  };
}
