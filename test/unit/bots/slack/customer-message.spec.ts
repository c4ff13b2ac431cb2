import { expect } from 'chai';
import { DemoAccounts } from '../../../../adapters/accounts/demo-accounts.ts';
import { ACTIONS, renderCustomerMessage } from '../../../../bots/slack/blocks.ts';
import { sampleSession } from '../../../contract/session-store.contract.ts';
import { assertValidBlocks } from '../../../support/block-kit.ts';

const NOW = Date.parse('2026-11-24T10:00:00Z');

describe('Slack: the customer’s message in a shared conversation', () => {
  it('offers the confirmation page as a link button while a passkey prompt waits, and nothing else to click', async () => {
    const accounts = await DemoAccounts.load();
    const session = sampleSession({
      state: 'awaiting_device',
      prompt: { id: 'p1', expiresAt: NOW + 120_000, matchNumber: 42 },
    });
    const confirmUrl = 'https://verify.example.com/confirm#p=p1&t=v1.prompt.x';
    const ctx = { locale: 'en' as const, company: 'Example Co', pinMinutes: 10, now: NOW };
    const message = renderCustomerMessage(session, await accounts.summary('demo-alex'), { ...ctx, confirmUrl });
    assertValidBlocks(message?.blocks);
    const actions = message?.blocks.find((b) => b.type === 'actions') as { elements: unknown[] } | undefined;
    expect(actions?.elements).to.deep.equal([
      {
        type: 'button',
        text: { type: 'plain_text', text: 'Confirm it’s you' },
        action_id: ACTIONS.customerConfirm,
        url: confirmUrl,
        style: 'primary',
      },
    ]);
    const without = renderCustomerMessage(session, await accounts.summary('demo-alex'), ctx);
    expect(
      without?.blocks.some((b) => b.type === 'actions'),
      'no button without the passkeys',
    ).to.equal(false);
  });
});
