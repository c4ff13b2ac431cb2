import { isAbsolute } from 'node:path';
import type { Config } from '../adapters/config/config.ts';
import { DEMO_PORTAL_KEY } from '../adapters/config/config.ts';
import { describeTopology } from '../adapters/redis/connect.ts';

/** The start-up banner: what is on, and what to set for the rest. Never prints a secret's value. */
export function renderBanner(config: Config, url: string): string {
  const lines: Array<[string, string]> = [
    [
      'store',
      config.redis ? describeTopology(config.redis) : 'in memory (single instance; set REDIS_URL to scale out)',
    ],
    [
      'accounts',
      config.accountsUrl
        ? `directory at ${redactUrl(config.accountsUrl)}`
        : 'demo: alex@example.com, jan@example.nl, sam@example.com (set ACCOUNTS_URL)',
    ],
    [
      'device',
      config.device.mode === 'passkey'
        ? `passkeys: registration at ${config.publicUrl}/devices, prompts by e-mail${config.device.vapid ? ' and Web Push' : ' (set VAPID_* for Web Push)'}`
        : config.device.webhookUrl
          ? `webhook ${redactUrl(config.device.webhookUrl)}`
          : 'simulated device (set DEVICE_WEBHOOK_URL, or DEVICE_PROMPTS=passkey)',
    ],
    [
      'mail',
      config.smtpUrl
        ? `SMTP ${redactUrl(config.smtpUrl)}`
        : `written to ${isAbsolute(config.outboxDir) ? config.outboxDir : `./${config.outboxDir}`} (set SMTP_URL)`,
    ],
    [
      'portal API',
      config.portalApiKeys.includes(DEMO_PORTAL_KEY)
        ? `POST ${url}/v1/accounts/:accountId/support-pins with "Authorization: Bearer ${DEMO_PORTAL_KEY}"`
        : `POST ${url}/v1/accounts/:accountId/support-pins (${config.portalApiKeys.length} key(s) from PORTAL_API_KEYS)`,
    ],
    ['playground', config.playground ? `${url}/ (agent, customer, portal, device and mailbox in one page)` : 'off'],
    ['web chat', `${url}/chat, or <script src="${config.publicUrl}/webchat.js" async></script> on any page`],
    [
      'Slack',
      config.slack.appToken
        ? 'on, over Socket Mode'
        : config.slack.botToken
          ? `on: point Slack at ${config.publicUrl}/slack/events`
          : 'off (set SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN; README.md#slack)',
    ],
    [
      'Teams',
      config.teams.appId
        ? `on: point the Azure Bot's messaging endpoint at ${config.publicUrl}/api/messages`
        : config.nodeEnv === 'production'
          ? 'off (set MicrosoftAppId and MicrosoftAppPassword; README.md#teams)'
          : `on at ${url}/api/messages WITHOUT authentication (no MicrosoftAppId: local use and the Bot Framework Emulator only)`,
    ],
    [
      'health',
      `${url}/healthz  ${url}/readyz  ${
        config.metrics.port === undefined
          ? `${url}/metrics`
          : `http://127.0.0.1:${config.metrics.port}/metrics (loopback only, METRICS_PORT)`
      }`,
    ],
    [
      'policies',
      `PIN ${config.policies.pinValidMinutes} min, ${config.policies.pinTriesPerSession} tries; device prompt ${config.policies.devicePromptSeconds} s; access ${config.policies.grantMinutes} min${config.policies.numberMatching ? '; number matching on' : ''}`,
    ],
  ];
  if (config.defaulted.length > 0) {
    lines.push([
      'dev values',
      `${config.defaulted.join(', ')} use built-in development values; set them before production`,
    ]);
  }
  for (const { name, use } of config.deprecated)
    lines.push(['deprecated', `${name} is accepted for one more release: set ${use} instead`]);
  const width = Math.max(...lines.map(([k]) => k.length));
  return [
    '',
    `support-verify is running at ${url} (${config.nodeEnv}, ${config.redis ? 'Redis' : 'embedded'} mode)`,
    ...lines.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`),
    '',
    // The demo account exists only in the demo directory.
    ...(config.accountsUrl
      ? []
      : [
          `  Try it: curl -s -X POST -H 'Authorization: Bearer ${config.portalApiKeys.includes(DEMO_PORTAL_KEY) ? DEMO_PORTAL_KEY : '<portal key>'}' ${url}/v1/accounts/demo-alex/support-pins`,
        ]),
    '  Configuration: README.md#configuration',
    '',
  ].join('\n');
}

/** A URL without its user name or password. */
export function redactUrl(value: string): string {
  try {
    const url = new URL(value);
    url.username = '';
    url.password = '';
    return url.toString().replace(/\/$/u, '');
  } catch {
    return '(invalid URL)';
  }
}
