import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { issuePin, startTestApp, type TestApp } from '../../support/app.ts';
import { chatConversationOf, screenshot, useBrowser } from '../../support/browser.ts';
import { useRedisServer } from '../../support/redis-fixture.ts';
import { verificationInChat, WEBCHAT_AGENT } from '../../support/webchat.ts';

const AGENT = WEBCHAT_AGENT;

describe('Web chat in a real browser (Chromium)', function () {
  this.timeout(60_000);
  const redis = useRedisServer();
  const browser = useBrowser();
  let t: TestApp;
  beforeEach(async () => {
    await redis().flush();
    t = await startTestApp({ redisUrl: redis().url });
  });
  afterEach(async () => t.close());

  it('chats live, hides a pasted password, survives a reload, and verifies with the PIN field on a phone-sized screen', async () => {
    const context = await browser().newContext({ locale: 'en-GB', viewport: { width: 390, height: 780 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${t.url}/chat`);
    await page.getByRole('log').getByText('Tell us what you need help with').waitFor();

    await page.getByLabel('Your message').fill('Hi, I cannot log in to my account');
    await page.keyboard.press('Enter');
    await page.getByRole('log').getByText('Hi, I cannot log in to my account').waitFor();

    await page.getByLabel('Your message').fill('my password is Hunter2!xyz');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByRole('log').getByText('Please don’t share passwords').waitFor();
    expect(await page.getByRole('log').textContent()).not.to.contain('Hunter2');

    const conversationId = await chatConversationOf(page);
    await t.app.chat.agentSays(conversationId, 'Hi, I am Robin. Let me check it is you.', 'Robin Agent');
    await page.getByRole('log').getByText('Let me check it is you.').waitFor();

    await page.reload();
    await page.getByRole('log').getByText('Hi, I cannot log in to my account').waitFor();
    expect(await page.locator('.line').count()).to.equal(5);

    const pin = await issuePin(t.url);
    const session = await verificationInChat(t.app, conversationId, 'alex@example.com');
    await t.app.verification.choosePin(session.id, { kind: 'agent', who: AGENT });
    const pinField = page.getByLabel('Your 4-digit support PIN');
    await pinField.waitFor();
    await page.getByText('Tries left: 3', { exact: true }).waitFor();
    await pinField.fill('12ab');
    expect(await pinField.inputValue()).to.equal('12');
    await pinField.fill(pin === '0000' ? '1111' : '0000');
    await page.getByRole('button', { name: 'Check PIN' }).click();
    await page.getByText('Tries left: 2', { exact: true }).waitFor();
    await pinField.fill(pin);
    await page.getByRole('button', { name: 'Check PIN' }).click();
    await page.getByRole('log').getByText('you are verified').waitFor();
    await pinField.waitFor({ state: 'hidden' });
    expect((await t.app.verification.get(session.id)).state).to.equal('verified');
    expect(await page.getByRole('log').textContent()).not.to.contain(pin);
    await screenshot(page, 'webchat-verified');
    expect(errors).to.deep.equal([]);
    await context.close();
  });

  it('shows the number to pick on the device, and until when', async () => {
    const context = await browser().newContext({ locale: 'en-GB' });
    const page = await context.newPage();
    await page.goto(`${t.url}/chat`);
    await page.getByRole('log').getByText('Tell us what you need help with').waitFor();
    const conversationId = await chatConversationOf(page);
    const session = await verificationInChat(t.app, conversationId, 'alex@example.com');
    const waiting = await t.app.verification.chooseDevice(session.id, { kind: 'agent', who: AGENT });
    await page.getByText('Pick this number on your device').waitFor();
    expect(await page.locator('#number').textContent()).to.equal(String(waiting.prompt?.matchNumber));
    expect(await page.locator('#number-expiry').textContent()).to.match(
      /^The prompt expires in \d+ s \(at \d{2}:\d{2}/u,
    );
    await screenshot(page, 'webchat-device-number');
    await context.close();
  });

  it('open in four tabs: the oldest says so and stops reconnecting, until “Continue here” takes the updates back', async () => {
    const context = await browser().newContext({ locale: 'en-GB' });
    const pages: Page[] = [];
    for (let i = 0; i < 4; i++) {
      const page = await context.newPage();
      await page.goto(`${t.url}/chat`);
      await page.getByRole('log').getByText('Tell us what you need help with').waitFor();
      pages.push(page);
    }
    const [first, second] = pages as [Page, Page];
    await first.getByText('This chat is open in another window or tab').waitFor();
    await new Promise((r) => setTimeout(r, 2500));
    expect(t.app.chatStreams.size, 'the paused tab does not reconnect on its own').to.equal(3);

    const conversationId = await chatConversationOf(first);
    await t.app.chat.agentSays(conversationId, 'Said while the first tab was paused.', 'Robin Agent');
    await first.getByRole('button', { name: 'Continue here' }).click();
    await first.getByRole('log').getByText('Said while the first tab was paused.').waitFor();
    expect(await first.getByText('This chat is open in another window or tab').isVisible()).to.equal(false);
    await second.getByText('This chat is open in another window or tab').waitFor();
    expect(t.app.chatStreams.size).to.equal(3);
    await context.close();
  });

  it('ends the chat on “End chat”, says so, and starts a fresh one on “Start a new chat”', async () => {
    const context = await browser().newContext({ locale: 'en-GB' });
    const page = await context.newPage();
    await page.goto(`${t.url}/chat`);
    await page.getByRole('log').getByText('Tell us what you need help with').waitFor();
    const first = await chatConversationOf(page);
    await page.getByRole('button', { name: 'End chat' }).click();
    await page.getByRole('log').getByText('You ended this chat').waitFor();
    expect(await page.getByLabel('Your message').isVisible()).to.equal(false);
    await page.getByRole('button', { name: 'Start a new chat' }).click();
    await page.getByRole('log').getByText('Tell us what you need help with').waitFor();
    expect(await page.getByRole('log').textContent()).not.to.contain('You ended this chat');
    const second = await chatConversationOf(page);
    expect(second).to.not.equal(first);
    await page.reload();
    await page.getByRole('log').getByText('Tell us what you need help with').waitFor();
    expect(await chatConversationOf(page)).to.equal(second);
    await context.close();
  });

  it('speaks Dutch to a Dutch browser', async () => {
    const context = await browser().newContext({ locale: 'nl-NL' });
    const page = await context.newPage();
    await page.goto(`${t.url}/chat`);
    await page.getByRole('log').getByText('Vertel ons waarmee we je kunnen helpen').waitFor();
    expect(await page.getByLabel('Je bericht').count()).to.equal(1);
    await context.close();
  });
});
