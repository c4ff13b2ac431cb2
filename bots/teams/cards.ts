import { type Locale, type MessageKey, type MessageParams, renderMessage } from '../../core/messages/catalog.ts';
import type { AccountSummary, LimitedProfile } from '../../core/ports/index.ts';
import type { Session } from '../../core/session.ts';
import {
  type AgentCard,
  customerScript,
  deniedKey,
  endedText,
  firstTrustedDevice,
  offersFor,
  type RenderContext,
} from '../presentation/verification-view.ts';

/** The verbs of every `Action.Execute` the cards carry; the bot's `adaptiveCard/action` handler routes on them. */
export const VERBS = {
  refresh: 'sv.refresh',
  chooseDevice: 'sv.choose_device',
  choosePin: 'sv.choose_pin',
  submitPin: 'sv.submit_pin',
  cancel: 'sv.cancel',
  revoke: 'sv.revoke',
  /** The customer's "It's me" in a shared chat. */
  identify: 'sv.identify',
} as const;
export type Verb = (typeof VERBS)[keyof typeof VERBS];

/** The dialogs (task modules) the bot opens, named in the data of the button that opens them. */
export const DIALOGS = { customerPin: 'sv.customer_pin', verify: 'sv.verify' } as const;
export const PIN_FIELD = 'pin';
export const QUERY_FIELD = 'query';
export const CUSTOMER_FIELD = 'customer';
/** The picker's "nobody named" choice: the customer identifies themselves. */
export const NOBODY = 'none';

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: string;
  version: '1.5';
  body: CardElement[];
  actions?: CardElement[];
  refresh?: { action: CardElement; userIds: string[] };
  msteams?: { width: 'Full' };
}
type CardElement = Record<string, unknown>;

const t = (key: MessageKey, locale: Locale, params?: MessageParams) => renderMessage(key, locale, params);
const SCHEMA = 'http://adaptivecards.io/schemas/adaptive-card.json';

/** Escapes the markdown Adaptive Cards honour in a TextBlock, so user data cannot inject links or emphasis. */
export function escapeCardMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]]/gu, (c) => `\\${c}`);
}

/** A time the Teams client shows in the reader's own time zone and format. */
export function cardTime(epochMs: number): string {
  return `{{TIME(${new Date(epochMs).toISOString().replace(/\.\d{3}Z$/u, 'Z')})}}`;
}

const text = (value: string, extra: CardElement = {}): CardElement => ({
  type: 'TextBlock',
  text: value,
  wrap: true,
  ...extra,
});
const execute = (title: string, verb: Verb, sessionId: string, extra: CardElement = {}): CardElement => ({
  type: 'Action.Execute',
  title,
  verb,
  data: { sessionId },
  ...extra,
});

function card(body: CardElement[], actions: CardElement[] = [], refresh?: AdaptiveCard['refresh']): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    $schema: SCHEMA,
    version: '1.5',
    body,
    ...(actions.length > 0 ? { actions } : {}),
    ...(refresh ? { refresh } : {}),
    msteams: { width: 'Full' },
  };
}

/**
 * Teams asks for the agent's own view whenever the agent looks at the card (Universal Actions refresh), so
 * the card stays current even where a proactive update was missed, and in a shared conversation only the
 * agent ever sees the details.
 */
function refreshFor(session: Session, agentTeamsId: string | undefined): AdaptiveCard['refresh'] {
  return agentTeamsId
    ? {
        action: { type: 'Action.Execute', verb: VERBS.refresh, data: { sessionId: session.id } },
        userIds: [agentTeamsId],
      }
    : undefined;
}

/** The agent's card for every state: what a Teams agent sees, answered to `adaptiveCard/action` and refresh. */
export function renderAgentCardTeams(view: AgentCard, agentTeamsId?: string): AdaptiveCard {
  const { session, locale } = view;
  const name = escapeCardMarkdown(view.profile?.displayName ?? view.account?.displayName ?? 'the customer');
  const id = session.id;
  const trusted = view.account?.devices.filter((d) => d.trusted) ?? [];
  const body: CardElement[] = [
    text(t('agent.title', locale, { customer: name }), { size: 'Medium', weight: 'Bolder', style: 'heading' }),
  ];
  const actions: CardElement[] = [];
  const cancel = execute(t('label.cancel', locale), VERBS.cancel, id);
  const device = execute(t('label.device', locale), VERBS.chooseDevice, id);

  switch (session.state) {
    case 'started': {
      const offers = offersFor(session, view.account, locale, cardTime);
      if (session.notice === 'device_unreachable')
        body.push(text(t('agent.delivery_failed', locale), { color: 'Attention', weight: 'Bolder' }));
      body.push(text(t('agent.choose_method', locale, { customer: name })));
      if (offers.device)
        body.push(
          text(`${t('agent.method.device', locale)}: ${trusted.map((d) => escapeCardMarkdown(d.name)).join(', ')}`, {
            isSubtle: true,
            size: 'Small',
          }),
        );
      for (const line of offers.lines) body.push(text(line, { color: 'Warning', size: 'Small' }));
      if (offers.device) actions.push({ ...device, style: 'positive' });
      if (offers.pin) actions.push(execute(t('label.pin', locale), VERBS.choosePin, id));
      actions.push(cancel);
      break;
    }
    case 'awaiting_device': {
      const offers = offersFor(session, view.account, locale, cardTime);
      body.push(
        text(
          t('agent.waiting_device', locale, {
            customer: name,
            device: escapeCardMarkdown(firstTrustedDevice(view.account)),
          }),
        ),
      );
      if (session.prompt?.matchNumber !== undefined)
        body.push({
          type: 'FactSet',
          facts: [{ title: t('agent.number', locale), value: String(session.prompt.matchNumber) }],
        });
      body.push(
        text(t('agent.expires', locale, { until: cardTime(session.prompt?.expiresAt ?? view.now) }), {
          isSubtle: true,
          size: 'Small',
        }),
      );
      body.push(scriptContainer(session, view));
      if (offers.pin) actions.push(execute(t('label.pin', locale), VERBS.choosePin, id));
      actions.push(cancel);
      break;
    }
    case 'awaiting_pin': {
      const offers = offersFor(session, view.account, locale, cardTime);
      if (session.notice === 'pin_rejected')
        body.push(text(t('agent.pin_not_accepted', locale), { color: 'Attention', weight: 'Bolder' }));
      body.push(text(t('agent.pin_entry', locale)));
      body.push(
        view.customerInChannel
          ? text(t('agent.customer_in_channel', locale), { isSubtle: true })
          : scriptContainer(session, view),
      );
      body.push({
        type: 'Input.Text',
        id: PIN_FIELD,
        label: t('label.pin_modal.agent_field', locale),
        placeholder: '••••',
        maxLength: 4,
        regex: '^\\d{4}$',
        isRequired: true,
        errorMessage: t('agent.pin_invalid', locale),
      });
      body.push(
        text(t('label.tries_left', locale, { tries: session.pinTriesLeft ?? 0 }), { isSubtle: true, size: 'Small' }),
      );
      actions.push(
        execute(t('label.pin_modal.submit', locale), VERBS.submitPin, id, {
          style: 'positive',
          associatedInputs: 'auto',
        }),
      );
      if (offers.device) actions.push({ ...device, associatedInputs: 'none' });
      actions.push({ ...cancel, associatedInputs: 'none' });
      break;
    }
    case 'verified': {
      const until = cardTime(session.grant?.expiresAt ?? view.now);
      body.push(text(t('agent.verified', locale, { customer: name, until }), { color: 'Good', weight: 'Bolder' }));
      if (view.profile) body.push(...profileElements(view.profile, locale));
      body.push(text(t('agent.access_until', locale, { until }), { isSubtle: true, size: 'Small' }));
      actions.push({
        type: 'Action.ShowCard',
        title: t('label.revoke', locale),
        card: {
          type: 'AdaptiveCard',
          body: [text(t('label.revoke.text', locale))],
          actions: [execute(t('label.revoke.confirm', locale), VERBS.revoke, id, { style: 'destructive' })],
        },
      });
      break;
    }
    default:
      body.push(text(endedText(session, locale, cardTime), { color: endedColor(session) }));
  }
  const who = customerLine(view, locale);
  if (who) body.splice(1, 0, who);
  return card(body, actions, refreshFor(session, agentTeamsId));
}

/** Who the customer is in a shared chat, for the agent: named (or identified), or not yet. */
function customerLine(view: AgentCard, locale: Locale): CardElement | undefined {
  const { session } = view;
  const open = session.state === 'started' || session.state === 'awaiting_device' || session.state === 'awaiting_pin';
  if (!open || !view.customerInChannel || session.refs?.webchat !== undefined) return undefined;
  return text(
    session.customer
      ? t('agent.customer.named', locale, { customer: escapeCardMarkdown(session.customer.displayName ?? '') })
      : t('agent.customer.waiting', locale),
    { isSubtle: true, size: 'Small' },
  );
}

/**
 * What everyone else in a shared conversation sees of the agent's card: who is verifying and how far it is,
 * never the customer's data. The agent's client swaps it for their own view through refresh.
 */
export function renderSharedCardTeams(
  session: Session,
  agentTeamsId: string | undefined,
  locale: Locale,
): AdaptiveCard {
  const state = t(`label.state.${session.state}` as MessageKey, locale);
  return card(
    [text(t('agent.teams.private', locale, { agent: escapeCardMarkdown(session.agent.displayName), state }))],
    [],
    refreshFor(session, agentTeamsId),
  );
}

function scriptContainer(session: Session, view: AgentCard): CardElement {
  const script = customerScript(session, view.account, view, escapeCardMarkdown);
  const key = session.state === 'awaiting_device' ? 'agent.script.device' : 'agent.script.pin';
  return { type: 'Container', style: 'emphasis', items: [text(t(key, view.locale, { script }))] };
}

function profileElements(profile: LimitedProfile, locale: Locale): CardElement[] {
  return [
    {
      type: 'FactSet',
      facts: [
        { title: t('label.profile.email', locale), value: escapeCardMarkdown(profile.email) },
        { title: t('label.profile.plan', locale), value: escapeCardMarkdown(profile.plan) },
        { title: t('label.profile.member_since', locale), value: escapeCardMarkdown(profile.memberSince) },
      ],
    },
    text(t('label.profile.devices', locale), { weight: 'Bolder' }),
    {
      type: 'FactSet',
      facts: profile.devices.slice(0, 20).map((d) => ({
        title: escapeCardMarkdown(`${d.name} — ${d.model}`),
        value: `${t('label.profile.serial', locale)} ${escapeCardMarkdown(d.serial)}`,
      })),
    },
  ];
}

function endedColor(session: Session): string {
  if (session.state === 'denied' || session.state === 'failed') return 'Attention';
  if (session.state === 'expired') return 'Warning';
  return 'Default';
}

/** The customer's card in a shared conversation, or undefined where the state has nothing to tell them. */
export function renderCustomerCardTeams(
  session: Session,
  account: AccountSummary | undefined,
  ctx: RenderContext,
): AdaptiveCard | undefined {
  const locale = session.customerLocale;
  const agent = escapeCardMarkdown(session.agent.displayName);
  switch (session.state) {
    case 'awaiting_device':
      return card(
        [text(customerScript(session, account, ctx, escapeCardMarkdown))],
        ctx.confirmUrl
          ? [
              {
                type: 'Action.OpenUrl',
                title: t('label.customer.confirm', locale),
                url: ctx.confirmUrl,
                style: 'positive',
              },
            ]
          : [],
      );
    case 'awaiting_pin':
      // In a shared chat nobody's PIN counts until the customer is known: named by the agent, or by this button.
      if (!session.customer)
        return card(
          [text(t('customer.identify', locale, { agent, company: escapeCardMarkdown(ctx.company) }))],
          [execute(t('label.customer.identify', locale), VERBS.identify, session.id, { style: 'positive' })],
        );
      return card(
        [
          text(t('label.customer.for', locale, { customer: escapeCardMarkdown(session.customer.displayName ?? '') }), {
            isSubtle: true,
            size: 'Small',
          }),
          text(t('customer.pin.instructions_button', locale, { minutes: ctx.pinMinutes })),
        ],
        [
          {
            type: 'Action.Submit',
            title: t('label.customer.enter_pin', locale),
            style: 'positive',
            data: { msteams: { type: 'task/fetch' }, dialog: DIALOGS.customerPin, sessionId: session.id },
          },
        ],
      );
    case 'verified':
      return card([
        text(t('customer.verified', locale, { agent, until: cardTime(session.grant?.expiresAt ?? ctx.now) })),
      ]);
    case 'denied':
      return card([text(t(deniedKey(session), locale))]);
    case 'failed':
      return card([text(t('customer.failed', locale))]);
    case 'expired':
      return card([text(t('customer.expired', locale))]);
    case 'cancelled':
      return card([text(t('customer.cancelled', locale))]);
    default:
      return undefined;
  }
}

/** The dialog in which the customer types their PIN, so it never lands in the conversation. */
export function renderCustomerPinDialog(
  sessionId: string,
  locale: Locale,
  triesLeft: number | undefined,
  error?: string,
): AdaptiveCard {
  return card(
    [
      ...(error ? [text(error, { color: 'Attention' })] : []),
      {
        type: 'Input.Text',
        id: PIN_FIELD,
        label: t('label.pin_modal.customer_field', locale),
        placeholder: '••••',
        maxLength: 4,
        regex: '^\\d{4}$',
        isRequired: true,
        errorMessage: t('agent.pin_invalid', locale),
      },
      ...(triesLeft === undefined
        ? []
        : [text(t('label.tries_left', locale, { tries: triesLeft }), { isSubtle: true })]),
    ],
    [
      {
        type: 'Action.Submit',
        title: t('label.pin_modal.submit', locale),
        data: { dialog: DIALOGS.customerPin, sessionId },
      },
    ],
  );
}

/** The message action's dialog: who to verify, pre-filled from the customer's message. */
/** Who the agent may name as the customer: the chat's members, the message's author pre-selected. */
export interface CustomerChoiceTeams {
  members: Array<{ id: string; name: string }>;
  selected?: string;
}

export function renderVerifyDialog(
  query: string,
  locale: Locale,
  error?: string,
  customers?: CustomerChoiceTeams,
): AdaptiveCard {
  const picker: CardElement[] =
    customers && customers.members.length > 0
      ? [
          {
            type: 'Input.ChoiceSet',
            id: CUSTOMER_FIELD,
            label: t('label.verify_modal.customer', locale),
            style: 'compact',
            isRequired: false,
            choices: [
              ...customers.members.map((m) => ({ title: m.name.slice(0, 100), value: m.id })),
              { title: t('label.verify_modal.customer_nobody', locale), value: NOBODY },
            ],
            ...(customers.members.some((m) => m.id === customers.selected) ? { value: customers.selected } : {}),
          },
          text(t('label.verify_modal.customer_hint', locale), { isSubtle: true, size: 'Small' }),
        ]
      : [];
  return card(
    [
      ...(error ? [text(error, { color: 'Attention' })] : []),
      {
        type: 'Input.Text',
        id: QUERY_FIELD,
        label: t('label.verify_modal.field', locale),
        value: query,
        maxLength: 200,
        isRequired: true,
        errorMessage: t('agent.teams.usage', locale),
      },
      ...picker,
    ],
    [{ type: 'Action.Submit', title: t('label.verify_modal.submit', locale), data: { dialog: DIALOGS.verify } }],
  );
}

/** A short card for anything the bot says outside a verification (help, refusals). */
export function renderNoticeCard(message: string): AdaptiveCard {
  return card([text(message)]);
}
