import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../../support/app.ts';
import {
  chatConversationOf,
  layoutProblems,
  screenshot,
  useBrowser,
  VIEWPORTS,
  watchPageErrors,
} from '../../support/browser.ts';
import { verificationInChat, WEBCHAT_AGENT } from '../../support/webchat.ts';

const AGENT = WEBCHAT_AGENT;

/** A shop's page on another origin that embeds the chat with the one script tag. */
async function hostPage(chatUrl: string): Promise<{ url: string; server: Server }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(
      `<!doctype html><html lang="en"><title>Example shop</title><h1>Example shop</h1><script src="${chatUrl}/webchat.js" async></script>`,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // localhost and 127.0.0.1 are different sites to the browser: the chat frame is a third-party frame.
  return { url: `http://localhost:${(server.address() as AddressInfo).port}/`, server };
}

describe('Web chat screens tell the truth (Chromium, laptop and phone)', function () {
  this.timeout(60_000);
  const browser = useBrowser();
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp();
  });
  afterEach(async () => t.close());

  for (const viewport of VIEWPORTS) {
    describe(`on a ${viewport.name} (${viewport.width}×${viewport.height})`, () => {
      let context: BrowserContext;
      let page: Page;
      let errors: string[];
      const open = async (b: Browser, locale = 'en-GB') => {
        context = await b.newContext({ locale, viewport: { width: viewport.width, height: viewport.height } });
        page = await context.newPage();
        errors = watchPageErrors(page);
      };
      afterEach(async () => {
        expect(errors, 'page errors').to.deep.equal([]);
        await context.close();
      });

      it('shows only the number during a device prompt, also after the agent switched from the PIN', async () => {
        await open(browser());
        await page.goto(`${t.url}/chat`);
        await page.getByRole('log').getByText('Tell us what you need help with').waitFor();
        const conversationId = await chatConversationOf(page);
        const session = await verificationInChat(t.app, conversationId, 'alex@example.com');
        await t.app.verification.choosePin(session.id, { kind: 'agent', who: AGENT });
        await page.getByLabel('Your 4-digit support PIN').waitFor();
        const waiting = await t.app.verification.chooseDevice(session.id, { kind: 'agent', who: AGENT });
        await page.getByText('Pick this number on your device').waitFor();
        await page.getByLabel('Your 4-digit support PIN').waitFor({ state: 'hidden' });
        expect(await page.locator('#number').textContent()).to.equal(String(waiting.prompt?.matchNumber));
        expect(await page.getByRole('button', { name: 'Check PIN' }).isVisible()).to.equal(false);
        expect(await layoutProblems(page)).to.deep.equal([]);
        await screenshot(page, `webchat-device-number-${viewport.name}`);
      });

      it('counts the prompt down live and says when it has expired', async () => {
        await open(browser());
        await page.clock.install();
        await page.goto(`${t.url}/chat`);
        await page.getByRole('log').getByText('Tell us what you need help with').waitFor();
        const conversationId = await chatConversationOf(page);
        const session = await verificationInChat(t.app, conversationId, 'alex@example.com');
        await t.app.verification.chooseDevice(session.id, { kind: 'agent', who: AGENT });
        const expiry = page.locator('#number-expiry');
        await expiry.filter({ hasText: /expires in \d+ s/u }).waitFor();
        const first = Number(/in (\d+) s/u.exec((await expiry.textContent()) ?? '')?.[1]);
        await page.clock.fastForward(20_000);
        // The page's clock still runs between reading the line and the jump; on a busy machine a second or two.
        const aboutLater = new RegExp([0, 1, 2, 3].map((slack) => `expires in ${first - 20 - slack} s`).join('|'), 'u');
        await expiry.filter({ hasText: aboutLater }).waitFor();
        await page.clock.fastForward(first * 1000);
        await expiry.filter({ hasText: 'This prompt has expired' }).waitFor();
        expect(await page.locator('#number').getAttribute('class')).to.contain('expired');
      });

      it('opens, chats and says so when it cannot, embedded on another site that denies the frame storage', async () => {
        const host = await hostPage(t.url);
        try {
          await open(browser());
          await page.goto(host.url);
          await page.getByRole('button', { name: 'Chat with support' }).click();
          const chat = page.frameLocator('#support-verify-chat');
          await chat.getByRole('log').getByText('Tell us what you need help with').waitFor();
          await chat.getByLabel('Your message').fill('Hi, my order never arrived');
          await chat.getByRole('button', { name: 'Send' }).click();
          await chat.getByRole('log').getByText('Hi, my order never arrived').waitFor();
          expect(await layoutProblems(page)).to.deep.equal([]);
          await screenshot(page, `webchat-embedded-other-site-${viewport.name}`);

          // The server goes away: the customer is told, the line is not lost from the field.
          await page.route(`${t.url}/v1/chat/**`, (route) => route.abort());
          await chat.getByLabel('Your message').fill('Are you still there?');
          await chat.getByRole('button', { name: 'Send' }).click();
          await chat.getByText('Something went wrong. Please try again.').waitFor();
          expect(await chat.getByLabel('Your message').inputValue()).to.equal('Are you still there?');
          await page.unrouteAll({ behavior: 'ignoreErrors' });
        } finally {
          host.server.close();
        }
      });

      it('speaks the browser’s language, not the account’s, and hides secrets in it', async () => {
        await open(browser());
        await page.goto(`${t.url}/chat`);
        await page.getByRole('log').getByText('Tell us what you need help with').waitFor();
        const conversationId = await chatConversationOf(page);
        // Jan's account is Dutch; this customer's browser is English.
        const session = await verificationInChat(t.app, conversationId, 'jan@example.nl');
        await t.app.verification.choosePin(session.id, { kind: 'agent', who: AGENT });
        await page.getByRole('log').getByText('To confirm it is you, open your account portal').waitFor();
        expect(await page.getByRole('log').textContent()).not.to.contain('accountportaal');

        const dutch = await browser().newContext({ locale: 'nl-NL', viewport });
        try {
          const nl = await dutch.newPage();
          await nl.goto(`${t.url}/chat`);
          await nl.getByRole('log').getByText('Vertel ons waarmee we je kunnen helpen').waitFor();
          await nl.getByLabel('Je bericht').fill('mijn wachtwoord is Geheim!2024x');
          await nl.getByRole('button', { name: 'Versturen' }).click();
          await nl.getByRole('log').getByText('[verborgen]').waitFor();
          expect(await nl.getByRole('log').textContent())
            .not.to.contain('Geheim!2024x')
            .and.not.to.contain('[hidden]');
        } finally {
          await dutch.close();
        }
      });
    });
  }
});
