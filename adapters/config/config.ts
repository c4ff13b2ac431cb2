import { hkdfSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import { ConfigInvalidError } from '../../core/errors.ts';
import { type Policies, resolvePolicies } from '../../core/policies.ts';
import { parseSecrets, type WebhookKeys, webhookKeys } from '../../core/signing.ts';
import { invalidProxyEntry } from '../http/client-address.ts';
import type { RedisNode, RedisTopology } from '../redis/connect.ts';
import { configFileSchema, ENV_HINTS, envSchema, SECRET_VARIABLES } from './schemas.ts';

export interface AgentDirectoryConfig {
  slack: { teamIds: string[]; userGroupIds: string[]; userIds: string[] };
  teams: { tenantIds: string[]; groupIds: string[]; userIds: string[] };
}

/** Where new web chat conversations are relayed to agents. */
export interface WebChatRelayConfig {
  /** A Slack channel id: each conversation becomes a thread there. */
  slackChannel?: string;
  /** A Teams channel: each conversation becomes a conversation (thread) there. */
  teamsChannel?: { serviceUrl: string; channelId: string; tenantId: string };
  /** The language of the notes a relayed thread carries for the agents reading it (default `en`). */
  agentLocale?: 'en' | 'nl';
}

/** How many web chat event streams a replica keeps open, and when it closes one (see ChatStreams). */
export interface WebChatStreamsConfig {
  perConversation: number;
  perClient: number;
  perReplica: number;
  heartbeatMs: number;
  idleMs: number;
}

export interface Config {
  nodeEnv: 'development' | 'production' | 'test';
  port: number;
  /** Address to listen on: loopback unless production. */
  host: string;
  /** Where the server is reached from outside; in the embedded mode, http://127.0.0.1:PORT (as the banner prints it). */
  publicUrl: string;
  /** Where Redis is; unset in the embedded mode (in-memory store, one instance). */
  redis?: RedisTopology;
  /** Replicas that must acknowledge a consumed PIN or a counted failure (`WAIT`); 0 without replicas. */
  redisWaitReplicas: number;
  slack: { signingSecret?: string; botToken?: string; appToken?: string; apiUrl?: string };
  teams: {
    appId?: string;
    appPassword?: string;
    appType?: string;
    tenantId?: string;
    certificateThumbprint?: string;
    certificatePrivateKey?: string;
  };
  portalApiKeys: string[];
  /** Reverse proxies whose `Forwarded` / `X-Forwarded-For` name the client (CIDR blocks); none by default. */
  trustedProxies: string[];
  /**
   * How device prompts reach the customer (`DEVICE_PROMPTS`): the company's device service, the built-in passkeys
   * with Web Push (`vapid` when its keys are set), or the simulated device of the embedded mode. `keys` sign
   * prompts and verify answers of the device service (`DEVICE_WEBHOOK_SECRETS`, then the deprecated
   * `DEVICE_WEBHOOK_SECRET`); `tokenKey` keys the device portal's and confirmation links' tokens.
   */
  device: {
    mode: DeviceMode;
    webhookUrl?: string;
    keys: WebhookKeys;
    tokenKey: string;
    vapid?: { publicKey: string; privateKey: string; subject: string };
  };
  pinPepper: string;
  auditKey: string;
  /** Keys the web chat's conversation tokens: CHAT_TOKEN_KEY, or derived from AUDIT_KEY for that use only. */
  chatTokenKey: string;
  /**
   * Who may read `/metrics`: with `port`, only a listener on loopback at that port (the default in production,
   * 9464); with `token`, a bearer token on the main port; otherwise anyone on the main port (development).
   */
  metrics: { port?: number; token?: string };
  /** Origins allowed to embed `/chat` in a frame; empty means any (the embed loader runs on your own site). */
  webchatOrigins: string[];
  /** After SIGTERM, how long `/readyz` says 503 while everything is still answered, before the server stops accepting. */
  shutdownDrainSeconds: number;
  /** Audit entries older than this many days are trimmed (400 unless AUDIT_RETENTION_DAYS says). */
  auditRetentionDays: number;
  smtpUrl?: string;
  /** Where security alerts are also sent, signed with every key of `SECURITY_WEBHOOK_SECRETS` (and the deprecated secret). */
  securityWebhook?: { url: string; keys: WebhookKeys };
  outboxDir: string;
  accountsUrl?: string;
  logLevel: string;
  company: string;
  mailFrom: string;
  policies: Readonly<Policies>;
  agents: AgentDirectoryConfig;
  webchat: WebChatRelayConfig;
  webchatStreams: WebChatStreamsConfig;
  playground: boolean;
  /** Variables that fell back to a built-in development value; the start banner lists them. */
  defaulted: string[];
  /** Deprecated variables that are set, each with the one to use instead; logged as warnings at start-up. */
  deprecated: Array<{ name: string; use: string }>;
}

export const DEMO_PORTAL_KEY = 'demo-portal-key';
// Development-only values: production refuses to start without real ones (see envSchema).
const DEV_SECRETS = {
  PIN_PEPPER: 'dev-only-pin-pepper-not-for-production-use',
  AUDIT_KEY: 'dev-only-audit-key-not-for-production-use!',
  // The bytes of the development secret before DEVICE_WEBHOOK_SECRETS, as a whsec_ secret.
  DEVICE_WEBHOOK_SECRETS: `whsec_${Buffer.from('dev-only-device-secret-not-for-production').toString('base64')}`,
} as const;

/** Deprecated for one release: each single raw secret, and the `whsec_` list that replaces it. */
const DEPRECATED = [
  { name: 'DEVICE_WEBHOOK_SECRET', use: 'DEVICE_WEBHOOK_SECRETS', partner: 'DEVICE_WEBHOOK_URL' },
  { name: 'SECURITY_WEBHOOK_SECRET', use: 'SECURITY_WEBHOOK_SECRETS', partner: 'SECURITY_WEBHOOK_URL' },
] as const;

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads and validates the whole configuration. Throws {@link ConfigInvalidError} listing every problem at
 * once, each with the variable's name, and never the value (it may be a secret).
 */
export function loadConfig(env: Env, readFile: (path: string) => string = (p) => readFileSync(p, 'utf8')): Config {
  const problems: string[] = [];
  const fromFiles = secretsFromFiles(env, readFile, problems);
  const known = Object.fromEntries(
    Object.keys(envSchema.properties)
      .map((name) => [name, (fromFiles[name] ?? env[name])?.trim()])
      .filter(([, value]) => value !== undefined && value !== ''),
  ) as Record<string, string>;

  const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
  addFormats.default(ajv);
  ajv.addFormat('webhook-secrets', { type: 'string', validate: (value: string) => parseSecrets(value) !== undefined });
  const validateEnv = ajv.compile(envSchema);
  if (!validateEnv(known)) problems.push(...describeEnvErrors(validateEnv.errors ?? []));
  const redisChoices = REDIS_CHOICES.filter((name) => known[name]);
  for (const name of ['REDIS_CLUSTER_NODES', 'REDIS_SENTINELS'] as const) {
    if (known[name] && nodeList(known[name]).some((node) => node.port < 1 || node.port > 65535)) {
      problems.push(`${name} has a port outside 1–65535`);
    }
  }
  if (known.TRUSTED_PROXIES && invalidProxyEntry(known.TRUSTED_PROXIES.split(',')) !== undefined)
    problems.push(`TRUSTED_PROXIES ${ENV_HINTS.TRUSTED_PROXIES}`);
  if (redisChoices.length > 1)
    problems.push(`set only one of ${redisChoices.join(', ')}: each is a way to reach Redis on its own`);
  const deviceMode = deviceModeOf(known);
  if (deviceMode === 'webhook' && !known.DEVICE_WEBHOOK_URL)
    problems.push(
      known.DEVICE_PROMPTS
        ? 'DEVICE_WEBHOOK_URL is required when DEVICE_PROMPTS=webhook'
        : 'DEVICE_WEBHOOK_URL is required when NODE_ENV=production (or DEVICE_PROMPTS=passkey, the built-in passkeys)',
    );
  if (deviceMode === 'simulated' && known.NODE_ENV === 'production')
    problems.push('DEVICE_PROMPTS=simulated is for development only: set webhook or passkey in production');
  if (deviceMode === 'passkey' && known.PUBLIC_URL) problems.push(...passkeyOriginProblems(known.PUBLIC_URL));

  let file: ReturnType<typeof readConfigFile> = {};
  if (known.CONFIG_FILE) {
    try {
      file = readConfigFile(known.CONFIG_FILE, readFile, ajv, problems);
    } catch (error) {
      problems.push(`CONFIG_FILE cannot be read: ${(error as Error).message}`);
    }
  }
  let policies: Readonly<Policies> | undefined;
  try {
    policies = resolvePolicies(file.policies);
  } catch (error) {
    problems.push(`CONFIG_FILE ${(error as Error).message}`);
  }
  // A secret whose file could not be read is reported once, as that, not again as missing.
  const unreadable = SECRET_VARIABLES.filter((name) => env[`${name}_FILE`]?.trim() && fromFiles[name] === undefined);
  const reported = problems.filter((problem) => !unreadable.some((name) => problem.startsWith(`${name} is required`)));
  if (reported.length > 0 || !policies) throw new ConfigInvalidError([...new Set(reported)]);

  const port = Number(known.PORT ?? 3978);
  const defaulted = ['PIN_PEPPER', 'AUDIT_KEY', 'DEVICE_WEBHOOK_SECRETS', 'PORTAL_API_KEYS'].filter(
    (name) => !known[name] && !(name === 'DEVICE_WEBHOOK_SECRETS' && known.DEVICE_WEBHOOK_SECRET),
  );
  const company = file.company ?? 'Example Co';
  const channelsConfigured = Boolean(known.SLACK_SIGNING_SECRET || known.MicrosoftAppId);

  return {
    nodeEnv: (known.NODE_ENV as Config['nodeEnv'] | undefined) ?? 'development',
    port,
    host: known.HOST ?? (known.NODE_ENV === 'production' ? '0.0.0.0' : '127.0.0.1'),
    // WebAuthn takes a host name, never an IP address: passkeys on this machine live at localhost.
    publicUrl: (known.PUBLIC_URL ?? `http://${deviceMode === 'passkey' ? 'localhost' : '127.0.0.1'}:${port}`).replace(
      /\/$/u,
      '',
    ),
    ...redisTopology(known),
    redisWaitReplicas: Number(known.REDIS_WAIT_REPLICAS ?? 0),
    slack: pick(known, {
      signingSecret: 'SLACK_SIGNING_SECRET',
      botToken: 'SLACK_BOT_TOKEN',
      appToken: 'SLACK_APP_TOKEN',
      apiUrl: 'SLACK_API_URL',
    }),
    teams: pick(known, {
      appId: 'MicrosoftAppId',
      appPassword: 'MicrosoftAppPassword',
      appType: 'MicrosoftAppType',
      tenantId: 'MicrosoftAppTenantId',
      certificateThumbprint: 'CertificateThumbprint',
      certificatePrivateKey: 'CertificatePrivateKey',
    }),
    trustedProxies: known.TRUSTED_PROXIES ? known.TRUSTED_PROXIES.split(',') : [],
    portalApiKeys: known.PORTAL_API_KEYS ? known.PORTAL_API_KEYS.split(',') : [DEMO_PORTAL_KEY],
    device: {
      mode: deviceMode,
      tokenKey: known.DEVICE_TOKEN_KEY ?? derivedKey(known.AUDIT_KEY ?? DEV_SECRETS.AUDIT_KEY, 'device-token'),
      ...(known.VAPID_PUBLIC_KEY && known.VAPID_PRIVATE_KEY && known.VAPID_SUBJECT
        ? {
            vapid: {
              publicKey: known.VAPID_PUBLIC_KEY,
              privateKey: known.VAPID_PRIVATE_KEY,
              subject: known.VAPID_SUBJECT,
            },
          }
        : {}),
      ...(known.DEVICE_WEBHOOK_URL ? { webhookUrl: known.DEVICE_WEBHOOK_URL } : {}),
      keys: keysOf(
        known.DEVICE_WEBHOOK_SECRETS ?? (known.DEVICE_WEBHOOK_SECRET ? undefined : DEV_SECRETS.DEVICE_WEBHOOK_SECRETS),
        known.DEVICE_WEBHOOK_SECRET,
      ),
    },
    pinPepper: known.PIN_PEPPER ?? DEV_SECRETS.PIN_PEPPER,
    auditKey: known.AUDIT_KEY ?? DEV_SECRETS.AUDIT_KEY,
    chatTokenKey: known.CHAT_TOKEN_KEY ?? derivedKey(known.AUDIT_KEY ?? DEV_SECRETS.AUDIT_KEY, 'chat-token'),
    metrics: {
      ...(known.METRICS_TOKEN ? { token: known.METRICS_TOKEN } : {}),
      ...(known.METRICS_PORT
        ? { port: Number(known.METRICS_PORT) }
        : known.NODE_ENV === 'production' && !known.METRICS_TOKEN
          ? { port: 9464 }
          : {}),
    },
    webchatOrigins: known.WEBCHAT_ORIGINS ? known.WEBCHAT_ORIGINS.split(',') : [],
    auditRetentionDays: Number(known.AUDIT_RETENTION_DAYS ?? 400),
    shutdownDrainSeconds: Number(known.SHUTDOWN_DRAIN_SECONDS ?? 0),
    ...(known.SMTP_URL ? { smtpUrl: known.SMTP_URL } : {}),
    ...(known.SECURITY_WEBHOOK_URL && (known.SECURITY_WEBHOOK_SECRETS || known.SECURITY_WEBHOOK_SECRET)
      ? {
          securityWebhook: {
            url: known.SECURITY_WEBHOOK_URL,
            keys: keysOf(known.SECURITY_WEBHOOK_SECRETS, known.SECURITY_WEBHOOK_SECRET),
          },
        }
      : {}),
    outboxDir: known.OUTBOX_DIR ?? 'outbox',
    ...(known.ACCOUNTS_URL ? { accountsUrl: known.ACCOUNTS_URL } : {}),
    logLevel: known.LOG_LEVEL ?? 'info',
    company,
    mailFrom: file.mailFrom ?? `${company} Support <no-reply@support-verify.invalid>`,
    policies,
    agents: {
      slack: { teamIds: [], userGroupIds: [], userIds: [], ...file.agents?.slack },
      teams: { tenantIds: [], groupIds: [], userIds: [], ...file.agents?.teams },
    },
    webchat: relayOf(file.webchat),
    webchatStreams: {
      perConversation: file.webchat?.streams?.perConversation ?? 3,
      perClient: file.webchat?.streams?.perClient ?? 20,
      perReplica: file.webchat?.streams?.perReplica ?? 5000,
      heartbeatMs: 25_000,
      idleMs: 30 * 60_000,
    },
    playground: known.PLAYGROUND ? known.PLAYGROUND === 'on' : !channelsConfigured && known.NODE_ENV !== 'production',
    defaulted,
    deprecated: DEPRECATED.filter(({ name }) => known[name]).map(({ name, use }) => ({ name, use })),
  };
}

/** `<NAME>_FILE` for each secret variable: the file's content, its trailing newline dropped (as `echo` leaves one). */
function secretsFromFiles(env: Env, readFile: (path: string) => string, problems: string[]): Record<string, string> {
  const values: Record<string, string> = {};
  for (const name of SECRET_VARIABLES) {
    const path = env[`${name}_FILE`]?.trim();
    if (!path) continue;
    if (env[name]?.trim()) {
      problems.push(`set only one of ${name} and ${name}_FILE`);
      continue;
    }
    try {
      values[name] = readFile(path).replace(/\r?\n$/u, '');
    } catch (error) {
      // The path is the operator's; the content, which may be a secret, is never read into a message.
      problems.push(`${name}_FILE ${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
  return values;
}

/** The keys of a validated `whsec_` list and of the deprecated raw secret (its UTF-8 bytes, as before). */
export type DeviceMode = 'webhook' | 'passkey' | 'simulated';

/** `DEVICE_PROMPTS`, or what its absence means: the device service where one is named (and in production). */
function deviceModeOf(known: Record<string, string>): DeviceMode {
  if (known.DEVICE_PROMPTS) return known.DEVICE_PROMPTS as DeviceMode;
  return known.DEVICE_WEBHOOK_URL || known.NODE_ENV === 'production' ? 'webhook' : 'simulated';
}

/** WebAuthn's rules for an origin: a host name (no IP address), and https except on localhost. */
function passkeyOriginProblems(publicUrl: string): string[] {
  let url: URL;
  try {
    url = new URL(publicUrl);
  } catch {
    return [];
  }
  const host = url.hostname;
  if (/^\d+\.\d+\.\d+\.\d+$/u.test(host) || host.startsWith('['))
    return [
      'PUBLIC_URL must name a host, not an IP address, with DEVICE_PROMPTS=passkey (WebAuthn needs a domain; locally, http://localhost:PORT)',
    ];
  const local = host === 'localhost' || host.endsWith('.localhost');
  if (url.protocol !== 'https:' && !local)
    return [
      'PUBLIC_URL must be https:// with DEVICE_PROMPTS=passkey (browsers offer passkeys on secure pages only; http:// works for localhost)',
    ];
  return [];
}

function keysOf(secrets: string | undefined, legacySecret: string | undefined): WebhookKeys {
  return webhookKeys(secrets ? (parseSecrets(secrets) ?? []) : [], legacySecret);
}

/** A key for one use, derived from a secret with HKDF, so that use never shares the secret's own key. */
function derivedKey(secret: string, use: string): string {
  return Buffer.from(hkdfSync('sha256', secret, '', `support-verify ${use} v1`, 32)).toString('base64url');
}

interface ConfigFile {
  company?: string;
  mailFrom?: string;
  policies?: Partial<Policies>;
  agents?: { slack?: Partial<AgentDirectoryConfig['slack']>; teams?: Partial<AgentDirectoryConfig['teams']> };
  webchat?: WebChatRelayConfig & {
    streams?: Partial<Pick<WebChatStreamsConfig, 'perConversation' | 'perClient' | 'perReplica'>>;
  };
}

function relayOf(webchat: ConfigFile['webchat']): WebChatRelayConfig {
  const { streams: _streams, ...relay } = webchat ?? {};
  return relay;
}

function readConfigFile(path: string, readFile: (path: string) => string, ajv: Ajv, problems: string[]): ConfigFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFile(path));
  } catch (error) {
    if (error instanceof SyntaxError) {
      problems.push(`CONFIG_FILE ${path} is not valid JSON: ${error.message}`);
      return {};
    }
    throw error;
  }
  const validate = ajv.compile<ConfigFile>(configFileSchema);
  if (validate(parsed)) return parsed;
  for (const error of validate.errors ?? []) {
    const where = error.instancePath.replace(/^\//u, '').replaceAll('/', '.') || '(top level)';
    const extra = error.keyword === 'additionalProperties' ? ` "${String(error.params.additionalProperty)}"` : '';
    problems.push(`CONFIG_FILE ${path}: ${where} ${error.message ?? 'is invalid'}${extra}`);
  }
  return {};
}

function describeEnvErrors(errors: ErrorObject[]): string[] {
  const problems: string[] = [];
  for (const error of errors) {
    if (error.keyword === 'if') continue;
    if (error.keyword === 'required' || error.keyword === 'dependencies') {
      const missing = String(error.params.missingProperty);
      const because =
        error.keyword === 'dependencies'
          ? `is required when ${String(error.params.property)} is set`
          : error.schemaPath.includes('allOf/0')
            ? 'is required when NODE_ENV=production'
            : 'is required by the MicrosoftAppType you set';
      // The alternatives are reported once each, by the anyOf below.
      if (error.schemaPath.includes('anyOf')) continue;
      problems.push(`${missing} ${because}`);
      continue;
    }
    if (error.keyword === 'anyOf' && error.schemaPath.startsWith('#/dependencies/')) {
      const property = error.schemaPath.split('/')[2] ?? '';
      const legacy = DEPRECATED.find(({ partner }) => partner === property);
      problems.push(
        legacy
          ? `${legacy.use} is required when ${property} is set (or, for one release, the deprecated ${legacy.name})`
          : `a partner of ${property} is required when it is set`,
      );
      continue;
    }
    if (error.keyword === 'anyOf' && !error.schemaPath.includes('allOf/0')) {
      problems.push('MicrosoftAppPassword or CertificatePrivateKey is required by the MicrosoftAppType you set');
      continue;
    }
    if (error.keyword === 'anyOf') {
      problems.push(
        `${REDIS_CHOICES.join(', ').replace(/, (?=[^,]*$)/u, ' or ')} is required when NODE_ENV=production (the in-memory store is single-instance)`,
      );
      continue;
    }
    const name = error.instancePath.replace(/^\//u, '');
    problems.push(`${name} ${ENV_HINTS[name] ?? error.message ?? 'is invalid'}`);
  }
  return problems;
}

const REDIS_CHOICES = ['REDIS_URL', 'REDIS_CLUSTER_NODES', 'REDIS_SENTINELS'] as const;

function redisTopology(known: Record<string, string>): { redis?: RedisTopology } {
  const auth = {
    ...(known.REDIS_USERNAME ? { username: known.REDIS_USERNAME } : {}),
    ...(known.REDIS_PASSWORD ? { password: known.REDIS_PASSWORD } : {}),
    ...(known.REDIS_TLS === 'on' ? { tls: true } : {}),
  };
  if (known.REDIS_URL) return { redis: { mode: 'standalone', url: known.REDIS_URL } };
  if (known.REDIS_CLUSTER_NODES)
    return { redis: { mode: 'cluster', nodes: nodeList(known.REDIS_CLUSTER_NODES), ...auth } };
  if (known.REDIS_SENTINELS) {
    return {
      redis: {
        mode: 'sentinel',
        sentinels: nodeList(known.REDIS_SENTINELS),
        name: known.REDIS_SENTINEL_NAME ?? 'mymaster',
        ...auth,
        ...(known.REDIS_SENTINEL_PASSWORD ? { sentinelPassword: known.REDIS_SENTINEL_PASSWORD } : {}),
      },
    };
  }
  return {};
}

function nodeList(value: string): RedisNode[] {
  return value.split(',').map((entry) => {
    const at = entry.lastIndexOf(':');
    return { host: entry.slice(0, at).replace(/^\[(.*)\]$/u, '$1'), port: Number(entry.slice(at + 1)) };
  });
}

function pick<K extends string>(source: Record<string, string>, names: Record<K, string>): Partial<Record<K, string>> {
  const out: Partial<Record<K, string>> = {};
  for (const [key, name] of Object.entries(names) as [K, string][]) if (source[name]) out[key] = source[name];
  return out;
}
