import { expect } from 'chai';
import type { BrowserContext, Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../../support/app.ts';
import { layoutProblems, screenshot, useBrowser, VIEWPORTS, watchPageErrors } from '../../support/browser.ts';

describe('Playground screens tell the truth (Chromium, laptop and phone)', function () {
  this.timeout(90_000);
  const browser = useBrowser();
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp({
      mutate: (config) => {
        config.portalApiKeys = ['demo-portal-key'];
      },
    });
  });
  afterEach(async () => t.close());

  for (const viewport of VIEWPORTS) {
    describe(`on a ${viewport.name} (${viewport.width}×${viewport.height})`, () => {
      let context: BrowserContext;
      let page: Page;
      let errors: string[];
      beforeEach(async () => {
        context = await browser().newContext({ locale: 'en-GB', viewport });
        page = await context.newPage();
        errors = watchPageErrors(page);
        await page.goto(`${t.url}/`);
      });
      afterEach(async () => {
        expect(errors, 'page errors').to.deep.equal([]);
        await context.close();
      });
      const agent = () => page.locator('#agent');
      const card = () => agent().locator('.bubble.card').last();
      const phone = () => page.locator('#device-screen');

      it('lays out every card, button and pane without clipping, down to 320 px wide', async () => {
        await page.locator('#agent-text').fill('verify alex@example.com');
        await agent().getByRole('button', { name: 'Send' }).click();
        await card().getByRole('button', { name: 'Use support PIN' }).waitFor();
        expect(await layoutProblems(page)).to.deep.equal([]);
        await screenshot(page, `playground-card-${viewport.name}`, viewport.name === 'phone' ? agent() : undefined);
        if (viewport.name === 'phone') {
          await page.setViewportSize({ width: 320, height: 700 });
          await page.reload();
          await page.locator('#agent-text').fill('verify alex@example.com');
          await agent().getByRole('button', { name: 'Send' }).click();
          await card().getByRole('button', { name: 'Cancel' }).waitFor();
          expect(await layoutProblems(page)).to.deep.equal([]);
          await screenshot(page, 'playground-card-320');
        }
      });

      it('counts the prompt down live on the card and the device, then says it expired', async () => {
        await page.clock.install();
        await page.reload();
        await page.locator('#agent-text').fill('verify alex@example.com');
        await agent().getByRole('button', { name: 'Send' }).click();
        await card().getByRole('button', { name: 'Prompt their device' }).click();
        const expiry = card().locator('time[datetime]');
        await expiry.filter({ hasText: /\(\d:\d{2} left\)/u }).waitFor();
        const first = /\((\d):(\d{2}) left\)/u.exec((await expiry.textContent()) ?? '');
        const seconds = Number(first?.[1]) * 60 + Number(first?.[2]);
        await page.clock.fastForward(30_000);
        const later = seconds - 30;
        // The page's clock still runs between reading the card and the jump; on a busy machine a second or two.
        const shown = (left: number) => `\\(${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')} left\\)`;
        const aboutLater = new RegExp([0, 1, 2, 3].map((slack) => shown(later - slack)).join('|'), 'u');
        await expiry.filter({ hasText: aboutLater }).waitFor();
        await page.clock.fastForward(later * 1000 + 1000);
        await card().locator('time[datetime]').filter({ hasText: '(expired)' }).waitFor();
        await phone().getByText('This request has expired.').waitFor();
      });

      it('after “Don’t confirm” the next card offers no prompt, says why and until when, and leaves no notice behind', async () => {
        await page.locator('#agent-text').fill('verify jan@example.nl');
        await agent().getByRole('button', { name: 'Send' }).click();
        await card().getByRole('button', { name: 'Prompt their device' }).click();
        await phone().getByRole('button', { name: 'Niet bevestigen' }).click();
        await card().getByText('do not proceed').waitFor();
        await page.locator('#agent-text').fill('verify jan@example.nl');
        await agent().getByRole('button', { name: 'Send' }).click();
        await card().getByText('the customer declined one, so prompts are paused').waitFor();
        expect(await card().getByRole('button', { name: 'Prompt their device' }).count(), 'not offered').to.equal(0);
        expect(await card().getByRole('button', { name: 'Use support PIN' }).count()).to.equal(1);
        expect(await agent().locator('.bubble.notice').count(), 'no notice left under the cards').to.equal(0);
      });

      it('the device says what each answer did, in the account’s language, and asks for the number first', async () => {
        // Jan's account is Dutch: his device speaks Dutch, whatever the agent's browser.
        await page.locator('#agent-text').fill('verify jan@example.nl');
        await agent().getByRole('button', { name: 'Send' }).click();
        await card().getByRole('button', { name: 'Prompt their device' }).click();
        await phone().getByText('Vraag jij om hulp?').waitFor();
        await phone()
          .getByText(/Dit verzoek verloopt over \d+ s/u)
          .waitFor();
        await phone().getByRole('button', { name: 'Bevestigen', exact: true }).click();
        await phone().getByText('Kies eerst het nummer').waitFor();
        expect(await card().textContent(), 'nothing was sent').to.contain('Waiting for Jan');
        await phone().getByRole('button', { name: 'Fraude melden' }).click();
        await phone().getByText('Je hebt dit gemeld.').waitFor();
        await card().getByText('reported this request as fraud').waitFor();
        expect(await layoutProblems(page)).to.deep.equal([]);
        await phone().getByRole('button', { name: 'Klaar' }).click();
        await phone().getByText('No requests.').waitFor();
      });

      it('names a new web chat thread by the customer’s first line, counts its unread lines, and says “you reported this” after a fraud report', async () => {
        const chat = page.frameLocator('iframe[title="Customer web chat"]');
        await chat.getByLabel('Your message').fill('Hello, I need help with my iPhone');
        await chat.getByRole('button', { name: 'Send' }).click();
        // A new thread shows up by the customer's first line, with its unread lines counted.
        await page.locator('#agent-threads').getByText('Web chat: Hello, I need help with my iPhone').waitFor();
        const option = page.locator('#agent-conversation option').last();
        expect(await option.textContent()).to.match(/^Web chat: Hello, I need help with my iPhone \(\d+ new\)$/u);
        await page.locator('#agent-conversation').selectOption({ index: 1 });
        expect(await option.textContent()).to.equal('Web chat: Hello, I need help with my iPhone');

        await page.locator('#agent-text').fill('verify alex@example.com');
        await agent().getByRole('button', { name: 'Send' }).click();
        await card().getByRole('button', { name: 'Prompt their device' }).click();
        await phone().getByRole('button', { name: 'Report fraud' }).click();
        await phone().getByText('You reported this.').waitFor();
        await chat.getByRole('log').getByText('You reported this request').waitFor();
        expect(await chat.getByRole('log').textContent()).to.not.contain('You refused');
        expect(await layoutProblems(page)).to.deep.equal([]);
        await page.locator('#mailbox').getByText('To alex@example.com').first().waitFor({ timeout: 10_000 });
        await screenshot(page, `playground-fraud-reported-${viewport.name}`);
      });

      it('marks an agent’s line the bot refused to pass on as not sent; a revoke asks once, in other words', async () => {
        const chat = page.frameLocator('iframe[title="Customer web chat"]');
        await chat.getByLabel('Your message').fill('Hi, I cannot log in');
        await chat.getByRole('button', { name: 'Send' }).click();
        await page.locator('#agent-threads').getByText('Web chat: Hi, I cannot log in').waitFor();
        await page.locator('#agent-conversation').selectOption({ index: 1 });
        await page.locator('#agent-text').fill('What is your password?');
        await agent().getByRole('button', { name: 'Send' }).click();
        await agent().locator('.bubble.mine.refused').filter({ hasText: 'What is your password?' }).waitFor();
        expect(await chat.getByRole('log').textContent()).to.not.contain('What is your password');

        await page.locator('#agent-conversation').selectOption({ index: 0 });
        await page.locator('#portal').getByRole('button', { name: 'Generate support PIN' }).click();
        await page
          .locator('#portal-pin')
          .filter({ hasText: /^\d{4}$/u })
          .waitFor();
        const pin = (await page.locator('#portal-pin').textContent()) ?? '';
        await page.locator('#agent-text').fill('verify alex@example.com');
        await agent().getByRole('button', { name: 'Send' }).click();
        await card().getByRole('button', { name: 'Use support PIN' }).click();
        await card().getByLabel('PIN the customer reads out').fill(pin);
        await card().getByRole('button', { name: 'Check' }).click();
        await card().getByText('DMPXK1ALEX01').waitFor();
        expect(await card().textContent(), 'no emoji the fonts may lack').to.not.match(/\p{Extended_Pictographic}/u);
        await card().getByRole('button', { name: 'Revoke access' }).click();
        const buttons = await card().getByRole('button').allTextContents();
        expect(
          buttons.filter((b) => b.trim() === 'Revoke access'),
          'one button per wording',
        ).to.have.length(1);
        await card().getByRole('button', { name: 'Yes, revoke access now' }).click();
        await card().getByText('Access revoked.').waitFor();
      });

      it('the portal lists every demo account, Sam included, and gives each a PIN', async () => {
        const accounts = await page.locator('#portal-account option').allTextContents();
        expect(accounts.join('\n')).to.contain('Alex').and.contain('Jan').and.contain('Sam');
        await page.locator('#portal-account').selectOption('demo-sam');
        await page.locator('#portal').getByRole('button', { name: 'Generate support PIN' }).click();
        await page
          .locator('#portal-pin')
          .filter({ hasText: /^\d{4}$/u })
          .waitFor();
        await page
          .locator('#portal-note')
          .filter({ hasText: /expires at \d{2}:\d{2}, \d+:\d{2} left/u })
          .waitFor();
      });

      it('the mailbox shows the newest first, ten at a time, the same in a second browser', async () => {
        for (let i = 0; i < 12; i++) {
          const session = await t.app.verification.start({
            agent: { id: `U${i}`, displayName: `Agent ${i}`, channel: 'slack', locale: 'en' },
            query: 'alex@example.com',
          });
          await t.app.verification.cancel(session.id, {
            kind: 'agent',
            who: { id: `U${i}`, channel: 'slack' },
          });
          await t.app.verification.idle();
        }
        const mails = page.locator('#mailbox article');
        await page.locator('#mailbox').getByText('Show older (2 more)').waitFor();
        expect(await mails.count()).to.equal(10);
        expect(await mails.first().textContent(), 'newest first').to.contain('Agent 11');
        expect((await mails.first().locator('pre').textContent())?.endsWith(' '), 'no trailing space').to.equal(false);
        await page.locator('#mailbox').getByRole('button', { name: 'Show older' }).click();
        await mails.nth(11).waitFor();
        expect(await page.locator('#mailbox').getByRole('button', { name: 'Show older' }).isVisible()).to.equal(false);

        const second = await context.browser()?.newContext({ viewport });
        const other = await second?.newPage();
        await other?.goto(`${t.url}/`);
        await other?.locator('#mailbox').getByText('Show older (2 more)').waitFor();
        expect(await other?.locator('#mailbox article').first().textContent()).to.contain('Agent 11');
        await second?.close();
      });
    });
  }
});
