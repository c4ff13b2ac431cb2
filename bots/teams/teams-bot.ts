import {
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  CardFactory,
  type MessagingExtensionAction,
  type MessagingExtensionActionResponse,
  type TaskModuleRequest,
  type TaskModuleResponse,
  TeamsActivityHandler,
  TeamsInfo,
  TurnContext,
} from 'botbuilder';
import type { Logger } from 'pino';
import { type SupportChat, webChatStart } from '../../core/chat.ts';
import type { ConversationGuard } from '../../core/conversation-guard.ts';
import {
  DuplicateRequestError,
  IllegalTransitionError,
  NotAuthorizedError,
  UnsafeOutboundError,
} from '../../core/errors.ts';
import { type Locale, type MessageKey, type MessageParams, renderMessage } from '../../core/messages/catalog.ts';
import { formatDateTime } from '../../core/messages/format.ts';
import type { SessionStore } from '../../core/ports/index.ts';
import { type CustomerRef, type Session, sameIdentity } from '../../core/session.ts';
import type { Actor, StartInput, Verification } from '../../core/verification.ts';
import { verifyQueryFrom } from '../presentation/customer-query.ts';
import { explain, explainToCustomer, pinFeedback, refusedOnCard, withinBudget } from '../presentation/feedback.ts';
import type { TeamsAgentPolicy } from './agent-policy.ts';
import {
  type AdaptiveCard,
  CUSTOMER_FIELD,
  type CustomerChoiceTeams,
  DIALOGS,
  NOBODY,
  PIN_FIELD,
  QUERY_FIELD,
  renderCustomerPinDialog,
  renderSharedCardTeams,
  renderVerifyDialog,
  VERBS,
} from './cards.ts';
import type { TeamsAgentChannel } from './teams-channels.ts';
import {
  isNameable,
  messageAuthor,
  teamsConversation,
  teamsIdentity,
  teamsMember,
  tenantOf,
} from './teams-identity.ts';
import { type TeamsRefs, teamsOriginRefs } from './teams-refs.ts';
import type { TeamsWebChatRelay } from './webchat-relay.ts';

export interface TeamsBotDeps {
  /** Present when web chat conversations are relayed to a Teams channel. */
  webchat?: { chat: SupportChat; relay: TeamsWebChatRelay };
  verification: Verification;
  store: SessionStore;
  /** The guard with each chat's memory of the lines before (a secret split over two messages). */
  guard: ConversationGuard;
  refs: TeamsRefs;
  policy: TeamsAgentPolicy;
  agentChannel: TeamsAgentChannel;
  logger: Logger;
  /** How long a card action may take before the invoke is answered without its result (Teams waits ~3 s). */
  ackBudgetMs?: number;
}

/** The message action's command id, as the manifest declares it. */
export const MESSAGE_ACTION = 'verifyCustomer';
const VERIFY_COMMAND = /^\s*verify\b\s*(.*)$/isu;

/** `text` without a leading `@<bot name>` (or `<at>bot name</at>`) typed as text. */
export function withoutTypedMention(text: string, botName: string | undefined): string {
  if (!botName) return text;
  for (const form of [`@${botName}`, `<at>${botName}</at>`]) {
    if (text.toLowerCase().startsWith(form.toLowerCase())) return text.slice(form.length).trim();
  }
  return text;
}
// Bot Framework redelivers an activity it thinks was lost; each id is claimed before anything happens.
const DUPLICATE_WINDOW_MS = 60 * 60_000;
const CARD = 'application/vnd.microsoft.card.adaptive';
// An Input.ChoiceSet this long is still usable; a support chat with more members is not a customer's chat.
const ROSTER_SHOWN = 100;
const MESSAGE = 'application/vnd.microsoft.activity.message';

const t = (key: MessageKey, locale: Locale, params?: MessageParams) => renderMessage(key, locale, params);

export function teamsLocale(locale: string | undefined): Locale {
  return locale?.toLowerCase().startsWith('nl') ? 'nl' : 'en';
}

/**
 * support-verify in Teams: `verify …` in any chat, the "Verify customer" message action, Universal Actions
 * on the agent's card, the customer's PIN dialog, and the guard on what customers type in shared chats.
 */
export class SupportVerifyTeamsBot extends TeamsActivityHandler {
  constructor(private readonly deps: TeamsBotDeps) {
    super();
    this.onMessage(async (context, next) => {
      await this.message(context);
      await next();
    });
    // Access ends with the conversation: the bot removed from the chat, or the customer or agent leaving it.
    this.onMembersRemoved(async (context, next) => {
      await this.membersRemoved(context);
      await next();
    });
    this.onInstallationUpdateRemove(async (context, next) => {
      await this.deps.verification.closeConversation(teamsConversation(context.activity));
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      const botId = context.activity.recipient.id;
      if (context.activity.membersAdded?.some((m) => m.id === botId)) {
        await context.sendActivity(t('agent.teams.usage', teamsLocale(context.activity.locale)));
      }
      await next();
    });
  }

  private async membersRemoved(context: TurnContext): Promise<void> {
    const { activity } = context;
    const conversation = teamsConversation(activity);
    const removed = activity.membersRemoved ?? [];
    if (removed.some((m) => m.id === activity.recipient.id)) {
      await this.deps.verification.closeConversation(conversation);
      return;
    }
    for (const member of removed) {
      // Teams' documented membersRemoved names a member by the 29: id alone; whether that was the customer
      // cannot be told then, and ending access is the safe side of not knowing.
      const who = member.aadObjectId ? teamsMember(activity, member) : undefined;
      await this.deps.verification.closeConversation(conversation, who);
    }
  }

  private async message(context: TurnContext): Promise<void> {
    const { activity } = context;
    const locale = teamsLocale(activity.locale);
    // An "@Support Verify" typed as plain text (no mention entity, as some clients and the playground send it)
    // counts as the mention too, so `@Support Verify verify …` never reaches a customer as a chat line.
    const text = withoutTypedMention(
      (TurnContext.removeRecipientMention(activity) ?? activity.text ?? '').trim(),
      activity.recipient?.name,
    );
    const command = VERIFY_COMMAND.exec(text);
    const query = command?.[1]?.trim() ?? '';
    // `verify …` claims its delivery in the same step as the agent's count; anything else claims it first.
    const once = command && query ? this.deliveryClaim(context) : undefined;
    if (!once && !(await this.firstDelivery(context))) return;
    // Relayed web chat threads live in a channel; other conversations need no lookup.
    const relayed =
      activity.conversation.conversationType === 'channel'
        ? await this.deps.webchat?.relay.conversationFor(activity.conversation.id)
        : undefined;
    if (command) {
      if (!query) {
        await context.sendActivity(t('agent.teams.usage', locale));
        return;
      }
      const options = { ...(relayed ? { webchatConversationId: relayed } : {}), ...(once ? { once } : {}) };
      const refused = await this.start(context, query, options).catch((error: unknown) => {
        if (!(error instanceof DuplicateRequestError)) return explain(error, locale);
        this.deps.logger.info({ activityId: activity.id }, 'teams: duplicate delivery ignored');
        return undefined;
      });
      if (refused) await context.sendActivity(refused);
      return;
    }
    if (relayed) {
      await this.replyToWebChat(context, relayed, text);
      return;
    }
    if (activity.conversation.conversationType !== 'personal' && (await this.guard(context, text))) return;
    if (activity.conversation.conversationType === 'personal' || mentionsBot(context))
      await context.sendActivity(t('agent.teams.usage', locale));
  }

  /** Starts a verification from `verify …` or the message action; the card is posted by the first render. */
  private async start(
    context: TurnContext,
    query: string,
    options: { customer?: CustomerRef; webchatConversationId?: string; once?: StartInput['once'] } = {},
  ): Promise<string | undefined> {
    const { activity } = context;
    const locale = teamsLocale(activity.locale);
    const refused = await this.refuseUnlessAgent(context, options.once);
    if (refused) return refused;
    const personal = activity.conversation.conversationType === 'personal';
    const tenant = tenantOf(activity);
    const where: Pick<StartInput, 'conversation' | 'customer' | 'refs'> = options.webchatConversationId
      ? webChatStart(options.webchatConversationId)
      : personal
        ? {}
        : { conversation: teamsConversation(activity), ...(options.customer ? { customer: options.customer } : {}) };
    const origin = teamsOriginRefs({
      reference: TurnContext.getConversationReference(activity),
      agentTeamsId: activity.from.id,
      personal,
    });
    const session = await this.deps.verification.start({
      agent: {
        ...teamsIdentity(activity),
        displayName: activity.from.name ?? 'Agent',
        ...(tenant ? { workspaceId: tenant } : {}),
        locale,
      },
      query,
      ...where,
      refs: { ...origin, ...where.refs },
      ...(options.once ? { once: options.once } : {}),
    });
    if (options.webchatConversationId) await this.deps.webchat?.chat.link(options.webchatConversationId, session.id);
    else if (!personal) await this.deps.refs.setSessionIn(activity.conversation.id, session.id);
    return undefined;
  }

  /**
   * Undefined when the sender counts as an agent; otherwise what to tell them (and it is audited), unless `once`
   * shows the delivery is a repeat ({@link DuplicateRequestError}).
   */
  private async refuseUnlessAgent(context: TurnContext, once?: StartInput['once']): Promise<string | undefined> {
    const { activity } = context;
    const tenantId = tenantOf(activity);
    if (await this.deps.policy.allows(tenantId, activity.from.aadObjectId)) return undefined;
    if (once && !(await this.deps.store.claim(once.key, once.ttlMs))) throw new DuplicateRequestError(once.key);
    await this.deps.verification.agentUnauthorized({
      channel: 'teams',
      agentId: teamsIdentity(activity).id,
      ...(tenantId ? { workspaceId: tenantId } : {}),
    });
    return t('agent.not_authorized', teamsLocale(activity.locale));
  }

  /** An agent's reply in a relayed thread goes to the web chat customer, unless it asks for a secret. */
  private async replyToWebChat(context: TurnContext, conversationId: string, text: string): Promise<void> {
    const locale = teamsLocale(context.activity.locale);
    if (!text) return;
    try {
      await this.deps.webchat?.chat.agentSays(conversationId, text, context.activity.from.name ?? 'Agent');
    } catch (error) {
      await context.sendActivity(
        error instanceof UnsafeOutboundError ? t('agent.relay_refused', locale) : explain(error, locale),
      );
    }
  }

  /** Warns about a secret typed in a shared chat and takes a PIN while one is expected; true if it acted. */
  private async guard(context: TurnContext, text: string): Promise<boolean> {
    const { activity } = context;
    const sessionId = await this.deps.refs.sessionIn(activity.conversation.id);
    const session = sessionId ? await this.deps.verification.get(sessionId).catch(() => undefined) : undefined;
    const speaker = teamsIdentity(activity);
    const fromAgent = session !== undefined && sameIdentity(session.agent, speaker);
    const locale = session?.customerLocale ?? teamsLocale(activity.locale);
    const reply = (message: string) => context.sendActivity({ type: 'message', text: message, replyToId: activity.id });
    const scan = await this.deps.guard.line(`k:guard:teams:${activity.conversation.id}`, speaker.id, text, {
      expectingPin: !fromAgent && session?.state === 'awaiting_pin',
      locale,
      armsOthers: fromAgent,
    });
    if (scan.earlyPin && scan.findings.length === 0) await reply(t('customer.pin_early.delete', locale));
    if (scan.findings.length > 0) {
      await this.deps.verification.secretRedacted({
        channel: 'teams',
        findings: scan.findings,
        ...(session ? { sessionId: session.id } : {}),
      });
      await reply(t('customer.secret_warning.delete', locale));
    }
    if (session && scan.pin) {
      try {
        const { result, session: after } = await this.deps.verification.submitPin(session.id, scan.pin, {
          kind: 'customer',
          who: speaker,
        });
        const feedback = pinFeedback(result, after, 'customer', undefined);
        if (feedback) await context.sendActivity(feedback);
      } catch (error) {
        // Someone other than the customer: nothing was counted. A bot cannot whisper in a Teams chat, so the
        // answer is a reply to their message, which says only that it was not theirs.
        await reply(explainToCustomer(error, locale));
      }
    }
    return scan.findings.length > 0 || scan.pin !== null || scan.earlyPin;
  }

  protected override async onAdaptiveCardInvoke(
    context: TurnContext,
    invokeValue: AdaptiveCardInvokeValue,
  ): Promise<AdaptiveCardInvokeResponse> {
    const { activity } = context;
    const locale = teamsLocale(activity.locale);
    const { verb, data } = invokeValue.action;
    const sessionId = typeof data?.sessionId === 'string' ? data.sessionId : '';
    const who = teamsIdentity(activity);
    if (verb === VERBS.identify) return this.identify(context, sessionId);
    const actor: Actor = { kind: 'agent', who };
    try {
      const session = await this.deps.verification.get(sessionId);
      // Anyone else who opens a shared card, or presses its buttons, sees only who is verifying.
      if (!sameIdentity(session.agent, who)) {
        if (verb === VERBS.refresh) return cardResponse(renderSharedCardTeams(session, undefined, locale));
        throw new NotAuthorizedError('not the verifying agent');
      }
      const work = this.runCardAction(verb, session, data, actor, locale);
      const outcome = await withinBudget(work, this.deps.ackBudgetMs ?? 2500);
      if (outcome.kind === 'late') {
        // The card is updated when the work finishes (or fails), on whichever replica renders it next.
        outcome.settled.catch((error: unknown) =>
          this.deps.logger.warn({ err: { name: (error as Error).name }, verb }, 'late card action failed'),
        );
        return messageResponse(t('agent.still_working', locale));
      }
      if (outcome.kind === 'error') throw outcome.error;
      if (!('state' in outcome.value)) return outcome.value;
      return cardResponse(await this.deps.agentChannel.agentCard(outcome.value, activity.from.id));
    } catch (error) {
      // A refusal the card itself now explains (a prompt paused, PIN checks locked) is answered with the card.
      const shown = refusedOnCard(error);
      if (shown) return cardResponse(await this.deps.agentChannel.agentCard(shown, activity.from.id));
      return messageResponse(explain(error, locale));
    }
  }

  /** Someone in the chat says they are the customer: the first (other than the agent) is bound. */
  private async identify(context: TurnContext, sessionId: string): Promise<AdaptiveCardInvokeResponse> {
    const { activity } = context;
    const locale = teamsLocale(activity.locale);
    try {
      const session = await this.deps.verification.identifyCustomer(sessionId, teamsMember(activity, activity.from));
      return messageResponse(t('customer.identified', session.customerLocale));
    } catch (error) {
      return messageResponse(explainToCustomer(error, locale));
    }
  }

  /** One card action; a response when the action answers with a message instead of the card. */
  private async runCardAction(
    verb: string,
    session: Session,
    data: Record<string, unknown> | undefined,
    actor: Actor,
    locale: Locale,
  ): Promise<Session | AdaptiveCardInvokeResponse> {
    const { verification } = this.deps;
    const sessionId = session.id;
    switch (verb) {
      case VERBS.refresh:
        return session;
      case VERBS.chooseDevice:
        return verification.chooseDevice(sessionId, actor);
      case VERBS.choosePin:
        return verification.choosePin(sessionId, actor);
      case VERBS.cancel:
        return verification.cancel(sessionId, actor);
      case VERBS.revoke:
        return verification.revoke(sessionId, actor);
      case VERBS.submitPin: {
        const pin = String(data?.[PIN_FIELD] ?? '').trim();
        if (!/^\d{4}$/u.test(pin)) return messageResponse(t('agent.pin_invalid', locale));
        const outcome = await verification.submitPin(sessionId, pin, actor);
        const feedback = pinFeedback(outcome.result, outcome.session, 'agent', locale);
        if (outcome.result === 'busy' && feedback) return messageResponse(feedback);
        return outcome.session;
      }
      default:
        return messageResponse(t('agent.no_longer_pending', locale));
    }
  }

  protected override async handleTeamsTaskModuleFetch(
    context: TurnContext,
    request: TaskModuleRequest,
  ): Promise<TaskModuleResponse> {
    const data = (request.data ?? {}) as { dialog?: string; sessionId?: string };
    const locale = teamsLocale(context.activity.locale);
    if (data.dialog !== DIALOGS.customerPin) return dialogMessage(t('agent.no_longer_pending', locale));
    try {
      const session = await this.customerSession(context, data.sessionId ?? '');
      return pinDialog(session);
    } catch (error) {
      return dialogMessage(explainToCustomer(error, locale));
    }
  }

  protected override async handleTeamsTaskModuleSubmit(
    context: TurnContext,
    request: TaskModuleRequest,
  ): Promise<TaskModuleResponse> {
    const data = (request.data ?? {}) as { dialog?: string; sessionId?: string; [PIN_FIELD]?: string };
    const locale = teamsLocale(context.activity.locale);
    if (data.dialog !== DIALOGS.customerPin) return dialogMessage(t('agent.no_longer_pending', locale));
    try {
      const session = await this.customerSession(context, data.sessionId ?? '');
      const pin = String(data[PIN_FIELD] ?? '').trim();
      if (!/^\d{4}$/u.test(pin)) return pinDialog(session, t('agent.pin_invalid', session.customerLocale));
      const { result, session: after } = await this.deps.verification.submitPin(session.id, pin, {
        kind: 'customer',
        who: teamsIdentity(context.activity),
      });
      const feedback = pinFeedback(result, after, 'customer', undefined);
      if (feedback && after.state === 'awaiting_pin') return pinDialog(after, feedback);
      return dialogMessage(outcomeForCustomer(after));
    } catch (error) {
      return dialogMessage(explainToCustomer(error, locale));
    }
  }

  protected override async handleTeamsMessagingExtensionFetchTask(
    context: TurnContext,
    action: MessagingExtensionAction,
  ): Promise<MessagingExtensionActionResponse> {
    const { activity } = context;
    const locale = teamsLocale(activity.locale);
    if (action.commandId !== MESSAGE_ACTION) return dialogMessage(t('agent.teams.usage', locale));
    const refused = await this.refuseUnlessAgent(context);
    if (refused) return dialogMessage(refused);
    // A verification already running in this chat is never replaced: the agent is told who runs it.
    const running = await this.deps.verification.runningIn(teamsConversation(activity));
    if (running) return dialogMessage(t('agent.conversation_busy', locale, { agent: running.agent.displayName }));
    const prefill = verifyQueryFrom(stripHtml(action.messagePayload?.body?.content ?? '')) ?? '';
    const author = messageAuthor(activity, action.messagePayload);
    return verifyDialog(prefill, locale, undefined, await this.customerChoice(context, author));
  }

  /** The chat's members the agent may name, the message's author pre-selected; none in a personal chat. */
  private async customerChoice(
    context: TurnContext,
    author: CustomerRef | undefined,
  ): Promise<CustomerChoiceTeams | undefined> {
    if (context.activity.conversation.conversationType === 'personal') return undefined;
    const agent = teamsIdentity(context.activity);
    try {
      const { members } = await TeamsInfo.getPagedMembers(context, ROSTER_SHOWN);
      return {
        members: members
          .filter((m) => isNameable(m, agent))
          .map((m) => ({ id: m.aadObjectId || m.id, name: m.name || m.email || m.id })),
        ...(author ? { selected: author.id } : {}),
      };
    } catch (error) {
      // Without the roster the author is still named (by the id the message carries); nobody is picked by hand.
      this.deps.logger.warn({ err: { name: (error as Error).name } }, 'teams: chat roster unavailable');
      return undefined;
    }
  }

  /**
   * The customer the agent named in the dialog: someone on the chat's roster (looked up again, so a crafted
   * submission names nobody who is not there), nobody, or the message's author where the dialog had no roster.
   */
  private async namedCustomer(
    context: TurnContext,
    action: MessagingExtensionAction,
  ): Promise<{ customer?: CustomerRef } | 'not_in_chat'> {
    const { activity } = context;
    if (activity.conversation.conversationType === 'personal') return {};
    const picked = (action.data as Record<string, unknown> | undefined)?.[CUSTOMER_FIELD];
    if (picked === undefined) {
      const author = messageAuthor(activity, action.messagePayload);
      return author && author.id !== teamsIdentity(activity).id ? { customer: author } : {};
    }
    if (typeof picked !== 'string' || picked === NOBODY || picked === '') return {};
    // The connector answers 404 for someone not in the conversation; anything else is a failure to report.
    const member = await TeamsInfo.getMember(context, picked).catch((error: { statusCode?: number }) => {
      if (error.statusCode === 404) return undefined;
      throw error;
    });
    if (!member || !isNameable(member, teamsIdentity(activity))) return 'not_in_chat';
    return { customer: teamsMember(activity, member) };
  }

  protected override async handleTeamsMessagingExtensionSubmitAction(
    context: TurnContext,
    action: MessagingExtensionAction,
  ): Promise<MessagingExtensionActionResponse> {
    const locale = teamsLocale(context.activity.locale);
    const query = String((action.data as Record<string, unknown> | undefined)?.[QUERY_FIELD] ?? '').trim();
    if (action.commandId !== MESSAGE_ACTION) return dialogMessage(t('agent.teams.usage', locale));
    if (!query) return verifyDialog('', locale, t('agent.teams.usage', locale));
    try {
      const named = await this.namedCustomer(context, action);
      if (named === 'not_in_chat') {
        const author = messageAuthor(context.activity, action.messagePayload);
        const choice = await this.customerChoice(context, author);
        return verifyDialog(query, locale, t('agent.customer.not_in_chat', locale), choice);
      }
      const refused = await this.start(context, query, named);
      return refused ? dialogMessage(refused) : {};
    } catch (error) {
      const author = messageAuthor(context.activity, action.messagePayload);
      return verifyDialog(query, locale, explain(error, locale), await this.customerChoice(context, author));
    }
  }

  /** Only the customer types their PIN in the dialog: never the agent or a bystander, and only while one is expected. */
  private async customerSession(context: TurnContext, sessionId: string): Promise<Session> {
    const session = await this.deps.verification.forCustomer(sessionId, teamsIdentity(context.activity));
    if (session.state !== 'awaiting_pin') throw new IllegalTransitionError(session.state, 'enter PIN');
    return session;
  }

  private async firstDelivery(context: TurnContext): Promise<boolean> {
    const claim = this.deliveryClaim(context);
    if (!claim || (await this.deps.store.claim(claim.key, claim.ttlMs))) return true;
    this.deps.logger.info({ activityId: context.activity.id }, 'teams: duplicate delivery ignored');
    return false;
  }

  /** What marks an activity as delivered once: Teams sends a repeat with the same id in the same conversation. */
  private deliveryClaim(context: TurnContext): { key: string; ttlMs: number } | undefined {
    const id = context.activity.id;
    return id ? { key: `teams:${context.activity.conversation.id}:${id}`, ttlMs: DUPLICATE_WINDOW_MS } : undefined;
  }
}

function mentionsBot(context: TurnContext): boolean {
  const botId = context.activity.recipient.id;
  return (context.activity.entities ?? []).some(
    (e) => e.type === 'mention' && (e as { mentioned?: { id?: string } }).mentioned?.id === botId,
  );
}

/** Message HTML as text, in one pass: a tag without its ">" is text ("<<<<…" costs no more than its length). */
export function stripHtml(html: string): string {
  let out = '';
  let i = 0;
  while (i < html.length) {
    const open = html.indexOf('<', i);
    if (open < 0) break;
    const close = html.indexOf('>', open + 1);
    if (close < 0) break;
    out += `${html.slice(i, open)} `;
    i = close + 1;
  }
  return (out + html.slice(i)).replaceAll('&nbsp;', ' ');
}

function cardResponse(card: AdaptiveCard): AdaptiveCardInvokeResponse {
  return { statusCode: 200, type: CARD, value: card as unknown as Record<string, unknown> };
}

function messageResponse(message: string): AdaptiveCardInvokeResponse {
  return { statusCode: 200, type: MESSAGE, value: message as unknown as Record<string, unknown> };
}

function dialogMessage(message: string): TaskModuleResponse {
  return { task: { type: 'message', value: message } };
}

function pinDialog(session: Session, error?: string): TaskModuleResponse {
  const locale = session.customerLocale;
  return {
    task: {
      type: 'continue',
      value: {
        title: t('label.pin_modal.title', locale),
        height: 'small',
        width: 'small',
        card: CardFactory.adaptiveCard(renderCustomerPinDialog(session.id, locale, session.pinTriesLeft, error)),
      },
    },
  };
}

function verifyDialog(
  query: string,
  locale: Locale,
  error?: string,
  customers?: CustomerChoiceTeams,
): MessagingExtensionActionResponse {
  return {
    task: {
      type: 'continue',
      value: {
        title: t('label.verify_modal.title', locale),
        height: 'small',
        width: 'medium',
        card: CardFactory.adaptiveCard(renderVerifyDialog(query, locale, error, customers)),
      },
    },
  };
}

function outcomeForCustomer(session: Session): string {
  const locale = session.customerLocale;
  if (session.state === 'verified')
    return t('customer.verified', locale, {
      agent: session.agent.displayName,
      until: formatDateTime(session.grant?.expiresAt ?? session.updatedAt, locale),
    });
  if (session.state === 'failed') return t('customer.failed', locale);
  return t('customer.cancelled', locale);
}
