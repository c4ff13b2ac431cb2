import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../../support/app.ts';
import { layoutProblems, screenshot, useBrowser, watchPageErrors } from '../../support/browser.ts';

describe('Playground in a real browser (Chromium)', function () {
  this.timeout(90_000);
  const browser = useBrowser();
  let t: TestApp;
  let page: Page;
  let errors: string[];
  beforeEach(async () => {
    // As `npm start` runs with nothing set: embedded store, demo accounts, simulated device, outbox, demo key.
    t = await startTestApp({
      mutate: (config) => {
        config.portalApiKeys = ['demo-portal-key'];
      },
    });
    const context = await browser().newContext({ locale: 'en-GB', viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
    errors = watchPageErrors(page);
    await page.goto(`${t.url}/`);
  });
  afterEach(async () => {
    await page.context().close();
    await t.close();
  });

  const agent = () => page.locator('#agent');

  it('verifies by the trusted device: the agent’s card, the number on the phone, Confirm, the serials and the email', async () => {
    await agent().getByRole('button', { name: 'Send' }).click();
    await agent().getByRole('heading', { name: 'Verify Alex Morgan' }).waitFor();
    await agent().getByRole('button', { name: 'Prompt their device' }).click();
    await agent().getByText('Number for the customer to pick').waitFor();
    const shown = await agent().locator('.ac-factset').first().textContent();
    const number = Number(/(\d+)\s*$/u.exec(shown ?? '')?.[1]);

    const phone = page.locator('#device-screen');
    await phone.getByText('Is this you asking for help?').waitFor();
    await phone.getByRole('button', { name: String(number), exact: true }).click();
    await phone.getByRole('button', { name: 'Confirm', exact: true }).click();
    await agent().getByText('DMPXK1ALEX01').waitFor();
    await phone.getByText('You confirmed it is you.').waitFor();
    await page.locator('#mailbox').getByText('To alex@example.com').waitFor({ timeout: 10_000 });
    expect(await layoutProblems(page)).to.deep.equal([]);
    await screenshot(page, 'playground-device-verified');
    expect(errors).to.deep.equal([]);
  });

  it('verifies by support PIN: the portal shows the PIN once, the agent types it on the card', async () => {
    await page.locator('#portal').getByRole('button', { name: 'Generate support PIN' }).click();
    await page.locator('#portal-pin').filter({ hasText: /\d{4}/u }).waitFor();
    const digits = (await page.locator('#portal-pin').textContent()) ?? '';
    expect(digits).to.match(/^\d{4}$/u);
    expect(await page.locator('#portal-note').textContent()).to.contain('expires at');
    await agent().getByRole('button', { name: 'Send' }).click();
    await agent().getByRole('button', { name: 'Use support PIN' }).click();
    await agent().getByLabel('PIN the customer reads out').fill(digits);
    await agent().getByRole('button', { name: 'Check' }).click();
    await agent().getByText('DMPXK1ALEX01').waitFor();
    expect(await layoutProblems(page)).to.deep.equal([]);
    await screenshot(page, 'playground-pin-verified');
    expect(errors).to.deep.equal([]);
  });

  it('tells the agent not to proceed when the customer taps Don’t confirm on the phone', async () => {
    await agent().getByRole('button', { name: 'Send' }).click();
    await agent().getByRole('button', { name: 'Prompt their device' }).click();
    const phone = page.locator('#device-screen');
    await phone.getByRole('button', { name: 'Don’t confirm' }).click();
    await agent().getByText('do not proceed').waitFor();
    expect(await agent().textContent()).not.to.contain('DMPXK1ALEX01');
    expect(await layoutProblems(page)).to.deep.equal([]);
    await screenshot(page, 'playground-denied');
    expect(errors).to.deep.equal([]);
  });

  it('fails the verification after three wrong PINs, and locks PIN checks after ten', async () => {
    await page.locator('#portal').getByRole('button', { name: 'Generate support PIN' }).click();
    await page.locator('#portal-pin').filter({ hasText: /\d{4}/u }).waitFor();
    const pin = (await page.locator('#portal-pin').textContent()) ?? '';
    const wrong = ['0000', '1111', '2222', '3333'].filter((p) => p !== pin);
    const card = () => agent().locator('.bubble.card').last();
    // Three sessions of three wrong PINs each fail; the fourth has one try, as the account has one wrong PIN left.
    for (let attempt = 0; attempt < 4; attempt++) {
      await page.locator('#agent-text').fill('verify alex@example.com');
      await agent().getByRole('button', { name: 'Send' }).click();
      if (attempt === 3) await card().getByText('1 wrong PIN left today', { exact: false }).waitFor();
      await card().getByRole('button', { name: 'Use support PIN' }).click();
      await card()
        .getByText(`Tries left: ${attempt === 3 ? 1 : 3}`, { exact: true })
        .waitFor();
      for (let i = 0; i < 3; i++) {
        await card()
          .getByLabel('PIN the customer reads out')
          .fill(wrong[i] ?? '4444');
        await card().getByRole('button', { name: 'Check' }).click();
        const after =
          attempt === 3
            ? /locked for 24 hours/u
            : i < 2
              ? new RegExp(`That PIN was not accepted.*Tries left: ${2 - i}`, 'su')
              : /Verification failed/u;
        await card().filter({ hasText: after }).waitFor();
        if (attempt === 3) break;
      }
    }
    await agent().getByText('locked for 24 hours').first().waitFor();
    // After the lock: the card offers no PIN and says until when; the portal issues none and says why.
    await page.locator('#agent-text').fill('verify alex@example.com');
    await agent().getByRole('button', { name: 'Send' }).click();
    await card().getByText('Support PIN: locked until', { exact: false }).waitFor();
    expect(await card().getByRole('button', { name: 'Use support PIN' }).count()).to.equal(0);
    await page.locator('#portal').getByRole('button', { name: 'Generate support PIN' }).click();
    await page.locator('#portal-note').filter({ hasText: 'Support PINs are paused for your account until' }).waitFor();
    expect(await page.locator('#portal-pin').textContent(), 'the old PIN is gone from the portal').to.equal('');
    expect(await layoutProblems(page)).to.deep.equal([]);
    await screenshot(page, 'playground-locked');
    expect(errors).to.deep.equal([]);
  });

  it('hides a password the customer pastes in the web chat, and says why', async () => {
    const chat = page.frameLocator('iframe[title="Customer web chat"]');
    await chat.getByRole('log').getByText('Tell us what you need help with').waitFor();
    await chat.getByLabel('Your message').fill('my password is Hunter2!xyz');
    await chat.getByRole('button', { name: 'Send' }).click();
    await chat.getByRole('log').getByText('Please don’t share passwords').waitFor();
    expect(await chat.getByRole('log').textContent()).not.to.contain('Hunter2');
    // The agent pane sees the line in the relayed thread, hidden too.
    await page.locator('#agent-conversation').selectOption({ index: 1 });
    await agent().locator('.bubble').getByText('my password is [hidden]').waitFor();
    expect(await agent().textContent()).not.to.contain('Hunter2');
    expect(await layoutProblems(page)).to.deep.equal([]);
    await screenshot(page, 'playground-password-hidden');
    expect(errors).to.deep.equal([]);
  });

  it('verifies the customer in the web chat from the relayed thread: the PIN goes in the chat, the card updates', async () => {
    const chat = page.frameLocator('iframe[title="Customer web chat"]');
    await chat.getByLabel('Your message').fill('Hi, I am locked out. My email is alex@example.com');
    await chat.getByRole('button', { name: 'Send' }).click();
    await page.locator('#agent-conversation').selectOption({ index: 1 });
    await agent().getByText('The customer wrote in the web chat').first().waitFor();
    await agent().getByText('Hi, I am locked out. My email is alex@example.com').waitFor();

    await page.locator('#agent-text').fill('Hi Alex, I am Robin. Let me check it is you.');
    await agent().getByRole('button', { name: 'Send' }).click();
    await chat.getByRole('log').getByText('Let me check it is you.').waitFor();

    await page.locator('#portal').getByRole('button', { name: 'Generate support PIN' }).click();
    await page.locator('#portal-pin').filter({ hasText: /\d{4}/u }).waitFor();
    const pin = (await page.locator('#portal-pin').textContent()) ?? '';

    await page.locator('#agent-text').fill('verify alex@example.com');
    await agent().getByRole('button', { name: 'Send' }).click();
    // In a shared thread everyone else sees only who is verifying; the agent's client refreshes to their view.
    await agent().getByRole('heading', { name: 'Verify Alex Morgan' }).waitFor();
    await agent().locator('.bubble.card').last().getByRole('button', { name: 'Use support PIN' }).click();

    await chat.getByLabel('Your 4-digit support PIN').fill(pin);
    await chat.getByRole('button', { name: 'Check PIN' }).click();
    await chat.getByRole('log').getByText('you are verified').waitFor();
    await agent().getByText('DMPXK1ALEX01').waitFor();
    const [session] = await t.app.verification.recent(
      { id: '00000000-0000-4000-8000-00000000a9e7', channel: 'teams', workspaceId: 'playground-tenant' },
      1,
    );
    expect(session?.refs?.webchat).to.be.a('string');
    expect(await layoutProblems(page)).to.deep.equal([]);
    await screenshot(page, 'playground-webchat-verified');
    expect(errors).to.deep.equal([]);
  });
});
