import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { type Config, DEMO_PORTAL_KEY, loadConfig } from '../../../adapters/config/config.ts';
import { SECRET_VARIABLES } from '../../../adapters/config/schemas.ts';
import { ConfigInvalidError } from '../../../core/errors.ts';
import { DEFAULT_POLICIES } from '../../../core/policies.ts';

const LONG = 'x'.repeat(40);
const PRODUCTION = {
  NODE_ENV: 'production',
  REDIS_URL: 'redis://redis.internal:6379',
  PUBLIC_URL: 'https://verify.example.com',
  PIN_PEPPER: LONG,
  AUDIT_KEY: LONG,
  PORTAL_API_KEYS: 'portal-key-aaaaaaaaaaaaaaaaaaaaaaaa',
  DEVICE_WEBHOOK_URL: 'https://devices.example.com/push',
  DEVICE_WEBHOOK_SECRET: LONG,
  SMTP_URL: 'smtps://mailer:pw@smtp.example.com',
  ACCOUNTS_URL: 'https://directory.example.com/v1',
};

function problems(env: Record<string, string>, files: Record<string, string> = {}): string[] {
  try {
    loadConfig(env, (path) => {
      const content = files[path];
      if (content === undefined) throw new Error(`ENOENT: no such file, open '${path}'`);
      return content;
    });
  } catch (error) {
    if (error instanceof ConfigInvalidError) return error.problems;
    throw error;
  }
  return [];
}

describe('configuration', () => {
  it('runs on embedded defaults with nothing set', () => {
    const config: Config = loadConfig({});
    expect(config).to.deep.include({
      nodeEnv: 'development',
      port: 3978,
      publicUrl: 'http://127.0.0.1:3978',
      portalApiKeys: [DEMO_PORTAL_KEY],
      outboxDir: 'outbox',
      playground: true,
      company: 'Example Co',
    });
    expect(config.redis).to.equal(undefined);
    expect(config.policies).to.deep.equal(DEFAULT_POLICIES);
    expect(config.defaulted).to.deep.equal(['PIN_PEPPER', 'AUDIT_KEY', 'DEVICE_WEBHOOK_SECRETS', 'PORTAL_API_KEYS']);
    expect(config.deprecated).to.deep.equal([]);
  });

  it('accepts a complete production configuration', () => {
    const config = loadConfig(PRODUCTION);
    expect(config.defaulted).to.deep.equal([]);
    expect(config.playground).to.equal(false);
    expect(config.portalApiKeys).to.deep.equal(['portal-key-aaaaaaaaaaaaaaaaaaaaaaaa']);
  });

  it('refuses production without Redis, naming the three ways to reach it', () => {
    const { REDIS_URL: _, ...env } = PRODUCTION;
    expect(problems(env)).to.deep.equal([
      'REDIS_URL, REDIS_CLUSTER_NODES or REDIS_SENTINELS is required when NODE_ENV=production (the in-memory store is single-instance)',
    ]);
  });

  it('reaches Redis as one server, a Cluster or a Sentinel-managed master', () => {
    const { REDIS_URL: _, ...env } = PRODUCTION;
    expect(loadConfig(PRODUCTION).redis).to.deep.equal({ mode: 'standalone', url: 'redis://redis.internal:6379' });
    expect(
      loadConfig({
        ...env,
        REDIS_CLUSTER_NODES: '10.0.0.1:7000,redis-b.internal:7001,[::1]:7002',
        REDIS_PASSWORD: 'pw',
      }).redis,
    ).to.deep.equal({
      mode: 'cluster',
      nodes: [
        { host: '10.0.0.1', port: 7000 },
        { host: 'redis-b.internal', port: 7001 },
        { host: '::1', port: 7002 },
      ],
      password: 'pw',
    });
    expect(loadConfig({ ...env, REDIS_SENTINELS: 's1:26379,s2:26379', REDIS_TLS: 'on' }).redis).to.deep.equal({
      mode: 'sentinel',
      sentinels: [
        { host: 's1', port: 26379 },
        { host: 's2', port: 26379 },
      ],
      name: 'mymaster',
      tls: true,
    });
    expect(loadConfig({ ...env, REDIS_SENTINELS: 's1:26379', REDIS_SENTINEL_NAME: 'verify-main' }).redis).to.include({
      name: 'verify-main',
    });
  });

  it('refuses two ways to reach Redis at once, and malformed node lists', () => {
    expect(problems({ REDIS_URL: 'redis://a:6379', REDIS_SENTINELS: 's1:26379' })).to.deep.equal([
      'set only one of REDIS_URL, REDIS_SENTINELS: each is a way to reach Redis on its own',
    ]);
    expect(problems({ REDIS_CLUSTER_NODES: 'redis://a:7000' })).to.deep.equal([
      'REDIS_CLUSTER_NODES must be comma-separated host:port pairs of Redis Cluster nodes, e.g. 10.0.0.1:7000,10.0.0.2:7000',
    ]);
    expect(problems({ REDIS_SENTINELS: 'a:26379,b' })).to.have.length(1);
    expect(problems({ REDIS_CLUSTER_NODES: 'a:70000' })).to.deep.equal([
      'REDIS_CLUSTER_NODES has a port outside 1–65535',
    ]);
  });

  it('refuses production on development values, naming every missing variable', () => {
    expect(problems({ NODE_ENV: 'production' })).to.have.members([
      'REDIS_URL, REDIS_CLUSTER_NODES or REDIS_SENTINELS is required when NODE_ENV=production (the in-memory store is single-instance)',
      'PUBLIC_URL is required when NODE_ENV=production',
      'PIN_PEPPER is required when NODE_ENV=production',
      'AUDIT_KEY is required when NODE_ENV=production',
      'PORTAL_API_KEYS is required when NODE_ENV=production',
      'DEVICE_WEBHOOK_URL is required when NODE_ENV=production (or DEVICE_PROMPTS=passkey, the built-in passkeys)',
      'SMTP_URL is required when NODE_ENV=production',
      'ACCOUNTS_URL is required when NODE_ENV=production',
    ]);
  });

  it('names each invalid variable, all at once, and never echoes a value', () => {
    const found = problems({
      PORT: '99999',
      REDIS_URL: 'http://localhost:6379',
      PIN_PEPPER: 'short-secret-value',
      SLACK_BOT_TOKEN: 'xoxp-user-token',
      SLACK_SIGNING_SECRET: 'abcdefabcdefabcdef',
      MicrosoftAppType: 'Sometimes',
      LOG_LEVEL: 'loud',
      PLAYGROUND: 'maybe',
      REDIS_WAIT_REPLICAS: 'all',
    });
    expect(found.map((p) => p.split(' ')[0])).to.have.members([
      'PORT',
      'REDIS_URL',
      'PIN_PEPPER',
      'SLACK_BOT_TOKEN',
      'MicrosoftAppType',
      'LOG_LEVEL',
      'PLAYGROUND',
      'REDIS_WAIT_REPLICAS',
    ]);
    expect(found.join('\n')).to.not.contain('short-secret-value').and.not.contain('xoxp-user-token');
  });

  it('requires the partner of a variable that needs one', () => {
    expect(problems({ DEVICE_WEBHOOK_URL: 'https://devices.example.com' })).to.deep.equal([
      'DEVICE_WEBHOOK_SECRETS is required when DEVICE_WEBHOOK_URL is set (or, for one release, the deprecated DEVICE_WEBHOOK_SECRET)',
    ]);
    expect(problems({ SECURITY_WEBHOOK_URL: 'https://siem.example.com' })).to.deep.equal([
      'SECURITY_WEBHOOK_SECRETS is required when SECURITY_WEBHOOK_URL is set (or, for one release, the deprecated SECURITY_WEBHOOK_SECRET)',
    ]);
    expect(problems({ SLACK_BOT_TOKEN: 'xoxb-1-2-abc' })).to.deep.equal([
      'SLACK_SIGNING_SECRET is required when SLACK_BOT_TOKEN is set',
    ]);
    expect(problems({ SLACK_SIGNING_SECRET: 'a'.repeat(32) })).to.deep.equal([
      'SLACK_BOT_TOKEN is required when SLACK_SIGNING_SECRET is set',
    ]);
    expect(problems({ MicrosoftAppType: 'SingleTenant' })).to.have.members([
      'MicrosoftAppId is required by the MicrosoftAppType you set',
      'MicrosoftAppPassword or CertificatePrivateKey is required by the MicrosoftAppType you set',
      'MicrosoftAppTenantId is required by the MicrosoftAppType you set',
    ]);
  });

  it('takes a certificate instead of a client secret for Teams, under the Bot Framework’s own variable names', () => {
    const key =
      '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n-----BEGIN CERTIFICATE-----\nMIID\n-----END CERTIFICATE-----';
    const teams = {
      MicrosoftAppId: '5a3e9c1b-0000-4000-8000-00000000b071',
      MicrosoftAppType: 'SingleTenant',
      MicrosoftAppTenantId: 'tenant',
    };
    const config = loadConfig({ ...teams, CertificateThumbprint: 'AB'.repeat(20), CertificatePrivateKey: key });
    expect(config.teams).to.include({ certificateThumbprint: 'AB'.repeat(20), certificatePrivateKey: key });
    expect(problems({ ...teams, CertificatePrivateKey: key })).to.deep.equal([
      'CertificateThumbprint is required when CertificatePrivateKey is set',
    ]);
    expect(problems({ ...teams, CertificateThumbprint: 'nope', CertificatePrivateKey: 'not a key' })).to.have.members([
      'CertificateThumbprint must be the SHA-1 thumbprint of the app’s certificate (40 hex digits)',
      'CertificatePrivateKey must be a PEM with the app’s private key and, for Microsoft Graph group checks, its certificate (a NAME_FILE works best)',
    ]);
  });

  describe('webhook secrets', () => {
    const secretOf = (bytes: number, fill = 1) => `whsec_${Buffer.alloc(bytes, fill).toString('base64')}`;
    const A = secretOf(32, 1);
    const B = secretOf(24, 2);
    const { DEVICE_WEBHOOK_SECRET: _, ...PRODUCTION_WITHOUT_SECRET } = PRODUCTION;

    it('reads DEVICE_WEBHOOK_SECRETS as whsec_ secrets separated by commas or spaces: every one a key', () => {
      for (const list of [`${A},${B}`, `${A} ${B}`, `${A}, ${B}`, `${A}\n${B}`]) {
        const { device, defaulted, deprecated } = loadConfig({ DEVICE_WEBHOOK_SECRETS: list });
        expect(device.keys.all.map((key) => key.toString('base64'))).to.deep.equal([
          Buffer.alloc(32, 1).toString('base64'),
          Buffer.alloc(24, 2).toString('base64'),
        ]);
        expect(device.keys.legacy.equals(Buffer.alloc(32, 1)), 'the old headers: the first').to.equal(true);
        expect(defaulted).to.not.include('DEVICE_WEBHOOK_SECRETS');
        expect(deprecated).to.deep.equal([]);
      }
    });

    it('keeps the deprecated DEVICE_WEBHOOK_SECRET for one release: its raw bytes, beside the list when both are set', () => {
      const raw = 'r'.repeat(40);
      const alone = loadConfig({ DEVICE_WEBHOOK_SECRET: raw });
      expect(alone.device.keys.all.map(String)).to.deep.equal([raw]);
      expect(alone.defaulted).to.not.include('DEVICE_WEBHOOK_SECRETS');
      expect(alone.deprecated).to.deep.equal([{ name: 'DEVICE_WEBHOOK_SECRET', use: 'DEVICE_WEBHOOK_SECRETS' }]);
      const both = loadConfig({ DEVICE_WEBHOOK_SECRETS: A, DEVICE_WEBHOOK_SECRET: raw });
      expect(both.device.keys.all).to.have.length(2);
      expect(String(both.device.keys.legacy), 'the old headers: the raw secret').to.equal(raw);
    });

    it('falls back to a built-in development secret, listed as defaulted', () => {
      const { device, defaulted } = loadConfig({});
      expect(device.keys.all).to.have.length(1);
      expect(String(device.keys.all[0])).to.equal('dev-only-device-secret-not-for-production');
      expect(defaulted).to.include('DEVICE_WEBHOOK_SECRETS');
    });

    it('accepts either variable in production', () => {
      expect(problems(PRODUCTION)).to.deep.equal([]);
      expect(problems({ ...PRODUCTION_WITHOUT_SECRET, DEVICE_WEBHOOK_SECRETS: A })).to.deep.equal([]);
      expect(problems(PRODUCTION_WITHOUT_SECRET)).to.deep.equal([
        'DEVICE_WEBHOOK_SECRETS is required when DEVICE_WEBHOOK_URL is set (or, for one release, the deprecated DEVICE_WEBHOOK_SECRET)',
      ]);
    });

    it('reads SECURITY_WEBHOOK_SECRETS the same way, beside the deprecated SECURITY_WEBHOOK_SECRET', () => {
      const url = 'https://siem.example.com/alerts';
      const config = loadConfig({ SECURITY_WEBHOOK_URL: url, SECURITY_WEBHOOK_SECRETS: `${A} ${B}` });
      expect(config.securityWebhook?.keys.all).to.have.length(2);
      const legacy = loadConfig({ SECURITY_WEBHOOK_URL: url, SECURITY_WEBHOOK_SECRET: LONG });
      expect(legacy.securityWebhook?.keys.all.map(String)).to.deep.equal([LONG]);
      expect(legacy.deprecated).to.deep.equal([{ name: 'SECURITY_WEBHOOK_SECRET', use: 'SECURITY_WEBHOOK_SECRETS' }]);
    });

    it('refuses malformed secrets, saying what a secret must be, and never echoes one', () => {
      const bad = [
        'x'.repeat(40), // not whsec_
        secretOf(23), // fewer than 24 bytes
        secretOf(65), // more than 64
        `${A.slice(0, -1)}`, // base64 cut short
        `whsec_${Buffer.alloc(32, 3).toString('base64url')}_-`, // not base64
        `${A.slice(0, -2)}B=`, // not canonical: bits past the end
        `${A},`.repeat(9), // more than 8
        `${A},nope`,
        'whsec_',
        `whsec_${'A'.repeat(2000)}`,
      ];
      for (const value of bad) {
        for (const name of ['DEVICE_WEBHOOK_SECRETS', 'SECURITY_WEBHOOK_SECRETS']) {
          const found = problems({ [name]: value });
          expect(found, value).to.have.length(1);
          expect(found[0]).to.match(new RegExp(`^${name} must be one to 8 secrets`, 'u'));
          expect(found[0]).to.contain('whsec_ followed by the base64 of 24 to 64 random bytes');
          if (value.length > 12) expect(found.join('\n')).to.not.contain(value.slice(6, 30));
        }
      }
    });
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ REDIS_URL: '', PORT: '  ' }).port).to.equal(3978);
  });

  it('reads policies, company and agents from CONFIG_FILE', () => {
    const file = JSON.stringify({
      company: 'Acme',
      policies: { grantMinutes: 5, numberMatching: false },
      agents: { slack: { teamIds: ['T1'] }, teams: { tenantIds: ['tenant-1'], groupIds: ['g-1'] } },
    });
    const config = loadConfig({ CONFIG_FILE: '/etc/sv.json' }, () => file);
    expect(config.company).to.equal('Acme');
    expect(config.policies).to.deep.include({ grantMinutes: 5, numberMatching: false, pinTriesPerSession: 3 });
    expect(config.agents.slack).to.deep.equal({ teamIds: ['T1'], userGroupIds: [], userIds: [] });
    expect(config.agents.teams.groupIds).to.deep.equal(['g-1']);
  });

  it('refuses policies outside their bounds and unknown settings in CONFIG_FILE', () => {
    const file = JSON.stringify({ policies: { pinTriesPerSession: 9, grantMinutes: 0 }, colour: 'blue' });
    expect(problems({ CONFIG_FILE: 'c.json' }, { 'c.json': file })).to.have.members([
      'CONFIG_FILE c.json: (top level) must NOT have additional properties "colour"',
      'CONFIG_FILE c.json: policies.pinTriesPerSession must be <= 5',
      'CONFIG_FILE c.json: policies.grantMinutes must be >= 1',
    ]);
  });

  it('bounds the web chat streams: 3 per conversation, 20 per client, 5,000 per replica unless CONFIG_FILE says', () => {
    expect(loadConfig({}).webchatStreams).to.deep.include({ perConversation: 3, perClient: 20, perReplica: 5000 });
    const file = JSON.stringify({ webchat: { slackChannel: 'C0SUPPORT', streams: { perClient: 50 } } });
    const config = loadConfig({ CONFIG_FILE: 'c.json' }, () => file);
    expect(config.webchatStreams).to.deep.include({ perConversation: 3, perClient: 50, perReplica: 5000 });
    expect(config.webchat).to.deep.equal({ slackChannel: 'C0SUPPORT' });
    const wild = JSON.stringify({ webchat: { streams: { perConversation: 0, perClient: 1001, perReplica: 9 } } });
    expect(problems({ CONFIG_FILE: 'c.json' }, { 'c.json': wild })).to.have.members([
      'CONFIG_FILE c.json: webchat.streams.perConversation must be >= 1',
      'CONFIG_FILE c.json: webchat.streams.perClient must be <= 1000',
      'CONFIG_FILE c.json: webchat.streams.perReplica must be >= 10',
    ]);
  });

  it('reads TRUSTED_PROXIES as CIDR blocks and refuses an entry that is not one', () => {
    expect(loadConfig({}).trustedProxies).to.deep.equal([]);
    expect(loadConfig({ TRUSTED_PROXIES: '10.0.0.0/8,fd00::/8' }).trustedProxies).to.deep.equal([
      '10.0.0.0/8',
      'fd00::/8',
    ]);
    for (const bad of ['10.0.0.0/33', 'proxy.internal', '10.0.0.0/8,,'])
      expect(problems({ TRUSTED_PROXIES: bad })[0], bad).to.match(/^TRUSTED_PROXIES must be comma-separated/u);
  });

  it('keeps /metrics off the public port in production unless METRICS_TOKEN guards it', () => {
    expect(loadConfig({}).metrics).to.deep.equal({});
    expect(loadConfig({ METRICS_PORT: '9100' }).metrics).to.deep.equal({ port: 9100 });
    const production = loadConfig(PRODUCTION);
    expect(production.metrics).to.deep.equal({ port: 9464 });
    const token = 'm'.repeat(32);
    expect(loadConfig({ ...PRODUCTION, METRICS_TOKEN: token }).metrics).to.deep.equal({ token });
    expect(problems({ METRICS_TOKEN: 'short' })[0]).to.match(/^METRICS_TOKEN must be at least 32/u);
    expect(problems({ METRICS_PORT: '0' })[0]).to.match(/^METRICS_PORT must be a port number/u);
  });

  describe('device prompts (DEVICE_PROMPTS)', () => {
    const VAPID = {
      VAPID_PUBLIC_KEY: 'BDd3_hVL9fZi9Ybo2UUzA284WG5FZR30_95YeZJsiApwXKpNcF1rRPF3foIiBHXRdJI2Qhumhf6_LFTeZaNndIo',
      VAPID_PRIVATE_KEY: 'xKZKYRNdFFn8iQIF2MH54KTfUHwH105zBdzMR7SI3xI',
      VAPID_SUBJECT: 'mailto:security@example.com',
    };
    const { DEVICE_WEBHOOK_URL: _url, DEVICE_WEBHOOK_SECRET: _secret, ...withoutDeviceService } = PRODUCTION;

    it('uses the simulated device on embedded defaults and the device service where one is named', () => {
      expect(loadConfig({}).device.mode).to.equal('simulated');
      expect(loadConfig(PRODUCTION).device.mode).to.equal('webhook');
      expect(
        loadConfig({ DEVICE_WEBHOOK_URL: 'https://devices.example.com/push', DEVICE_WEBHOOK_SECRET: LONG }).device.mode,
      ).to.equal('webhook');
    });

    it('runs production on the built-in passkeys without a device service, with Web Push where VAPID keys are set', () => {
      const config = loadConfig({ ...withoutDeviceService, DEVICE_PROMPTS: 'passkey', ...VAPID });
      expect(config.device.mode).to.equal('passkey');
      expect(config.device.vapid).to.deep.equal({
        publicKey: VAPID.VAPID_PUBLIC_KEY,
        privateKey: VAPID.VAPID_PRIVATE_KEY,
        subject: VAPID.VAPID_SUBJECT,
      });
      expect(loadConfig({ ...withoutDeviceService, DEVICE_PROMPTS: 'passkey' }).device.vapid).to.equal(undefined);
    });

    it('puts passkeys on localhost when PUBLIC_URL is unset: WebAuthn refuses IP addresses', () => {
      expect(loadConfig({ DEVICE_PROMPTS: 'passkey' }).publicUrl).to.equal('http://localhost:3978');
      expect(loadConfig({ DEVICE_PROMPTS: 'passkey', PUBLIC_URL: 'http://verify.localhost:8080' }).publicUrl).to.equal(
        'http://verify.localhost:8080',
      );
      expect(problems({ DEVICE_PROMPTS: 'passkey', PUBLIC_URL: 'http://127.0.0.1:3978' })).to.deep.equal([
        'PUBLIC_URL must name a host, not an IP address, with DEVICE_PROMPTS=passkey (WebAuthn needs a domain; locally, http://localhost:PORT)',
      ]);
      expect(problems({ DEVICE_PROMPTS: 'passkey', PUBLIC_URL: 'http://[::1]:3978' })).to.have.length(1);
      expect(problems({ DEVICE_PROMPTS: 'passkey', PUBLIC_URL: 'http://verify.example.com' })).to.deep.equal([
        'PUBLIC_URL must be https:// with DEVICE_PROMPTS=passkey (browsers offer passkeys on secure pages only; http:// works for localhost)',
      ]);
    });

    it('refuses a device service without its URL, the simulated device in production, and half a VAPID pair', () => {
      expect(problems({ DEVICE_PROMPTS: 'webhook' })).to.deep.equal([
        'DEVICE_WEBHOOK_URL is required when DEVICE_PROMPTS=webhook',
      ]);
      expect(problems({ ...PRODUCTION, DEVICE_PROMPTS: 'simulated' })).to.deep.equal([
        'DEVICE_PROMPTS=simulated is for development only: set webhook or passkey in production',
      ]);
      expect(problems({ DEVICE_PROMPTS: 'push' })).to.deep.equal([
        `DEVICE_PROMPTS must be webhook (your device service at DEVICE_WEBHOOK_URL), passkey (built-in passkeys and Web Push) or simulated (development only)`,
      ]);
      expect(problems({ DEVICE_PROMPTS: 'passkey', VAPID_PUBLIC_KEY: VAPID.VAPID_PUBLIC_KEY })).to.have.members([
        'VAPID_PRIVATE_KEY is required when VAPID_PUBLIC_KEY is set',
        'VAPID_SUBJECT is required when VAPID_PUBLIC_KEY is set',
      ]);
      const wrong = problems({ ...VAPID, VAPID_PRIVATE_KEY: 'short', VAPID_SUBJECT: 'http://example.com' });
      expect(wrong.join('\n')).to.not.contain('short');
      expect(wrong).to.have.length(2);
    });

    it('keys device links with their own key: DEVICE_TOKEN_KEY, or one derived from AUDIT_KEY for that use', () => {
      const audit = 'a'.repeat(40);
      const derived = loadConfig({ AUDIT_KEY: audit }).device.tokenKey;
      expect(derived).to.not.equal(loadConfig({ AUDIT_KEY: audit }).chatTokenKey);
      expect(loadConfig({ AUDIT_KEY: audit }).device.tokenKey).to.equal(derived);
      expect(loadConfig({ AUDIT_KEY: audit, DEVICE_TOKEN_KEY: 'd'.repeat(32) }).device.tokenKey).to.equal(
        'd'.repeat(32),
      );
    });
  });

  it('keys chat tokens with their own key: CHAT_TOKEN_KEY, or one derived from AUDIT_KEY for that use', () => {
    const audit = 'a'.repeat(40);
    const derived = loadConfig({ AUDIT_KEY: audit }).chatTokenKey;
    expect(derived).to.not.equal(audit);
    expect(derived).to.have.length(43);
    expect(loadConfig({ AUDIT_KEY: audit }).chatTokenKey, 'the same on every replica').to.equal(derived);
    expect(loadConfig({ AUDIT_KEY: 'b'.repeat(40) }).chatTokenKey).to.not.equal(derived);
    expect(loadConfig({ AUDIT_KEY: audit, CHAT_TOKEN_KEY: 'c'.repeat(32) }).chatTokenKey).to.equal('c'.repeat(32));
  });

  it('reads WEBCHAT_ORIGINS as the origins that may embed the chat', () => {
    expect(loadConfig({ WEBCHAT_ORIGINS: 'https://www.example.com' }).webchatOrigins).to.deep.equal([
      'https://www.example.com',
    ]);
    for (const bad of ['www.example.com', 'https://www.example.com/help', "https://x.com 'unsafe-inline'"])
      expect(problems({ WEBCHAT_ORIGINS: bad })[0], bad).to.match(/^WEBCHAT_ORIGINS must be/u);
  });

  it('says when CONFIG_FILE is missing or not JSON', () => {
    expect(problems({ CONFIG_FILE: 'missing.json' })[0]).to.match(/^CONFIG_FILE cannot be read: ENOENT/u);
    expect(problems({ CONFIG_FILE: 'bad.json' }, { 'bad.json': '{"policies": ' })[0]).to.match(
      /^CONFIG_FILE bad.json is not valid JSON/u,
    );
  });

  it('turns the playground off when a channel is configured, unless asked', () => {
    const slack = { SLACK_SIGNING_SECRET: 'a'.repeat(32), SLACK_BOT_TOKEN: 'xoxb-1-2-abc' };
    expect(loadConfig(slack).playground).to.equal(false);
    expect(loadConfig({ ...slack, PLAYGROUND: 'on' }).playground).to.equal(true);
  });

  describe('secrets from files (NAME_FILE)', () => {
    let folder: string;
    beforeEach(() => {
      folder = mkdtempSync(join(tmpdir(), 'sv-secrets-'));
    });
    afterEach(() => rmSync(folder, { recursive: true, force: true }));
    // The real file system, as a mounted secret is read.
    const fileProblems = (env: Record<string, string>) => {
      try {
        loadConfig(env);
      } catch (error) {
        if (error instanceof ConfigInvalidError) return error.problems;
        throw error;
      }
      return [];
    };
    const secretFile = (name: string, content: string) => {
      const path = join(folder, name);
      writeFileSync(path, content, { mode: 0o600 });
      return path;
    };

    it('reads every secret variable from a mounted file, dropping the newline a secret file ends with', () => {
      const { PIN_PEPPER, AUDIT_KEY, PORTAL_API_KEYS, SMTP_URL, ...rest } = PRODUCTION;
      const config = loadConfig({
        ...rest,
        PIN_PEPPER_FILE: secretFile('pepper', `${'p'.repeat(40)}\n`),
        AUDIT_KEY_FILE: secretFile('audit', 'a'.repeat(40)),
        PORTAL_API_KEYS_FILE: secretFile('portal', 'portal-key-bbbbbbbbbbbbbbbbbbbbbbbb\r\n'),
        SMTP_URL_FILE: secretFile('smtp', 'smtps://mailer:from-a-file@smtp.example.com\n'),
      });
      expect(config.pinPepper).to.equal('p'.repeat(40));
      expect(config.auditKey).to.equal('a'.repeat(40));
      expect(config.portalApiKeys).to.deep.equal(['portal-key-bbbbbbbbbbbbbbbbbbbbbbbb']);
      expect(config.smtpUrl).to.equal('smtps://mailer:from-a-file@smtp.example.com');
      expect(config.defaulted).to.not.include('PIN_PEPPER');
    });

    it('validates what a file holds as it would the variable, and never echoes it', () => {
      const found = fileProblems({ PIN_PEPPER_FILE: secretFile('short', 'too-short-secret\n') });
      expect(found).to.deep.equal(['PIN_PEPPER must be at least 32 characters (e.g. `openssl rand -hex 32`)']);
      expect(found.join(' ')).to.not.contain('too-short-secret');
    });

    it('reports an unreadable file once, not again as a missing variable', () => {
      const { PIN_PEPPER: _pepper, ...rest } = PRODUCTION;
      const missing = join(folder, 'pepper');
      expect(fileProblems({ ...rest, PIN_PEPPER_FILE: missing })).to.deep.equal([
        `PIN_PEPPER_FILE ${missing} cannot be read (ENOENT)`,
      ]);
    });

    it('refuses a file that cannot be read, and a variable set both ways, naming only the variable and the path', () => {
      const missing = join(folder, 'missing');
      expect(fileProblems({ AUDIT_KEY_FILE: missing })).to.deep.equal([
        `AUDIT_KEY_FILE ${missing} cannot be read (ENOENT)`,
      ]);
      expect(
        fileProblems({ AUDIT_KEY: 'a'.repeat(40), AUDIT_KEY_FILE: secretFile('audit', 'b'.repeat(40)) }),
      ).to.deep.equal(['set only one of AUDIT_KEY and AUDIT_KEY_FILE']);
    });

    it('offers a _FILE form for every variable that holds a secret', () => {
      for (const name of ['MicrosoftAppPassword', 'SLACK_SIGNING_SECRET', 'SLACK_BOT_TOKEN', 'REDIS_PASSWORD'])
        expect(SECRET_VARIABLES).to.include(name);
      const path = secretFile('slack', 'xoxb-1-2-fromfile\n');
      expect(loadConfig({ SLACK_SIGNING_SECRET: 'a'.repeat(32), SLACK_BOT_TOKEN_FILE: path }).slack.botToken).to.equal(
        'xoxb-1-2-fromfile',
      );
    });
  });

  it('listens on HOST: loopback unless production, where it is every address', () => {
    expect(loadConfig({}).host).to.equal('127.0.0.1');
    expect(loadConfig(PRODUCTION).host).to.equal('0.0.0.0');
    expect(loadConfig({ HOST: '0.0.0.0' }).host, 'a container in development mode').to.equal('0.0.0.0');
    expect(loadConfig({ ...PRODUCTION, HOST: '::' }).host).to.equal('::');
    expect(problems({ HOST: 'not a host' })).to.deep.equal([
      'HOST must be an address or host name to listen on, e.g. 0.0.0.0',
    ]);
  });

  it('drains for SHUTDOWN_DRAIN_SECONDS before a stop (none unless set), from 0 to 60', () => {
    expect(loadConfig({}).shutdownDrainSeconds).to.equal(0);
    expect(loadConfig({ SHUTDOWN_DRAIN_SECONDS: '5' }).shutdownDrainSeconds).to.equal(5);
    expect(problems({ SHUTDOWN_DRAIN_SECONDS: '61' })).to.deep.equal([
      'SHUTDOWN_DRAIN_SECONDS must be a number of seconds from 0 to 60 (how long /readyz says 503 before stopping)',
    ]);
  });
});
