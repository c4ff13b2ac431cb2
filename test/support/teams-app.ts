import type { Config } from '../../adapters/config/config.ts';
import { startTestApp, type TestApp, type TestAppOptions } from './app.ts';
import { type HttpAnswer, request } from './http.ts';
import { BotConnectorDouble } from './teams.ts';

export interface TeamsHarness {
  t: TestApp;
  connector: BotConnectorDouble;
  /** The `serviceUrl` activities carry: the connector double. */
  serviceUrl: string;
  /** Posts an activity to `POST /api/messages` as the Teams channel does (a string goes as it is). */
  send(activity: unknown, headers?: Record<string, string>): Promise<HttpAnswer>;
  close(): Promise<void>;
}

/** The real server with Teams on (authentication off unless `env` sets MicrosoftAppId) and a Bot Connector double. */
export async function startTeamsApp(
  options: TestAppOptions & {
    /** Like `mutate`, knowing the connector double's URL (for settings that name a Teams service URL). */
    configure?: (config: Config, serviceUrl: string) => void;
  } = {},
): Promise<TeamsHarness> {
  const connector = new BotConnectorDouble();
  const serviceUrl = await connector.start();
  const { configure, ...appOptions } = options;
  const t = await startTestApp({
    ...appOptions,
    mutate: (config) => {
      options.mutate?.(config);
      configure?.(config, serviceUrl);
    },
  });
  return {
    t,
    connector,
    serviceUrl,
    send: (activity, headers = {}) =>
      request(`${t.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof activity === 'string' ? activity : JSON.stringify(activity),
      }),
    async close() {
      await t.close();
      await connector.stop();
    },
  };
}
