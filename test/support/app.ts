import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { type Config, loadConfig } from '../../adapters/config/config.ts';
import { createLogger } from '../../adapters/log/logger.ts';
import { type App, type AppOptions, createApp } from '../../bots/server.ts';
import type { Clock } from '../../core/ports/index.ts';
import { request } from './http.ts';

/** The device webhook's secret in tests, in the Standard Webhooks form (`whsec_` + base64 of its bytes). */
export const TEST_DEVICE_SECRET = `whsec_${Buffer.from('test-device-secret-0123456789abcdef0123456789').toString('base64')}`;
export const TEST_PORTAL_KEY = 'test-portal-key-0123456789abcdef';
export const TEST_PORTAL_KEY_2 = 'test-portal-key-rotated-0123456789';

export interface TestApp {
  app: App;
  url: string;
  /** Every log line the app wrote, as written. */
  logs: string[];
  close(): Promise<void>;
}

export interface TestAppOptions {
  redisUrl?: string;
  env?: Record<string, string>;
  clock?: Clock;
  mutate?: (config: Config) => void;
  teamsAuthSettings?: Record<string, string>;
  teamsGraph?: AppOptions['teamsGraph'];
}

/** The real server on a free port, logging into memory, mail into a temporary outbox. */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const outbox = mkdtempSync(join(tmpdir(), 'sv-outbox-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    DEVICE_WEBHOOK_SECRETS: TEST_DEVICE_SECRET,
    PORTAL_API_KEYS: `${TEST_PORTAL_KEY},${TEST_PORTAL_KEY_2}`,
    PIN_PEPPER: 'test-pin-pepper-0123456789abcdef0123456789',
    AUDIT_KEY: 'test-audit-key-0123456789abcdef0123456789',
    OUTBOX_DIR: outbox,
    LOG_LEVEL: 'debug',
    ...(options.redisUrl ? { REDIS_URL: options.redisUrl } : {}),
    ...options.env,
  });
  config.port = 0;
  options.mutate?.(config);
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const app = await createApp(config, {
    logger: createLogger({ level: config.logLevel, destination }),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.teamsAuthSettings ? { teamsAuthSettings: options.teamsAuthSettings } : {}),
    ...(options.teamsGraph ? { teamsGraph: options.teamsGraph } : {}),
  });
  const url = await app.listen();
  return {
    app,
    url,
    logs,
    async close() {
      await app.close();
      rmSync(outbox, { recursive: true, force: true });
    },
  };
}

/** A support PIN for a demo account, through the real portal API, as the customer's portal would get one. */
export async function issuePin(baseUrl: string, accountId = 'demo-alex'): Promise<string> {
  const answer = await request(`${baseUrl}/v1/accounts/${accountId}/support-pins`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TEST_PORTAL_KEY}` },
  });
  if (answer.status !== 201) throw new Error(`the portal API answered ${answer.status}`);
  return String(answer.json.pin);
}
