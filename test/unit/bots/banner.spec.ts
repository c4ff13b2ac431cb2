import { expect } from 'chai';
import { loadConfig } from '../../../adapters/config/config.ts';
import { renderBanner } from '../../../bots/banner.ts';

const LONG = 'x'.repeat(40);
const PRODUCTION = {
  NODE_ENV: 'production',
  REDIS_URL: 'redis://:redis-s3cret@redis.internal:6379',
  PUBLIC_URL: 'https://verify.example.com',
  PIN_PEPPER: LONG,
  AUDIT_KEY: LONG,
  PORTAL_API_KEYS: 'portal-key-aaaaaaaaaaaaaaaaaaaaaaaa',
  DEVICE_WEBHOOK_URL: 'https://devices.example.com/push',
  DEVICE_WEBHOOK_SECRETS: `whsec_${Buffer.alloc(32, 7).toString('base64')}`,
  SMTP_URL: 'smtps://mailer:smtp-s3cret@smtp.example.com',
  ACCOUNTS_URL: 'https://directory.example.com/v1',
};

describe('start banner', () => {
  it('in production: metrics on their loopback port, no demo "Try it", and no secret', () => {
    const banner = renderBanner(loadConfig(PRODUCTION), 'http://0.0.0.0:3978');
    expect(banner).to.contain('http://127.0.0.1:9464/metrics (loopback only, METRICS_PORT)');
    expect(banner).to.not.contain('0.0.0.0:3978/metrics');
    expect(banner).to.not.contain('demo-alex');
    expect(banner).to.not.contain('dev values');
    for (const secret of ['redis-s3cret', 'smtp-s3cret', LONG, 'portal-key-aaaa'])
      expect(banner).to.not.contain(secret);
  });

  it('on embedded defaults: the demo "Try it", metrics on the main port, and the development values named', () => {
    const banner = renderBanner(loadConfig({}), 'http://127.0.0.1:3978');
    expect(banner).to.contain('http://127.0.0.1:3978/metrics');
    expect(banner).to.contain(
      "Try it: curl -s -X POST -H 'Authorization: Bearer demo-portal-key' http://127.0.0.1:3978/v1/accounts/demo-alex/support-pins",
    );
    expect(banner).to.match(/dev values +PIN_PEPPER, AUDIT_KEY, DEVICE_WEBHOOK_SECRETS, PORTAL_API_KEYS/u);
    expect(banner).to.contain('written to ./outbox (set SMTP_URL)');
    expect(renderBanner(loadConfig({ OUTBOX_DIR: '/tmp/outbox' }), 'http://127.0.0.1:3978')).to.contain(
      'written to /tmp/outbox (set SMTP_URL)',
    );
  });
});
