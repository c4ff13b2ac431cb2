import { POLICY_BOUNDS } from '../../core/policies.ts';

const secret = (minLength: number) => ({ type: 'string', minLength, maxLength: 4096 }) as const;
/** `whsec_` secrets separated by commas or spaces; the format is checked by `parseSecrets` (core/signing.ts). */
const webhookSecrets = { type: 'string', maxLength: 2000, format: 'webhook-secrets' } as const;
/** A webhook URL needs its secrets: the `whsec_` list, or (deprecated, for one release) the single raw secret. */
const secretsFor = (name: string) => ({ anyOf: [{ required: [`${name}S`] }, { required: [name] }] }) as const;
const url = (schemes: string) =>
  ({ type: 'string', format: 'uri', pattern: `^(${schemes})://`, maxLength: 2048 }) as const;
// host:port pairs, comma-separated: `10.0.0.1:7000,10.0.0.2:7000`, `[::1]:26379`.
const NODE_LIST =
  '^(?:\\[[0-9A-Fa-f:]+\\]|[A-Za-z0-9.-]+):\\d{1,5}(?:,(?:\\[[0-9A-Fa-f:]+\\]|[A-Za-z0-9.-]+):\\d{1,5})*$';
const ids = {
  type: 'array',
  items: { type: 'string', minLength: 1, maxLength: 200 },
  maxItems: 500,
  uniqueItems: true,
};

/** The environment variables support-verify reads (names fixed: docs/architecture.md#environment-variables), as strings. */
export const envSchema = {
  type: 'object',
  properties: {
    NODE_ENV: { enum: ['development', 'production', 'test'] },
    HOST: { type: 'string', pattern: '^[A-Za-z0-9.:%_-]{1,253}$' },
    PORT: {
      type: 'string',
      pattern: '^(?:[1-9]\\d{0,3}|[1-5]\\d{4}|6[0-4]\\d{3}|65[0-4]\\d{2}|655[0-2]\\d|6553[0-5])$',
    },
    METRICS_PORT: {
      type: 'string',
      pattern: '^(?:[1-9]\\d{0,3}|[1-5]\\d{4}|6[0-4]\\d{3}|65[0-4]\\d{2}|655[0-2]\\d|6553[0-5])$',
    },
    METRICS_TOKEN: secret(32),
    CHAT_TOKEN_KEY: secret(32),
    WEBCHAT_ORIGINS: { type: 'string', maxLength: 4000, pattern: '^https?://[^\\s,/]+(?:,https?://[^\\s,/]+)*$' },
    PUBLIC_URL: url('https?'),
    REDIS_URL: url('rediss?'),
    REDIS_CLUSTER_NODES: { type: 'string', pattern: NODE_LIST, maxLength: 4096 },
    REDIS_SENTINELS: { type: 'string', pattern: NODE_LIST, maxLength: 4096 },
    REDIS_SENTINEL_NAME: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,200}$' },
    REDIS_USERNAME: { type: 'string', minLength: 1, maxLength: 200 },
    REDIS_PASSWORD: secret(1),
    REDIS_SENTINEL_PASSWORD: secret(1),
    REDIS_TLS: { enum: ['on', 'off'] },
    REDIS_WAIT_REPLICAS: { type: 'string', pattern: '^[0-5]$' },
    SLACK_SIGNING_SECRET: secret(16),
    SLACK_BOT_TOKEN: { type: 'string', pattern: '^xoxb-[A-Za-z0-9-]+$' },
    SLACK_APP_TOKEN: { type: 'string', pattern: '^xapp-[A-Za-z0-9-]+$' },
    SLACK_API_URL: url('https?'),
    MicrosoftAppId: {
      type: 'string',
      pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$',
    },
    MicrosoftAppPassword: secret(8),
    MicrosoftAppType: { enum: ['MultiTenant', 'SingleTenant', 'UserAssignedMSI'] },
    MicrosoftAppTenantId: { type: 'string', minLength: 1, maxLength: 200 },
    CertificateThumbprint: { type: 'string', pattern: '^[0-9A-Fa-f]{40}$' },
    CertificatePrivateKey: {
      type: 'string',
      maxLength: 65536,
      pattern: '-----BEGIN (?:RSA |EC )?PRIVATE KEY-----',
    },
    TRUSTED_PROXIES: { type: 'string', maxLength: 4000, pattern: '^[0-9A-Fa-f.:/]+(?:,[0-9A-Fa-f.:/]+)*$' },
    PORTAL_API_KEYS: { type: 'string', pattern: '^[A-Za-z0-9._~+/=-]{24,}(?:,[A-Za-z0-9._~+/=-]{24,})*$' },
    DEVICE_PROMPTS: { enum: ['webhook', 'passkey', 'simulated'] },
    DEVICE_WEBHOOK_URL: url('https?'),
    DEVICE_WEBHOOK_SECRETS: webhookSecrets,
    DEVICE_WEBHOOK_SECRET: secret(32),
    DEVICE_TOKEN_KEY: secret(32),
    // A P-256 public key (65 bytes, uncompressed) and private key (32 bytes), base64url: `npx web-push generate-vapid-keys`.
    VAPID_PUBLIC_KEY: { type: 'string', pattern: '^[A-Za-z0-9_-]{87}$' },
    VAPID_PRIVATE_KEY: { type: 'string', pattern: '^[A-Za-z0-9_-]{43}$' },
    VAPID_SUBJECT: { type: 'string', pattern: '^(?:mailto:[^\\s@]+@[^\\s@]+|https://[^\\s]+)$', maxLength: 512 },
    PIN_PEPPER: secret(32),
    AUDIT_KEY: secret(32),
    AUDIT_RETENTION_DAYS: { type: 'string', pattern: '^(?:[1-9]\\d{0,2}|[1-2]\\d{3}|3[0-5]\\d{2}|36[0-4]\\d|3650)$' },
    SHUTDOWN_DRAIN_SECONDS: { type: 'string', pattern: '^(?:[0-9]|[1-5][0-9]|60)$' },
    SMTP_URL: url('smtps?'),
    SECURITY_WEBHOOK_URL: url('https?'),
    SECURITY_WEBHOOK_SECRETS: webhookSecrets,
    SECURITY_WEBHOOK_SECRET: secret(32),
    ACCOUNTS_URL: url('https?'),
    LOG_LEVEL: { enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] },
    CONFIG_FILE: { type: 'string', minLength: 1, maxLength: 4096 },
    OUTBOX_DIR: { type: 'string', minLength: 1, maxLength: 4096 },
    PLAYGROUND: { enum: ['on', 'off'] },
  },
  dependencies: {
    DEVICE_WEBHOOK_URL: secretsFor('DEVICE_WEBHOOK_SECRET'),
    VAPID_PUBLIC_KEY: ['VAPID_PRIVATE_KEY', 'VAPID_SUBJECT'],
    VAPID_PRIVATE_KEY: ['VAPID_PUBLIC_KEY'],
    VAPID_SUBJECT: ['VAPID_PUBLIC_KEY'],
    SECURITY_WEBHOOK_URL: secretsFor('SECURITY_WEBHOOK_SECRET'),
    MicrosoftAppId: ['MicrosoftAppType'],
    SLACK_BOT_TOKEN: ['SLACK_SIGNING_SECRET'],
    SLACK_SIGNING_SECRET: ['SLACK_BOT_TOKEN'],
    SLACK_APP_TOKEN: ['SLACK_BOT_TOKEN'],
    CertificateThumbprint: ['CertificatePrivateKey', 'MicrosoftAppId'],
    CertificatePrivateKey: ['CertificateThumbprint', 'MicrosoftAppId'],
  },
  allOf: [
    {
      if: { properties: { NODE_ENV: { const: 'production' } }, required: ['NODE_ENV'] },
      // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword, not a thenable.
      then: {
        anyOf: [{ required: ['REDIS_URL'] }, { required: ['REDIS_CLUSTER_NODES'] }, { required: ['REDIS_SENTINELS'] }],
        required: ['PUBLIC_URL', 'PIN_PEPPER', 'AUDIT_KEY', 'PORTAL_API_KEYS', 'SMTP_URL', 'ACCOUNTS_URL'],
      },
    },
    {
      if: {
        properties: { MicrosoftAppType: { enum: ['MultiTenant', 'SingleTenant'] } },
        required: ['MicrosoftAppType'],
      },
      // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword, not a thenable.
      then: {
        required: ['MicrosoftAppId'],
        anyOf: [{ required: ['MicrosoftAppPassword'] }, { required: ['CertificatePrivateKey'] }],
      },
    },
    {
      if: { properties: { MicrosoftAppType: { const: 'SingleTenant' } }, required: ['MicrosoftAppType'] },
      // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword, not a thenable.
      then: { required: ['MicrosoftAppTenantId'] },
    },
  ],
} as const;

/**
 * Variables that hold a secret: each may instead be read from a file named by `<NAME>_FILE` (a mounted
 * Kubernetes or Docker secret), so the value never sits in the environment or the process list.
 */
export const SECRET_VARIABLES = [
  'METRICS_TOKEN',
  'CHAT_TOKEN_KEY',
  'REDIS_URL',
  'REDIS_PASSWORD',
  'REDIS_SENTINEL_PASSWORD',
  'SLACK_SIGNING_SECRET',
  'SLACK_BOT_TOKEN',
  'SLACK_APP_TOKEN',
  'MicrosoftAppPassword',
  'CertificatePrivateKey',
  'PORTAL_API_KEYS',
  'DEVICE_WEBHOOK_SECRETS',
  'DEVICE_WEBHOOK_SECRET',
  'DEVICE_TOKEN_KEY',
  'VAPID_PRIVATE_KEY',
  'PIN_PEPPER',
  'AUDIT_KEY',
  'SMTP_URL',
  'SECURITY_WEBHOOK_SECRETS',
  'SECURITY_WEBHOOK_SECRET',
] as const satisfies readonly (keyof typeof envSchema.properties)[];

/** What each variable must be, in words, for the start-up error list. */
export const ENV_HINTS: Readonly<Record<string, string>> = {
  NODE_ENV: 'must be development, production or test',
  HOST: 'must be an address or host name to listen on, e.g. 0.0.0.0',
  PORT: 'must be a port number from 1 to 65535',
  METRICS_PORT: 'must be a port number from 1 to 65535 (served on loopback only)',
  METRICS_TOKEN: 'must be at least 32 characters (e.g. `openssl rand -hex 32`)',
  CHAT_TOKEN_KEY: 'must be at least 32 characters (e.g. `openssl rand -hex 32`)',
  WEBCHAT_ORIGINS: 'must be comma-separated origins such as https://www.example.com (scheme and host, no path)',
  PUBLIC_URL: 'must be the http(s) URL where this server is reached, e.g. https://verify.example.com',
  REDIS_URL: 'must be a redis:// or rediss:// URL',
  REDIS_CLUSTER_NODES:
    'must be comma-separated host:port pairs of Redis Cluster nodes, e.g. 10.0.0.1:7000,10.0.0.2:7000',
  REDIS_SENTINELS: 'must be comma-separated host:port pairs of Redis Sentinels, e.g. 10.0.0.1:26379,10.0.0.2:26379',
  REDIS_SENTINEL_NAME: 'must be the master name the sentinels monitor (letters, digits, . _ -)',
  REDIS_USERNAME: 'must be the Redis ACL user name',
  REDIS_PASSWORD: 'must be the Redis password',
  REDIS_SENTINEL_PASSWORD: 'must be the Sentinel password',
  REDIS_TLS: 'must be on or off',
  REDIS_WAIT_REPLICAS: 'must be a number of replicas from 0 to 5',
  SLACK_SIGNING_SECRET: 'must be the Signing Secret from the Slack app’s Basic Information page',
  SLACK_BOT_TOKEN: 'must be a bot token starting with xoxb-',
  SLACK_APP_TOKEN: 'must be an app-level token starting with xapp-',
  SLACK_API_URL: 'must be an http(s) URL ending in /api/',
  MicrosoftAppId: 'must be the bot’s Microsoft App ID (a GUID)',
  MicrosoftAppPassword: 'must be the bot’s client secret',
  MicrosoftAppType: 'must be MultiTenant, SingleTenant or UserAssignedMSI',
  MicrosoftAppTenantId: 'must be the Entra tenant id',
  CertificateThumbprint: 'must be the SHA-1 thumbprint of the app’s certificate (40 hex digits)',
  CertificatePrivateKey:
    'must be a PEM with the app’s private key and, for Microsoft Graph group checks, its certificate (a NAME_FILE works best)',
  TRUSTED_PROXIES: 'must be comma-separated addresses or CIDR blocks of your reverse proxies, e.g. 10.0.0.0/8,fd00::/8',
  PORTAL_API_KEYS: 'must be one or more comma-separated keys of at least 24 URL-safe characters',
  DEVICE_PROMPTS:
    'must be webhook (your device service at DEVICE_WEBHOOK_URL), passkey (built-in passkeys and Web Push) or simulated (development only)',
  DEVICE_WEBHOOK_URL: 'must be the http(s) URL of your device service',
  DEVICE_TOKEN_KEY: 'must be at least 32 characters (e.g. `openssl rand -hex 32`)',
  VAPID_PUBLIC_KEY: 'must be a VAPID public key, 87 base64url characters (`npx web-push generate-vapid-keys`)',
  VAPID_PRIVATE_KEY: 'must be the VAPID private key, 43 base64url characters (`npx web-push generate-vapid-keys`)',
  VAPID_SUBJECT: 'must be a mailto: address or an https:// URL where the push service can reach you',
  DEVICE_WEBHOOK_SECRETS:
    'must be one to 8 secrets separated by commas or spaces, each whsec_ followed by the base64 of 24 to 64 random bytes (e.g. `echo whsec_$(openssl rand -base64 32)`)',
  DEVICE_WEBHOOK_SECRET: 'must be at least 32 characters (deprecated: use DEVICE_WEBHOOK_SECRETS)',
  PIN_PEPPER: 'must be at least 32 characters (e.g. `openssl rand -hex 32`)',
  AUDIT_KEY: 'must be at least 32 characters (e.g. `openssl rand -hex 32`)',
  AUDIT_RETENTION_DAYS: 'must be a number of days from 1 to 3650',
  SHUTDOWN_DRAIN_SECONDS: 'must be a number of seconds from 0 to 60 (how long /readyz says 503 before stopping)',
  SMTP_URL: 'must be an smtp:// or smtps:// URL',
  SECURITY_WEBHOOK_URL: 'must be the http(s) URL that receives security alerts',
  SECURITY_WEBHOOK_SECRETS:
    'must be one to 8 secrets separated by commas or spaces, each whsec_ followed by the base64 of 24 to 64 random bytes (e.g. `echo whsec_$(openssl rand -base64 32)`)',
  SECURITY_WEBHOOK_SECRET: 'must be at least 32 characters (deprecated: use SECURITY_WEBHOOK_SECRETS)',
  ACCOUNTS_URL: 'must be the http(s) URL of your account directory',
  LOG_LEVEL: 'must be fatal, error, warn, info, debug, trace or silent',
  CONFIG_FILE: 'must be the path of a JSON config file',
  OUTBOX_DIR: 'must be a folder path',
  PLAYGROUND: 'must be on or off',
};

const policyProperties = Object.fromEntries(
  Object.entries(POLICY_BOUNDS).map(([name, { min, max }]) => [name, { type: 'integer', minimum: min, maximum: max }]),
);

/** The JSON file named by `CONFIG_FILE`: company details, policies within their bounds, who counts as an agent. */
export const configFileSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    company: { type: 'string', minLength: 1, maxLength: 100 },
    mailFrom: { type: 'string', minLength: 3, maxLength: 320 },
    policies: {
      type: 'object',
      additionalProperties: false,
      properties: { ...policyProperties, numberMatching: { type: 'boolean' } },
    },
    agents: {
      type: 'object',
      additionalProperties: false,
      properties: {
        slack: {
          type: 'object',
          additionalProperties: false,
          properties: { teamIds: ids, userGroupIds: ids, userIds: ids },
        },
        teams: {
          type: 'object',
          additionalProperties: false,
          properties: { tenantIds: ids, groupIds: ids, userIds: ids },
        },
      },
    },
    webchat: {
      type: 'object',
      additionalProperties: false,
      properties: {
        slackChannel: { type: 'string', pattern: '^[CG][A-Z0-9]{2,30}$' },
        agentLocale: { type: 'string', enum: ['en', 'nl'] },
        streams: {
          type: 'object',
          additionalProperties: false,
          properties: {
            perConversation: { type: 'integer', minimum: 1, maximum: 20 },
            perClient: { type: 'integer', minimum: 1, maximum: 1000 },
            perReplica: { type: 'integer', minimum: 10, maximum: 100_000 },
          },
        },
        teamsChannel: {
          type: 'object',
          additionalProperties: false,
          required: ['serviceUrl', 'channelId', 'tenantId'],
          properties: {
            serviceUrl: { type: 'string', pattern: '^https?://', maxLength: 500 },
            channelId: { type: 'string', pattern: '^19:[^\\s]{1,200}$' },
            tenantId: { type: 'string', minLength: 1, maxLength: 100 },
          },
        },
      },
    },
  },
} as const;
