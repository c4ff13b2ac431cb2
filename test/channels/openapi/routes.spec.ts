import { expect } from 'chai';
import type { Server } from 'restify';
import type { OpenApiDocument } from '../../../bots/openapi/document.ts';
import { servedDocument } from '../../support/openapi.ts';
import { type SlackHarness, startSlackApp } from '../../support/slack-app.ts';

/**
 * Registered on purpose without an entry in the document. Anything else the server registers and the document
 * lacks fails the test, and so does an entry here that the server no longer registers.
 */
const NOT_DOCUMENTED: ReadonlyArray<{ route: string; why: string }> = [
  { route: 'GET /chat.js', why: 'static asset of the /chat page, loaded by the page itself' },
  { route: 'GET /chat.css', why: 'static asset of the /chat page' },
  { route: 'GET /favicon.svg', why: 'static asset (icon)' },
  { route: 'GET /favicon.ico', why: 'static asset: browsers ask for it on their own' },
  { route: 'GET /', why: 'the playground page (development only), a static page' },
  { route: 'GET /playground/playground.js', why: 'static asset of the playground page' },
  { route: 'GET /playground/playground.css', why: 'static asset of the playground page' },
  { route: 'GET /playground/adaptivecards.js', why: 'static asset of the playground page (the renderer bundle)' },
  { route: 'GET /playground/virtual-passkey.js', why: 'static asset of the playground’s passkey phone' },
];

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** What the running server routes, from restify's own registry: `METHOD /path/{param}`. */
function registeredRoutes(server: Server): string[] {
  const info = server.getDebugInfo() as { routes: Array<{ method: string; path: string }> };
  return info.routes.map(({ method, path }) => `${method.toUpperCase()} ${path.replace(/:(\w+)/gu, '{$1}')}`);
}

function documentedRoutes(document: OpenApiDocument): string[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    METHODS.filter((method) => method in item).map((method) => `${method.toUpperCase()} ${path}`),
  );
}

describe('The OpenAPI document and the routes the server registers, both ways', () => {
  let harness: SlackHarness;
  let registered: string[];
  let documented: string[];
  // Every optional route on: Slack configured, Teams (outside production), the playground, the embedded audit
  // trail (no Redis), /metrics on the public port (no METRICS_PORT), the built-in passkeys' pages and APIs.
  before(async () => {
    harness = await startSlackApp({ env: { PLAYGROUND: 'on', DEVICE_PROMPTS: 'passkey' } });
    registered = registeredRoutes(harness.t.app.server);
    documented = documentedRoutes(await servedDocument(harness.t.url));
  });
  after(async () => harness.close());

  it('enumerates the routes from restify itself, with the configuration-dependent ones present', () => {
    expect(registered).to.include.members([
      'POST /slack/events',
      'POST /api/messages',
      'GET /metrics',
      'GET /playground/audit/verify',
      'POST /v1/accounts/{accountId}/support-pins',
      'POST /v1/accounts/{accountId}/device-portal-tokens',
    ]);
    expect(new Set(registered).size).to.equal(registered.length);
  });

  it('every route the server registers is in the document, or excluded here with a reason', () => {
    const excluded = new Set(NOT_DOCUMENTED.map((e) => e.route));
    expect(registered.filter((route) => !documented.includes(route) && !excluded.has(route))).to.deep.equal([]);
  });

  it('every path and method in the document is registered', () => {
    expect(documented.filter((route) => !registered.includes(route))).to.deep.equal([]);
  });

  it('every exclusion is still registered and still not documented', () => {
    for (const { route } of NOT_DOCUMENTED) {
      expect(registered, route).to.include(route);
      expect(documented, route).to.not.include(route);
    }
  });

  it('marks the playground routes internal', async () => {
    const { paths } = await servedDocument(harness.t.url);
    const playground = Object.entries(paths).filter(([path]) => path.startsWith('/playground/'));
    expect(playground).to.not.be.empty;
    for (const [path, item] of playground)
      for (const method of METHODS.filter((m) => m in item))
        expect(item[method], `${method} ${path}`).to.have.property('x-internal', true);
  });
});
