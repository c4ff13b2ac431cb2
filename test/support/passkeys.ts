import { simpleParser } from 'mailparser';
import type { OutboxMailer } from '../../adapters/mailer/outbox-mailer.ts';
import { startTestApp, TEST_PORTAL_KEY, type TestApp, type TestAppOptions } from './app.ts';
import { AGENT } from './fakes.ts';
import { request } from './http.ts';
import { freePort } from './redis-server.ts';
import { SoftAuthenticator } from './soft-authenticator.ts';

export interface PasskeyApp extends TestApp {
  /** `PUBLIC_URL`: http://localhost:PORT, the origin passkeys are made for. */
  origin: string;
  outbox: OutboxMailer;
  /** A software authenticator for this app's origin and RP id. */
  authenticator(behaviour?: ConstructorParameters<typeof SoftAuthenticator>[1]): SoftAuthenticator;
}

/**
 * What makes a test app run the built-in passkeys on a known port, so that `PUBLIC_URL` (the origin passkeys are
 * made for) is its address: for {@link startTestApp} and the Slack and Teams harnesses alike.
 */
export async function passkeyAppOptions(
  env: Record<string, string> = {},
): Promise<{ origin: string; options: TestAppOptions }> {
  const port = await freePort();
  const origin = `http://localhost:${port}`;
  return {
    origin,
    options: {
      env: { DEVICE_PROMPTS: 'passkey', PUBLIC_URL: origin, ...env },
      mutate: (config) => {
        config.port = port;
      },
    },
  };
}

/** The real server with `DEVICE_PROMPTS=passkey` on a known port. */
export async function startPasskeyApp(
  env: Record<string, string> = {},
  more: Pick<TestAppOptions, 'redisUrl' | 'clock'> = {},
): Promise<PasskeyApp> {
  const { origin, options } = await passkeyAppOptions(env);
  const started = await startTestApp({ ...options, ...more });
  const outbox = started.app.outbox;
  if (!outbox) throw new Error('the passkey app has no outbox');
  return {
    ...started,
    origin,
    outbox,
    authenticator: (behaviour) => new SoftAuthenticator({ origin, rpId: 'localhost' }, behaviour),
  };
}

/** A device portal token for the account, minted as the company's portal backend mints it. */
export async function portalToken(url: string, accountId = 'demo-alex'): Promise<{ token: string; url: string }> {
  const answer = await request(`${url}/v1/accounts/${accountId}/device-portal-tokens`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TEST_PORTAL_KEY}` },
  });
  if (answer.status !== 201) throw new Error(`minting a device token answered ${answer.status}: ${answer.text}`);
  return { token: String(answer.json.token), url: String(answer.json.url) };
}

/** A call to the device portal or the confirmation page's API, with its bearer token and a JSON body. */
export function withToken(url: string, token: string, method = 'GET', body?: unknown) {
  return request(url, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/** Registers a passkey of `authenticator` through the portal API; the device as the portal lists it. */
export async function registerDevice(
  url: string,
  token: string,
  authenticator: SoftAuthenticator,
  name = 'Alex’s phone',
): Promise<Record<string, unknown>> {
  const options = await withToken(`${url}/v1/devices/registration-options`, token, 'POST');
  if (options.status !== 200) throw new Error(`registration options answered ${options.status}: ${options.text}`);
  const added = await withToken(`${url}/v1/devices`, token, 'POST', {
    name,
    credential: authenticator.register(options.json),
  });
  if (added.status !== 201) throw new Error(`registration answered ${added.status}: ${added.text}`);
  return added.json;
}

/** Starts a verification of `query` and asks for a device prompt, as an agent would. */
export async function promptDevice(app: PasskeyApp, query = 'alex@example.com') {
  const started = await app.app.verification.start({ agent: AGENT, query });
  return app.app.verification.chooseDevice(started.id, { kind: 'agent', who: AGENT });
}

/** The prompt and token of the newest confirmation link mailed, as the customer would open it. */
export async function mailedLink(app: TestApp): Promise<{ promptId: string; token: string; link: string }> {
  const outbox = app.app.outbox;
  if (!outbox) throw new Error('the app has no outbox');
  for (let i = 0; i < 100; i++) {
    let link: string | undefined;
    for (const raw of (await outbox.messages()).reverse()) {
      link = /https?:\/\/\S+\/confirm#\S+/u.exec((await simpleParser(raw)).text ?? '')?.[0];
      if (link) break;
    }
    if (link) {
      const fragment = new URLSearchParams(new URL(link).hash.slice(1));
      return { promptId: fragment.get('p') ?? '', token: fragment.get('t') ?? '', link };
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('no confirmation link was mailed');
}
