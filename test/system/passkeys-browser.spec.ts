import { expect } from 'chai';
import type { BrowserContext, Page } from 'playwright-core';
import { addVirtualPasskeyDevice, screenshot, useBrowser } from '../support/browser.ts';
import { mailedLink, type PasskeyApp, portalToken, promptDevice, startPasskeyApp } from '../support/passkeys.ts';

// The real ceremonies, in Chromium with CDP virtual authenticators: the browser's own WebAuthn makes and uses the
// passkeys, and @simplewebauthn/server checks what it made. Nothing here is our authenticator.
describe('passkeys in a real browser (Chromium, virtual authenticators)', function () {
  this.timeout(60_000);
  const browser = useBrowser();
  let t: PasskeyApp;
  let contexts: BrowserContext[];
  beforeEach(async () => {
    t = await startPasskeyApp();
    contexts = [];
  });
  afterEach(async () => {
    for (const context of contexts) await context.close();
    await t.close();
  });

  /** A fresh browser profile (its own authenticator), as another device of the customer's, or someone else's. */
  async function device(): Promise<Page> {
    const context = await browser().newContext({ viewport: { width: 390, height: 844 } });
    contexts.push(context);
    return context.newPage();
  }

  async function registerIn(page: Page, name: string): Promise<void> {
    const { url } = await portalToken(t.url);
    await page.goto(url);
    await page.getByLabel('Name this device').fill(name);
    await page.getByRole('button', { name: 'Add this device' }).click();
    await page.getByText(`“${name}” was added.`).waitFor();
  }

  it('registers this device in the portal, then confirms a prompt with it: the number first, then the passkey', async () => {
    const phone = await device();
    const authenticator = await addVirtualPasskeyDevice(phone);
    await registerIn(phone, 'Alex’s phone');
    expect(await phone.locator('#devices li strong').allTextContents()).to.deep.equal(['Alex’s phone']);
    expect(new URL(phone.url()).hash, 'the token is taken out of the address bar').to.equal('');
    expect(await authenticator.credentials()).to.have.length(1);
    await screenshot(phone, 'passkey-portal');

    const session = await promptDevice(t);
    const link = await mailedLink(t);
    await phone.goto(link.link);
    await phone.getByText('Robin from Example Co (Slack) wants to confirm').waitFor();
    await phone.getByRole('button', { name: 'Confirm', exact: true }).click();
    await phone.getByText('Pick the number your support agent gave you first').waitFor();
    await phone.getByRole('button', { name: String(session.prompt?.matchNumber), exact: true }).click();
    await screenshot(phone, 'passkey-confirmation');
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
