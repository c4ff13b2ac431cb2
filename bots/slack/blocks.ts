import type { types } from '@slack/bolt';
import { type Locale, type MessageKey, type MessageParams, renderMessage } from '../../core/messages/catalog.ts';
import type { AccountSummary, LimitedProfile } from '../../core/ports/index.ts';
import type { CustomerRef, Session } from '../../core/session.ts';
import {
  type AgentCard,
  customerScript,
  deniedKey,
  endedText,
  firstTrustedDevice,
  offersFor,
  type RenderContext,
} from '../presentation/verification-view.ts';
import { customerConversation } from './message-refs.ts';

type Block = types.KnownBlock;
type Button = types.Button;

export type { AgentCard, RenderContext };

/** Every action, view and shortcut id support-verify registers with Slack. */
export const ACTIONS = {
  chooseDevice: 'sv_choose_device',
  choosePin: 'sv_choose_pin',
  cancel: 'sv_cancel',
  enterPin: 'sv_enter_pin',
  revoke: 'sv_revoke',
  customerEnterPin: 'sv_customer_enter_pin',
  customerIdentify: 'sv_customer_identify',
  /** A link button to the confirmation page: Slack opens it and still tells the app, which only acknowledges. */
  customerConfirm: 'sv_customer_confirm',
} as const;
export const VIEWS = { agentPin: 'sv_agent_pin', customerPin: 'sv_customer_pin' } as const;
export const PIN_INPUT = { block: 'sv_pin_block', action: 'sv_pin_input' } as const;
export const SHORTCUT = 'sv_verify_customer';

/** Slack's published limits, enforced here so a long name or profile can never break a message. */
export const LIMITS = {
  header: 150,
  section: 3000,
  field: 2000,
  button: 75,
  context: 2000,
  blocks: 50,
  viewBlocks: 100,
};

const t = (key: MessageKey, locale: Locale, params?: MessageParams) => renderMessage(key, locale, params);

/** Escapes the three characters Slack's mrkdwn treats as markup, so user data cannot inject links or mentions. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/gu, '&amp;').replace(/</gu, '&lt;').replace(/>/gu, '&gt;');
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** A time Slack shows in each reader's own time zone, with a UTC fallback for clients that cannot. */
export function slackTime(epochMs: number): string {
  const seconds = Math.floor(epochMs / 1000);
  const fallback = `${new Date(epochMs).toISOString().slice(11, 16)} UTC`;
  return `<!date^${seconds}^{time}|${fallback}>`;
}

const section = (text: string, blockId?: string): Block => ({
  type: 'section',
  ...(blockId ? { block_id: blockId } : {}),
  text: { type: 'mrkdwn', text: truncate(text, LIMITS.section) },
});
const context = (text: string): Block => ({
  type: 'context',
  elements: [{ type: 'mrkdwn', text: truncate(text, LIMITS.context) }],
});
const header = (text: string): Block => ({
  type: 'header',
  text: { type: 'plain_text', text: truncate(text, LIMITS.header), emoji: true },
});
const button = (label: string, actionId: string, value: string, style?: 'primary' | 'danger'): Button => ({
  type: 'button',
  text: { type: 'plain_text', text: truncate(label, LIMITS.button) },
  action_id: actionId,
  value,
  ...(style ? { style } : {}),
});

function customerName(card: Pick<AgentCard, 'account' | 'profile'>): string {
  return escapeMrkdwn(card.profile?.displayName ?? card.account?.displayName ?? 'the customer');
}

/** A Slack user as a mention (Slack shows each reader the name); anything not shaped like an id, as escaped text. */
export function mention(customer: CustomerRef): string {
  return /^[UW][A-Z0-9]{2,20}$/u.test(customer.id) ? `<@${customer.id}>` : escapeMrkdwn(customer.displayName ?? '');
}

/** Who the customer is in a Slack Connect channel, for the agent: named (or identified), or not yet. */
function customerLine(session: Session, locale: Locale): Block | undefined {
  if (
    customerConversation(session) === undefined ||
    !['started', 'awaiting_device', 'awaiting_pin'].includes(session.state)
  )
    return undefined;
  return context(
    session.customer
      ? t('agent.customer.named', locale, { customer: mention(session.customer) })
      : t('agent.customer.waiting', locale),
  );
}

/** The agent's one message for a verification, for every state. */
export function renderAgentCard(card: AgentCard): { text: string; blocks: Block[] } {
  const { session, locale } = card;
  const name = customerName(card);
  const id = session.id;
  const blocks: Block[] = [
    header(t('agent.title', locale, { customer: card.profile?.displayName ?? card.account?.displayName ?? '' })),
  ];
  const trusted = card.account?.devices.filter((d) => d.trusted) ?? [];
  const deviceButton = button(t('label.device', locale), ACTIONS.chooseDevice, id);
  const pinButton = button(t('label.pin', locale), ACTIONS.choosePin, id);
  const cancelButton = button(t('label.cancel', locale), ACTIONS.cancel, id);
  let text: string;

  switch (session.state) {
    case 'started': {
      const offers = offersFor(session, card.account, locale, slackTime);
      text = t('agent.choose_method', locale, { customer: name });
      if (session.notice === 'device_unreachable')
        blocks.push(section(`:warning: ${t('agent.delivery_failed', locale)}`));
      blocks.push(section(text));
      if (offers.device)
        blocks.push(
          context(`${t('agent.method.device', locale)}: ${trusted.map((d) => escapeMrkdwn(d.name)).join(', ')}`),
        );
      for (const line of offers.lines) blocks.push(context(`:warning: ${line}`));
      blocks.push({
        type: 'actions',
        elements: [
          ...(offers.device ? [{ ...deviceButton, style: 'primary' as const }] : []),
          ...(offers.pin ? [pinButton] : []),
          cancelButton,
        ],
      });
      break;
    }
    case 'awaiting_device': {
      const offers = offersFor(session, card.account, locale, slackTime);
      text = t('agent.waiting_device', locale, {
        customer: name,
        device: escapeMrkdwn(firstTrustedDevice(card.account)),
      });
      blocks.push(section(text));
      if (session.prompt?.matchNumber !== undefined) {
        blocks.push(section(`*${t('agent.number', locale)}:*  *${session.prompt.matchNumber}*`, 'sv_number'));
      }
      blocks.push(context(t('agent.expires', locale, { until: slackTime(session.prompt?.expiresAt ?? card.now) })));
      blocks.push(scriptBlock(session, card));
      blocks.push({ type: 'actions', elements: [...(offers.pin ? [pinButton] : []), cancelButton] });
      break;
    }
    case 'awaiting_pin': {
      const offers = offersFor(session, card.account, locale, slackTime);
      const tries = session.pinTriesLeft ?? 0;
      text = t('agent.pin_entry', locale);
      if (session.notice === 'pin_rejected') blocks.push(section(`:x: *${t('agent.pin_not_accepted', locale)}*`));
      blocks.push(section(text));
      blocks.push(context(t('label.tries_left', locale, { tries })));
      blocks.push(
        card.customerInChannel ? context(t('agent.customer_in_channel', locale)) : scriptBlock(session, card),
      );
      blocks.push({
        type: 'actions',
        elements: [
          button(t('label.enter_pin', locale), ACTIONS.enterPin, id, 'primary'),
          ...(offers.device ? [deviceButton] : []),
          cancelButton,
        ],
      });
      break;
    }
    case 'verified': {
      const until = slackTime(session.grant?.expiresAt ?? card.now);
      text = t('agent.verified', locale, { customer: name, until });
      blocks.push(section(`:white_check_mark: ${text}`));
      if (card.profile) blocks.push(...profileBlocks(card.profile, locale));
      blocks.push(context(t('agent.access_until', locale, { until })));
      blocks.push({
        type: 'actions',
        elements: [
          {
            ...button(t('label.revoke', locale), ACTIONS.revoke, id, 'danger'),
            confirm: {
              title: { type: 'plain_text', text: t('label.revoke.title', locale) },
              text: { type: 'plain_text', text: t('label.revoke.text', locale) },
              confirm: { type: 'plain_text', text: t('label.revoke', locale) },
              deny: { type: 'plain_text', text: t('label.revoke.keep', locale) },
              style: 'danger',
            },
          },
        ],
      });
      break;
    }
    default: {
      text = endedText(session, locale, slackTime);
      blocks.push(section(`${stateIcon(session)} ${text}`));
    }
  }
  const who = customerLine(session, locale);
  if (who) blocks.splice(2, 0, who);
  return { text, blocks };
}

function scriptBlock(session: Session, card: AgentCard): Block {
  const script = customerScript(session, card.account, card);
  const key = session.state === 'awaiting_device' ? 'agent.script.device' : 'agent.script.pin';
  return section(`>${escapeMrkdwn(t(key, card.locale, { script })).replace(/\n/gu, '\n>')}`, 'sv_script');
}

function profileBlocks(profile: LimitedProfile, locale: Locale): Block[] {
  const fields = [
    [t('label.profile.email', locale), escapeMrkdwn(profile.email)],
    [t('label.profile.plan', locale), escapeMrkdwn(profile.plan)],
    [t('label.profile.member_since', locale), escapeMrkdwn(profile.memberSince)],
  ];
  const devices = profile.devices
    .slice(0, 20)
    .map(
      (d) =>
        `• ${escapeMrkdwn(d.name)} — ${escapeMrkdwn(d.model)} · ${t('label.profile.serial', locale)} \`${escapeMrkdwn(d.serial)}\``,
    )
    .join('\n');
  return [
    {
      type: 'section',
      block_id: 'sv_profile',
      fields: fields.map(([label, value]) => ({
        type: 'mrkdwn' as const,
        text: truncate(`*${label}*\n${value}`, LIMITS.field),
      })),
    },
    section(`*${t('label.profile.devices', locale)}*\n${devices}`, 'sv_devices'),
  ];
}

const STATE_ICONS: Record<Session['state'], string> = {
  started: ':large_blue_circle:',
  awaiting_device: ':hourglass_flowing_sand:',
  awaiting_pin: ':hourglass_flowing_sand:',
  verified: ':white_check_mark:',
  denied: ':no_entry:',
  failed: ':x:',
  expired: ':hourglass:',
  cancelled: ':white_circle:',
  closed: ':white_circle:',
};

function stateIcon(session: Session): string {
  return STATE_ICONS[session.state];
}

/** The customer's message in a shared conversation, or undefined where the state has nothing to tell them. */
export function renderCustomerMessage(
  session: Session,
  account: AccountSummary | undefined,
  ctx: RenderContext,
): { text: string; blocks: Block[] } | undefined {
  const locale = session.customerLocale;
  const params = { agent: escapeMrkdwn(session.agent.displayName) };
  let text: string;
  switch (session.state) {
    case 'awaiting_device':
      text = customerScript(session, account, ctx, escapeMrkdwn);
      if (ctx.confirmUrl)
        return {
          text,
          blocks: [
            section(text),
            {
              type: 'actions',
              elements: [
                {
                  type: 'button',
                  text: { type: 'plain_text', text: truncate(t('label.customer.confirm', locale), LIMITS.button) },
                  action_id: ACTIONS.customerConfirm,
                  url: ctx.confirmUrl,
                  style: 'primary',
                },
              ],
            },
          ],
        };
      break;
    case 'awaiting_pin':
      // In a shared channel nobody's PIN counts until the customer is known: named by the agent, or by this button.
      if (!session.customer) {
        text = t('customer.identify', locale, { ...params, company: escapeMrkdwn(ctx.company) });
        return {
          text,
          blocks: [
            section(text),
            {
              type: 'actions',
              elements: [button(t('label.customer.identify', locale), ACTIONS.customerIdentify, session.id, 'primary')],
            },
          ],
        };
      }
      text = t('customer.pin.instructions_button', locale, { minutes: ctx.pinMinutes });
      return {
        text,
        blocks: [
          context(t('label.customer.for', locale, { customer: mention(session.customer) })),
          section(text),
          {
            type: 'actions',
            elements: [button(t('label.customer.enter_pin', locale), ACTIONS.customerEnterPin, session.id, 'primary')],
          },
        ],
      };
    case 'verified':
      text = t('customer.verified', locale, { ...params, until: slackTime(session.grant?.expiresAt ?? ctx.now) });
      break;
    case 'denied':
      text = t(deniedKey(session), locale);
      break;
    case 'failed':
      text = t('customer.failed', locale);
      break;
    case 'expired':
      text = t('customer.expired', locale);
      break;
    case 'cancelled':
      text = t('customer.cancelled', locale);
      break;
    default:
      return undefined;
  }
  return { text, blocks: [section(text)] };
}

/** The PIN modal, for the agent (typing what the customer reads out) or the customer (typing it privately). */
export function renderPinModal(
  who: 'agent' | 'customer',
  sessionId: string,
  locale: Locale,
  triesLeft: number | undefined,
): types.ModalView {
  return {
    type: 'modal',
    callback_id: who === 'agent' ? VIEWS.agentPin : VIEWS.customerPin,
    private_metadata: sessionId,
    title: { type: 'plain_text', text: t('label.pin_modal.title', locale) },
    submit: { type: 'plain_text', text: t('label.pin_modal.submit', locale) },
    close: { type: 'plain_text', text: t('label.pin_modal.close', locale) },
    blocks: [
      {
        type: 'input',
        block_id: PIN_INPUT.block,
        label: {
          type: 'plain_text',
          text: t(who === 'agent' ? 'label.pin_modal.agent_field' : 'label.pin_modal.customer_field', locale),
        },
        element: {
          type: 'plain_text_input',
          action_id: PIN_INPUT.action,
          min_length: 4,
          max_length: 4,
          focus_on_load: true,
          placeholder: { type: 'plain_text', text: '••••' },
        },
        ...(triesLeft === undefined
          ? {}
          : { hint: { type: 'plain_text' as const, text: t('label.tries_left', locale, { tries: triesLeft }) } }),
      },
    ],
  };
}

export interface HomeEntry {
  session: Session;
  customer: string;
}

/** App Home: active access first (with Revoke), then recent verifications. */
export function renderHome(entries: HomeEntry[], locale: Locale, now: number): types.HomeView {
  const active = entries.filter((e) => e.session.state === 'verified' && (e.session.grant?.expiresAt ?? 0) > now);
  const blocks: Block[] = [
    header(t('agent.home.title', locale)),
    context(t('agent.home.intro', locale)),
    { type: 'divider' },
  ];
  blocks.push(section(`*${t('agent.home.grants', locale)}*`));
  if (active.length === 0) blocks.push(context(t('agent.home.no_grants', locale)));
  for (const { session, customer } of active.slice(0, 10)) {
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: truncate(
          `*${escapeMrkdwn(customer)}* — ${t('agent.access_until', locale, { until: slackTime(session.grant?.expiresAt ?? now) })}`,
          LIMITS.section,
        ),
      },
      accessory: button(t('label.revoke', locale), ACTIONS.revoke, session.id, 'danger'),
    });
  }
  blocks.push({ type: 'divider' }, section(`*${t('agent.home.recent', locale)}*`));
  if (entries.length === 0) blocks.push(context(t('agent.home.none', locale)));
  for (const { session, customer } of entries.slice(0, 20)) {
    const state = t(`label.state.${session.state}` as MessageKey, locale);
    blocks.push(
      context(`${stateIcon(session)} *${escapeMrkdwn(customer)}* · ${state} · ${slackTime(session.createdAt)}`),
    );
  }
  return { type: 'home', blocks: blocks.slice(0, LIMITS.viewBlocks) };
}
