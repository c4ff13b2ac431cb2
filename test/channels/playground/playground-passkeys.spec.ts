import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../../support/app.ts';
import { layoutProblems, screenshot, useBrowser, watchPageErrors } from '../../support/browser.ts';
import { passkeyAppOptions } from '../../support/passkeys.ts';

describe('Playground with the built-in passkeys (Chromium)', function () {
  this.timeout(90_000);
  const browser = useBrowser();
  let t: TestApp;
  let page: Page;
  let errors: string[];
  beforeEach(async () => {
    // As `DEVICE_PROMPTS=passkey npm start` runs: the playground's phone is the real device portal and page.
    const { origin, options } = await passkeyAppOptions();
    t = await startTestApp({
      ...options,
      mutate: (config) => {
        options.mutate?.(config);
        config.portalApiKeys = ['demo-portal-key'];
      },
    });
    const context = await browser().newContext({ locale: 'en-GB', viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
    errors = watchPageErrors(page);
    await page.goto(`${origin}/`);
  });
  afterEach(async () => {
    await page.context().close();
    await t.close();
  });

  const agent = () => page.locator('#agent');
  const phone = () => page.frameLocator('#device-frame');

  it('adds the phone with its virtual passkey, then confirms the agent’s prompt on the real confirmation page', async () => {
    await phone().getByLabel('Name this device').fill('Playground phone');
    await phone().getByRole('button', { name: 'Add this device' }).click();
    await phone().getByText('“Playground phone” was added.').waitFor();
    const [passkey] = (await t.app.passkeys?.registry.list('demo-alex')) ?? [];
    expect(passkey?.name, 'kept on the server, as any passkey').to.equal('Playground phone');

    await agent().getByRole('button', { name: 'Send' }).click();
    await agent().getByRole('heading', { name: 'Verify Alex Morgan' }).waitFor();
    await agent().getByRole('button', { name: 'Prompt their device' }).click();
    await agent().getByText('Number for the customer to pick').waitFor();
    const shown = await agent().locator('.ac-factset').first().textContent();
    const number = Number(/(\d+)\s*$/u.exec(shown ?? '')?.[1]);

    await phone().getByText('Robin', { exact: false }).first().waitFor();
    await phone()
      .getByRole('button', { name: String(number), exact: true })
      .click();
    await phone().getByRole('button', { name: 'Confirm', exact: true }).click();
    await phone().getByText('You confirmed it is you.').waitFor();
    await agent().getByText('DMPXK1ALEX01').waitFor();
    expect((await t.app.passkeys?.registry.list('demo-alex'))?.[0]?.lastUsedAt, 'the passkey’s use').to.be.a('number');
    expect(await layoutProblems(page)).to.deep.equal([]);
    await screenshot(page, 'playground-passkey-verified');
    expect(errors).to.deep.equal([]);
  });

  it('cannot confirm for an account whose phone was never added: the virtual passkey holds none of its keys', async () => {
    await agent().getByRole('button', { name: 'Send' }).click();
    await agent().getByRole('heading', { name: 'Verify Alex Morgan' }).waitFor();
    await agent().getByText('no trusted device', { exact: false }).first().waitFor();
    expect(await agent().getByRole('button', { name: 'Prompt their device' }).count()).to.equal(0);
    expect(errors).to.deep.equal([]);
  });
});
