import type { types } from '@slack/bolt';
import { type Locale, renderMessage } from '../../core/messages/catalog.ts';
import { truncate } from './blocks.ts';

export const VERIFY_MODAL = 'sv_verify_modal';
export const VERIFY_QUERY = { block: 'sv_query_block', action: 'sv_query_input' } as const;
export const VERIFY_CUSTOMER = { block: 'sv_customer_block', action: 'sv_customer_select' } as const;

/** Where a verify modal was opened from: the conversation the customer is in. */
export interface VerifyOrigin {
  channelId: string;
  /** Where to answer the agent: the command's or the shortcut's response URL (a modal's submission has none). */
  responseUrl?: string;
  /** The web chat conversation whose relayed thread the agent verifies from. */
  conversationId?: string;
  /** A Slack Connect channel: the customer is in it, and only the one named (or who identifies) counts. */
  shared?: boolean;
  /** The `/verify` that opened the modal counted the agent's start already (Slack signs what comes back). */
  admitted?: boolean;
}

/** Who the agent may name as the customer: the channel's external members, one pre-selected when known. */
export interface CustomerChoice {
  members: Array<{ id: string; name: string }>;
  selected?: string;
}

/**
 * The "Verify this customer" modal: the email, phone or account id, pre-filled where possible, and in a
 * Slack Connect channel the customer among its external members (optional: left empty, the customer
 * identifies themselves with a button).
 */
export function renderVerifyModal(
  locale: Locale,
  prefill: string | undefined,
  origin: VerifyOrigin,
  customers?: CustomerChoice,
): types.ModalView {
  const t = (key: Parameters<typeof renderMessage>[0]) => renderMessage(key, locale);
  const blocks: types.KnownBlock[] = [
    {
      type: 'input',
      block_id: VERIFY_QUERY.block,
      label: { type: 'plain_text', text: t('label.verify_modal.field') },
      element: {
        type: 'plain_text_input',
        action_id: VERIFY_QUERY.action,
        max_length: 200,
        ...(prefill ? { initial_value: prefill.slice(0, 200) } : {}),
      },
    },
  ];
  if (customers && customers.members.length > 0) {
    const options = customers.members.map((member) => ({
      text: { type: 'plain_text' as const, text: truncate(member.name, 75) },
      value: member.id,
    }));
    const initial = options.find((o) => o.value === customers.selected);
    blocks.push({
      type: 'input',
      block_id: VERIFY_CUSTOMER.block,
      optional: true,
      label: { type: 'plain_text', text: t('label.verify_modal.customer') },
      hint: { type: 'plain_text', text: t('label.verify_modal.customer_hint') },
      element: {
        type: 'static_select',
        action_id: VERIFY_CUSTOMER.action,
        options,
        ...(initial ? { initial_option: initial } : {}),
      },
    });
  } else if (customers) {
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: t('label.verify_modal.customer_none') }] });
  }
  return {
    type: 'modal',
    callback_id: VERIFY_MODAL,
    private_metadata: JSON.stringify(origin),
    title: { type: 'plain_text', text: t('label.verify_modal.title') },
    submit: { type: 'plain_text', text: t('label.verify_modal.submit') },
    close: { type: 'plain_text', text: t('label.pin_modal.close') },
    blocks,
  };
}
