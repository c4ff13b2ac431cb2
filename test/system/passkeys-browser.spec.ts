import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import type { BrowserContext, Page } from 'playwright-core';
import webpush from 'web-push';
import { ACTIONS } from '../../bots/slack/blocks.ts';
import { cardText } from '../support/adaptive-cards.ts';
import {
  addVirtualPasskeyDevice,
  layoutProblems,
  screenshot,
  useBrowser,
  watchPageErrors,
} from '../support/browser.ts';
import {
  mailedLink,
  type PasskeyApp,
  passkeyAppOptions,
  portalToken,
  promptDevice,
  startPasskeyApp,
} from '../support/passkeys.ts';
import { AGENT_USER, buttonClick, type SlackCall, shownText, slashCommand, TEAM } from '../support/slack.ts';
import { startSlackApp } from '../support/slack-app.ts';
import { cardAction, message, AGENT as TEAMS_AGENT, teamsUser } from '../support/teams.ts';
import { startTeamsApp } from '../support/teams-app.ts';
import { until } from '../support/webchat.ts';

// The real ceremonies, in Chromium with CDP virtual authenticators: the browser's own WebAuthn makes and uses the
// passkeys, and @simplewebauthn/server checks what it made. Nothing here is our authenticator.
describe('passkeys in a real browser (Chromium, virtual authenticators)', function () {
  this.timeout(60_000);
  const browser = useBrowser();
  const clock = { offset: 0, now: () => Date.now() + clock.offset };
  let t: PasskeyApp;
  let contexts: BrowserContext[] = [];
  // Before the server stops: a page's open connections would keep it waiting.
  const closeDevices = async () => {
    for (const context of contexts) await context.close();
    contexts = [];
  };

  const pageErrors: string[][] = [];
  /** A fresh browser profile (its own authenticator), as another device of the customer's, or someone else's. */
  async function device(viewport: { width: number; height: number } = { width: 390, height: 844 }): Promise<Page> {
    const context = await browser().newContext({ viewport });
    contexts.push(context);
    const page = await context.newPage();
    pageErrors.push(watchPageErrors(page));
    return page;
  }
  afterEach(async () => {
    await closeDevices();
    // Every page of every test: no script error. Chromium itself logs one when a fresh (incognito-like) profile
    // asks for a push subscription: the browser's notice, which the page answers by saying so.
    const browserNotice = /does not support the Push API in incognito mode/u;
    expect(pageErrors.flat().filter((e) => !browserNotice.test(e))).to.deep.equal([]);
    pageErrors.length = 0;
  });

  async function registerIn(page: Page, name: string, baseUrl = t.url): Promise<void> {
    const { url } = await portalToken(baseUrl);
    await page.goto(url);
    await page.getByLabel('Name this device').fill(name);
    await page.getByRole('button', { name: 'Add this device' }).click();
    await page.getByText(`“${name}” was added.`).waitFor();
  }

  describe('the customer’s side', () => {
    beforeEach(async () => {
      clock.offset = 0;
      t = await startPasskeyApp({}, { clock });
    });
    afterEach(async () => {
      await closeDevices();
      await t.close();
    });

    it('registers this device in the portal, then confirms a prompt with it: the number first, then the passkey', async () => {
      const phone = await device();
      const authenticator = await addVirtualPasskeyDevice(phone);
      await registerIn(phone, 'Alex’s phone');
      expect(await phone.locator('#devices li strong').allTextContents()).to.deep.equal(['Alex’s phone']);
      expect(new URL(phone.url()).hash, 'the token is taken out of the address bar').to.equal('');
      expect(await authenticator.credentials()).to.have.length(1);
      await screenshot(phone, 'passkey-portal');
      expect(await layoutProblems(phone), 'the portal on a phone').to.deep.equal([]);

      const session = await promptDevice(t);
      const link = await mailedLink(t);
      await phone.goto(link.link);
      await phone.getByText('Robin from Example Co (Slack) wants to confirm').waitFor();
      await phone.getByRole('button', { name: 'Confirm', exact: true }).click();
      await phone.getByText('Pick the number your support agent gave you first').waitFor();
      await phone.getByRole('button', { name: String(session.prompt?.matchNumber), exact: true }).click();
      await screenshot(phone, 'passkey-confirmation');
      expect(await layoutProblems(phone), 'the confirmation page on a phone').to.deep.equal([]);
      await phone.getByRole('button', { name: 'Confirm', exact: true }).click();
      await phone.getByText('You confirmed it is you. Robin can now help you.').waitFor();
      expect((await t.app.verification.get(session.id)).state).to.equal('verified');
      const [listed] = (await t.app.passkeys?.registry.list('demo-alex')) ?? [];
      expect(listed?.lastUsedAt, 'the use is recorded').to.be.a('number');
    });

    it('cannot confirm on a device that was never registered, and that changes nothing', async () => {
      const phone = await device();
      await addVirtualPasskeyDevice(phone);
      await registerIn(phone, 'Alex’s phone');
      const session = await promptDevice(t);
      const link = await mailedLink(t);

      const stranger = await device();
      await addVirtualPasskeyDevice(stranger);
      await stranger.goto(link.link);
      await stranger.getByRole('button', { name: String(session.prompt?.matchNumber), exact: true }).click();
      await stranger.getByRole('button', { name: 'Confirm', exact: true }).click();
      await stranger.getByText('This device is not one of your trusted devices').waitFor();
      expect((await t.app.verification.get(session.id)).state).to.equal('awaiting_device');
    });

    it('denies on Don’t confirm, and reports on I didn’t ask for this, in the account’s language', async () => {
      const phone = await device();
      await addVirtualPasskeyDevice(phone);
      await registerIn(phone, 'Alex’s phone');
      const first = await promptDevice(t);
      await phone.goto((await mailedLink(t)).link);
      await phone.getByRole('button', { name: 'Don’t confirm' }).click();
      await phone.getByText('You said no, so nothing was shared.').waitFor();
      expect((await t.app.verification.get(first.id)).state).to.equal('denied');

      const jan = await device();
      await addVirtualPasskeyDevice(jan);
      const { url } = await portalToken(t.url, 'demo-jan');
      await jan.goto(url.replace('locale=en', 'locale=nl'));
      await jan.getByLabel('Geef dit apparaat een naam').fill('Telefoon van Jan');
      await jan.getByRole('button', { name: 'Dit apparaat toevoegen' }).click();
      await jan.getByText('“Telefoon van Jan” is toegevoegd.').waitFor();
      const reported = await promptDevice(t, 'jan@example.nl');
      await jan.goto((await mailedLink(t)).link);
      await jan.getByText('Bevestig dat jij het bent').first().waitFor();
      await jan.getByRole('button', { name: 'Ik heb hier niet om gevraagd' }).click();
      await jan.getByText('Je hebt dit gemeld.').waitFor();
      expect((await t.app.verification.get(reported.id)).reason).to.equal('fraud_reported');
    });

    it('refuses, from the real browser: a replayed assertion, another origin, an expired challenge, a removed passkey', async () => {
      const phone = await device();
      await addVirtualPasskeyDevice(phone);
      await registerIn(phone, 'Alex’s phone');

      // A replay: the assertion the browser sent, sent again after it confirmed.
      const first = await promptDevice(t);
      let sent: { url: string; token: string; body: string } | undefined;
      await phone.route('**/v1/prompts/*/confirm', async (route) => {
        const request = route.request();
        sent = {
          url: request.url(),
          token: (await request.allHeaders()).authorization ?? '',
          body: request.postData() ?? '',
        };
        await route.continue();
      });
      await phone.goto((await mailedLink(t)).link);
      await phone.getByRole('button', { name: String(first.prompt?.matchNumber), exact: true }).click();
      await phone.getByRole('button', { name: 'Confirm', exact: true }).click();
      await phone.getByText('You confirmed it is you.').waitFor();
      const replayed = await fetch(sent?.url ?? '', {
        method: 'POST',
        headers: { authorization: sent?.token ?? '', 'content-type': 'application/json' },
        body: sent?.body ?? '',
      });
      expect(replayed.status, 'the replayed assertion').to.be.oneOf([400, 409]);
      await phone.unroute('**/v1/prompts/*/confirm');

      // Another origin: the same page served at 127.0.0.1 cannot use a passkey made for localhost.
      const second = await promptDevice(t);
      const link = await mailedLink(t);
      await phone.goto(link.link.replace('//localhost:', '//127.0.0.1:'));
      await phone.getByRole('button', { name: String(second.prompt?.matchNumber), exact: true }).click();
      await phone.getByRole('button', { name: 'Confirm', exact: true }).click();
      await phone.getByText('This device is not one of your trusted devices').waitFor();
      expect((await t.app.verification.get(second.id)).state).to.equal('awaiting_device');

      // An expired challenge: the answer reaches the server after the prompt ran out.
      await phone.goto(link.link);
      await phone.route('**/v1/prompts/*/confirm', async (route) => {
        clock.offset = 121_000;
        await route.continue();
      });
      await phone.getByRole('button', { name: String(second.prompt?.matchNumber), exact: true }).click();
      await phone.getByRole('button', { name: 'Confirm', exact: true }).click();
      await phone.getByText(/This request has expired|This request had already ended/u).waitFor();
      expect((await t.app.verification.get(second.id)).state).to.not.equal('verified');
      await phone.unroute('**/v1/prompts/*/confirm');
      clock.offset = 0;

      // A removed passkey: removed in the portal while its prompt waits.
      const third = await promptDevice(t);
      const waiting = await mailedLink(t);
      await phone.goto((await portalToken(t.url)).url);
      await phone.getByRole('button', { name: 'Remove: Alex’s phone' }).click();
      await phone.getByText('“Alex’s phone” was removed.').waitFor();
      await phone.goto(waiting.link);
      await phone.getByRole('button', { name: String(third.prompt?.matchNumber), exact: true }).click();
      await phone.getByRole('button', { name: 'Confirm', exact: true }).click();
      await phone.getByText('This device is not one of your trusted devices').waitFor();
      expect((await t.app.verification.get(third.id)).state).to.equal('awaiting_device');
    });

    it('registers from inside the company’s own page, through the one-tag embed (a cross-origin frame)', async () => {
      const { token } = await portalToken(t.url);
      // The company's portal: another origin (127.0.0.1 is not localhost), with the embed tag and nothing else.
      const host = createServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(
          `<!doctype html><title>Example Co account</title><h1>Your account</h1>` +
            `<script src="${t.origin}/trusted-devices.js" data-token="${token}"></script>`,
        );
      });
      await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
      try {
        const page = await device({ width: 1280, height: 800 });
        await page.goto(`http://127.0.0.1:${(host.address() as AddressInfo).port}/`);
        const frame = page.frameLocator('iframe[title="Your trusted devices"]');
        await frame.getByLabel('Name this device').waitFor();
        const inner = page.frames().find((f) => f.url().startsWith(`${t.origin}/devices`));
        if (!inner) throw new Error('the embed made no frame');
        await addVirtualPasskeyDevice(inner);
        await frame.getByLabel('Name this device').fill('Laptop');
        await frame.getByRole('button', { name: 'Add this device' }).click();
        await frame.getByText('“Laptop” was added.').waitFor();
        expect((await t.app.passkeys?.registry.list('demo-alex'))?.map((p) => p.name)).to.deep.equal(['Laptop']);
        await screenshot(page, 'passkey-portal-embedded');
      } finally {
        await new Promise<void>((resolve) => host.close(() => resolve()));
      }
    });

    it('stops confirming with a passkey the moment it is removed in the portal', async () => {
      const phone = await device();
      await addVirtualPasskeyDevice(phone);
      await registerIn(phone, 'Alex’s phone');
      await phone.getByRole('button', { name: 'Remove: Alex’s phone' }).click();
      await phone.getByText('“Alex’s phone” was removed.').waitFor();
      const error = await promptDevice(t).catch((e: unknown) => e);
      expect((error as { code?: string }).code, 'no trusted device left').to.equal('sv_no_trusted_device');
    });
  });

  describe('notifications', () => {
    const VAPID = webpush.generateVAPIDKeys();
    beforeEach(async () => {
      t = await startPasskeyApp({
        VAPID_PUBLIC_KEY: VAPID.publicKey,
        VAPID_PRIVATE_KEY: VAPID.privateKey,
        VAPID_SUBJECT: 'mailto:security@example.com',
      });
    });
    afterEach(async () => {
      await closeDevices();
      await t.close();
    });

    it('offers them on the device registered in this browser, and its service worker shows a push and opens the page', async () => {
      const phone = await device();
      await phone.context().grantPermissions(['notifications'], { origin: t.origin });
      await addVirtualPasskeyDevice(phone);
      await registerIn(phone, 'Alex’s phone');
      const offer = phone.getByRole('button', { name: 'Notify me on this device' });
      await offer.waitFor();
      await offer.click();
      // Headless Chromium here reaches no push service (FCM): the page says so and keeps the email route.
      await phone
        .getByText(/Prompts now also arrive as notifications|Notifications could not be turned on here/u)
        .waitFor();

      await phone.evaluate('navigator.serviceWorker.ready.then(() => true)');
      const cdp = await phone.context().newCDPSession(phone);
      const registrations: Array<{ registrationId: string; scopeURL: string }> = [];
      cdp.on('ServiceWorker.workerRegistrationUpdated', (event) => registrations.push(...event.registrations));
      await cdp.send('ServiceWorker.enable');
      await until(() => registrations.some((r) => r.scopeURL === `${t.origin}/`), 'the service worker', 15_000);
      const registrationId = registrations.find((r) => r.scopeURL === `${t.origin}/`)?.registrationId ?? '';
      const url = `${t.origin}/confirm#p=x&t=y`;
      const data = JSON.stringify({
        title: 'Confirm it’s you to Example Co',
        body: 'Robin is asking.',
        url,
        tag: 'p-1',
      });
      let shown: Array<{ title: string; tag: string; url: string }> = [];
      // Delivered again until shown: a worker still starting may miss the first one.
      await until(
        async () => {
          await cdp.send('ServiceWorker.deliverPushMessage', { origin: t.origin, registrationId, data });
          await new Promise((resolve) => setTimeout(resolve, 200));
          shown = await phone.evaluate(`navigator.serviceWorker.ready.then((r) => r.getNotifications()).then((list) =>
            list.map((n) => ({ title: n.title, tag: n.tag, url: n.data && n.data.url })))`);
          return shown.length > 0;
        },
        'the notification',
        15_000,
      );
      expect(shown).to.deep.equal([{ title: 'Confirm it’s you to Example Co', tag: 'p-1', url }]);
    });
  });

  describe('from the agent’s side', () => {
    it('Slack: /verify, Prompt their device, the customer confirms with the passkey, the card shows verified', async () => {
      const { origin, options } = await passkeyAppOptions();
      const h = await startSlackApp(options);
      try {
        const phone = await device();
        await addVirtualPasskeyDevice(phone);
        await registerIn(phone, 'Alex’s phone', h.t.url);

        await h.send(slashCommand('alex@example.com', {}, h.slack.responseUrl()));
        await h.slack.waitFor('chat.postMessage', 1);
        const [session] = await h.t.app.verification.recent({ id: AGENT_USER, channel: 'slack', workspaceId: TEAM }, 1);
        expect(shownText(h.slack.calls('chat.postMessage')[0] as SlackCall)).to.contain('Alex’s phone');
        await h.send(buttonClick(ACTIONS.chooseDevice, session?.id ?? '', { responseUrl: h.slack.responseUrl('d') }));
        const link = await mailedLink(h.t);
        expect(link.link.startsWith(`${origin}/confirm`)).to.equal(true);
        const waiting = await h.t.app.verification.get(session?.id ?? '');
        await phone.goto(link.link);
        await phone.getByRole('button', { name: String(waiting.prompt?.matchNumber), exact: true }).click();
        await phone.getByRole('button', { name: 'Confirm', exact: true }).click();
        await phone.getByText('You confirmed it is you.').waitFor();
        await until(
          () => h.slack.calls('chat.update').some((c) => shownText(c).includes('is verified')),
          'the agent’s card to show verified',
          5000,
        );
      } finally {
        await closeDevices();
        await h.close();
      }
    });

    it('Teams: verify …, Prompt their device, the customer confirms with the passkey, the card shows verified', async () => {
      const { options } = await passkeyAppOptions();
      const h = await startTeamsApp(options);
      try {
        const phone = await device();
        await addVirtualPasskeyDevice(phone);
        await registerIn(phone, 'Alex’s phone', h.t.url);

        await h.send(message(h.serviceUrl, 'verify alex@example.com'));
        await h.connector.waitFor(() => h.connector.cards().length > 0, 'the card');
        const [session] = await h.t.app.verification.recent(teamsUser(TEAMS_AGENT), 1);
        const pressed = await h.send(cardAction(h.serviceUrl, 'sv.choose_device', { sessionId: session?.id }));
        expect(pressed.status).to.equal(200);
        const link = await mailedLink(h.t);
        const waiting = await h.t.app.verification.get(session?.id ?? '');
        await phone.goto(link.link);
        await phone.getByRole('button', { name: String(waiting.prompt?.matchNumber), exact: true }).click();
        await phone.getByRole('button', { name: 'Confirm', exact: true }).click();
        await phone.getByText('You confirmed it is you.').waitFor();
        await h.connector.waitFor(
          () => h.connector.cards((c) => c.method === 'PUT').some((c) => cardText(c.card).includes('is verified')),
          'the agent’s card to show verified',
        );
      } finally {
        await closeDevices();
        await h.close();
      }
    });
  });
});
