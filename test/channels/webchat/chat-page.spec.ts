import { expect } from 'chai';
import { REASSURANCE } from '../../../core/messages/catalog.ts';
import { startTestApp, type TestApp } from '../../support/app.ts';
import { request } from '../../support/http.ts';

describe('Web chat page and embed', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(async () => t.close());

  it('serves /chat in the browser’s language, with labelled fields and a live log for screen readers', async () => {
    const en = await request(`${t.url}/chat`, { headers: { 'accept-language': 'en-GB,en;q=0.9' } });
    expect(en.status).to.equal(200);
    expect(en.headers.get('content-type')).to.contain('text/html');
    expect(en.text).to.contain('<html lang="en"').and.contain(REASSURANCE.en);
    expect(en.text).to.contain('role="log"').and.contain('aria-live="polite"');
    expect(en.text).to.contain('<label for="text">Your message</label>').and.contain('<label for="pin">');
    expect(en.text).to.contain('inputmode="numeric"').and.contain('maxlength="4"');

    const nl = await request(`${t.url}/chat`, { headers: { 'accept-language': 'nl-BE,nl;q=0.9' } });
    expect(nl.text).to.contain('<html lang="nl"').and.contain('Je bericht').and.contain(REASSURANCE.nl);
  });

  it('has an icon, named by the page and answered at /favicon.ico, where browsers look on their own', async () => {
    expect((await request(`${t.url}/chat`)).text).to.contain('<link rel="icon" href="/favicon.svg"');
    expect((await request(`${t.url}/`)).text).to.contain('<link rel="icon" href="/favicon.svg"');
    for (const path of ['/favicon.svg', '/favicon.ico']) {
      const icon = await request(`${t.url}${path}`);
      expect(icon.status, path).to.equal(200);
      expect(icon.headers.get('content-type')).to.equal('image/svg+xml');
      expect(icon.text).to.contain('<svg');
    }
  });

  it('sends security headers: scripts only from itself, no sniffing, no referrer, embeddable in a frame', async () => {
    const page = await request(`${t.url}/chat`);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).to.contain("script-src 'self'").and.contain("default-src 'none'").and.contain('frame-ancestors *');
    expect(page.headers.get('x-content-type-options')).to.equal('nosniff');
    expect(page.headers.get('referrer-policy')).to.equal('no-referrer');
    expect(page.headers.get('x-frame-options'), 'one framing policy, not two that disagree').to.equal(null);
    expect(page.text).not.to.match(/<script>(?!<\/script>)/u);
  });

  it('lets only the WEBCHAT_ORIGINS embed the page when they are set', async () => {
    const only = await startTestApp({ env: { WEBCHAT_ORIGINS: 'https://www.example.com,https://help.example.nl' } });
    try {
      const page = await request(`${only.url}/chat`);
      expect(page.headers.get('content-security-policy')).to.contain(
        "frame-ancestors 'self' https://www.example.com https://help.example.nl",
      );
      expect(page.headers.get('x-frame-options')).to.equal(null);
      expect((await request(`${only.url}/healthz`)).headers.get('x-frame-options')).to.equal('DENY');
    } finally {
      await only.close();
    }
  });

  it('serves its script, its styles and the one-tag embed loader', async () => {
    for (const [path, type] of [
      ['/chat.js', 'text/javascript'],
      ['/chat.css', 'text/css'],
      ['/webchat.js', 'text/javascript'],
    ] as const) {
      const answer = await request(`${t.url}${path}`);
      expect(answer.status, path).to.equal(200);
      expect(answer.headers.get('content-type'), path).to.contain(type);
      expect(answer.text.length, path).to.be.greaterThan(500);
    }
    expect((await request(`${t.url}/webchat.js`)).headers.get('access-control-allow-origin')).to.equal('*');
  });
});
