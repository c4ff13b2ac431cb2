import type { types } from '@slack/bolt';
import { type Locale, renderMessage } from '../../core/messages/catalog.ts';

export const VERIFY_MODAL = 'sv_verify_modal';
export const VERIFY_QUERY = { block: 'sv_query_block', action: 'sv_query_input' } as const;

/** Where a verify modal was opened from: the conversation the customer is in. */
export interface VerifyOrigin {
  teamId: string;
  channelId: string;
  responseUrl?: string;
  /** The web chat conversation whose relayed thread the agent verifies from. */
  conversationId?: string;
}

/** The "Verify this customer" modal a message shortcut opens, pre-filled where possible. */
export function renderVerifyModal(locale: Locale, prefill: string | undefined, origin: VerifyOrigin): types.ModalView {
  return {
    type: 'modal',
    callback_id: VERIFY_MODAL,
    private_metadata: JSON.stringify(origin),
    title: { type: 'plain_text', text: renderMessage('label.verify_modal.title', locale) },
    submit: { type: 'plain_text', text: renderMessage('label.verify_modal.submit', locale) },
    close: { type: 'plain_text', text: renderMessage('label.pin_modal.close', locale) },
    blocks: [
      {
        type: 'input',
        block_id: VERIFY_QUERY.block,
        label: { type: 'plain_text', text: renderMessage('label.verify_modal.field', locale) },
        element: {
          type: 'plain_text_input',
          action_id: VERIFY_QUERY.action,
          max_length: 200,
          ...(prefill ? { initial_value: prefill.slice(0, 200) } : {}),
        },
      },
    ],
  };
}
