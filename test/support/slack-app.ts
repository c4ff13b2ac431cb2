import { startTestApp, type TestApp, type TestAppOptions } from './app.ts';
import { type HttpAnswer, request } from './http.ts';
import { SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, SlackApiDouble, slackHeaders } from './slack.ts';

export interface SlackHarness {
  t: TestApp;
  slack: SlackApiDouble;
  /** Sends a body to `POST /slack/events`, signed as Slack signs it unless `headers` replace that. */
  send(
    body: string,
    options?: { json?: boolean; headers?: Record<string, string>; retryNum?: number; timestampSeconds?: number },
  ): Promise<HttpAnswer>;
  close(): Promise<void>;
}

/** The real server with Slack configured against a recording Web API double. */
export async function startSlackApp(
  options: TestAppOptions & {
    /** Runs once the Web API double is up and before the server starts. */
    beforeStart?: (slack: SlackApiDouble) => void;
  } = {},
): Promise<SlackHarness> {
  const slack = new SlackApiDouble();
  const apiUrl = await slack.start();
  options.beforeStart?.(slack);
  const { beforeStart: _, ...appOptions } = options;
  const t = await startTestApp({
    ...appOptions,
    env: { SLACK_SIGNING_SECRET, SLACK_BOT_TOKEN, SLACK_API_URL: apiUrl, ...options.env },
  });
  return {
    t,
    slack,
    send: (body, sendOptions = {}) =>
      request(`${t.url}/slack/events`, {
        method: 'POST',
        headers:
          sendOptions.headers ??
          slackHeaders(body, sendOptions.json ? 'application/json' : 'application/x-www-form-urlencoded', {
            ...(sendOptions.retryNum ? { retryNum: sendOptions.retryNum } : {}),
            ...(sendOptions.timestampSeconds ? { timestampSeconds: sendOptions.timestampSeconds } : {}),
          }),
        body,
      }),
    async close() {
      await t.close();
      await slack.stop();
    },
  };
}
