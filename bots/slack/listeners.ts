import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { Logger } from 'pino';
import { type SupportChat, webChatStart } from '../../core/chat.ts';
import type { ConversationGuard } from '../../core/conversation-guard.ts';
import {
  DuplicateRequestError,
  IllegalTransitionError,
  NotAuthorizedError,
  UnsafeOutboundError,
} from '../../core/errors.ts';
import { type Locale, type MessageKey, renderMessage } from '../../core/messages/catalog.ts';
import type { SessionStore } from '../../core/ports/index.ts';
import { type AgentRef, type CustomerRef, type Session, sameIdentity } from '../../core/session.ts';
import type { Actor } from '../../core/verification.ts';
import { verifyQueryFrom } from '../presentation/customer-query.ts';
import { explain, explainToCustomer, pinFeedback, refusedOnCard, withinBudget } from '../presentation/feedback.ts';
import type { SlackAgentPolicy } from './agent-policy.ts';
import { ACTIONS, PIN_INPUT, renderHome, renderPinModal, SHORTCUT, VIEWS } from './blocks.ts';
import { customerConversationRefs } from './message-refs.ts';
import type { SlackChannelDeps } from './slack-channels.ts';
import type { SlackDirectory } from './slack-directory.ts';
import {
  type Installation,
  installationOf,
  isExternal,
  isExternalUser,
  slackConversation,
  slackCustomer,
  slackIdentity,
} from './slack-identity.ts';
import { renderVerifyModal, VERIFY_CUSTOMER, VERIFY_MODAL, VERIFY_QUERY, type VerifyOrigin } from './verify-modal.ts';
import { type SlackWebChatRelay, WEBCHAT_VERIFY_ACTION } from './webchat-relay.ts';

export interface ListenerDeps extends SlackChannelDeps {
  /** Present when web chat conversations are relayed to a Slack channel. */
  webchat?: { chat: SupportChat; relay: SlackWebChatRelay };
  store: SessionStore;
  /** The guard with each channel's memory of the lines before (a secret split over two messages). */
  guard: ConversationGuard;
  directory: SlackDirectory;
  policy: SlackAgentPolicy;
  logger: Logger;
  /** How long a modal submission may take before it is answered "try again" (Slack allows 3 s). */
  ackBudgetMs?: number;
}

// Slack retries an event it thinks was not received (at once, after 1 minute and after 5); each id is
// claimed before anything happens, for long enough to cover the last retry.
const DUPLICATE_WINDOW_MS = 10 * 60_000;
const t = (key: MessageKey, locale: Locale, params?: Record<string, string | number>) =>
  renderMessage(key, locale, params);

/** Registers every Slack listener on the Bolt app. */
export function registerListeners(app: App, deps: ListenerDeps): void {
  // The card's buttons whose listener makes the request's claim with the session's read (see onCard).
  const cardActions = new Set<string>();
  app.use(async ({ body, next, context, ...rest }) => {
    const id = deduplicationKey(body as Record<string, unknown>);
    const ack = (rest as { ack?: (response?: unknown) => Promise<void> }).ack;
    // The listener makes this claim in its own first step with the store (one round trip fewer).
    if (id !== undefined && claimsItsOwn(body as Record<string, unknown>, cardActions)) {
      context[ONCE] = { key: `slack:${id}`, ttlMs: DUPLICATE_WINDOW_MS } satisfies Once;
      await next();
      return;
    }
    let first = true;
    try {
      first = id === undefined || (await deps.store.claim(`slack:${id}`, DUPLICATE_WINDOW_MS));
    } catch {
      // Without the store nothing can be verified; answer now, inside Slack's 3 seconds, and say so.
      const user =
        (body as { user_id?: string; user?: { id?: string } }).user_id ?? (body as { user?: { id?: string } }).user?.id;
      await ack?.({
        response_type: 'ephemeral',
        text: t('agent.store_unavailable', deps.directory.cachedLocale(user ?? '')),
      });
      return;
    }
    if (!first) {
      deps.logger.info({ id }, 'slack: duplicate delivery ignored');
      await ack?.();
      return;
    }
    await next();
  });

  app.command('/verify', async ({ command, ack, respond, context }) => {
    const query = command.text.trim();
    if (!query) {
      await ack({ response_type: 'ephemeral', text: t('agent.usage', deps.directory.cachedLocale(command.user_id)) });
      return;
    }
    // Counted (and the request claimed) before the answer, in one step: a refusal, or a store that cannot answer,
    // is said in the answer itself, inside Slack's 3 seconds.
    try {
      await deps.verification.admit(slackIdentity(context, command.user_id), onceOf(context));
    } catch (error) {
      if (error instanceof DuplicateRequestError) {
        deps.logger.info({ id: error.claim }, 'slack: duplicate delivery ignored');
        await ack();
        return;
      }
      await ack({ response_type: 'ephemeral', text: explain(error, deps.directory.cachedLocale(command.user_id)) });
      return;
    }
    await ack();
    const say = (text: string) => respond({ response_type: 'ephemeral', text }).then(() => undefined);
    const where = {
      userId: command.user_id,
      fallbackName: command.user_name,
      channelId: command.channel_id,
      say,
      admitted: true,
    };
    // In a Slack Connect channel the agent first names the customer among its external members.
    if (await deps.directory.isSharedChannel(command.channel_id)) {
      await openVerifyModal(deps, context, {
        ...where,
        triggerId: command.trigger_id,
        responseUrl: command.response_url,
        prefill: query,
      });
      return;
    }
    await startVerification(deps, context, { ...where, query, shared: false });
  });

  app.shortcut(SHORTCUT, async ({ shortcut, ack, respond, context }) => {
    await ack();
    if (shortcut.type !== 'message_action') return;
    const author = shortcut.message.user;
    const prefill =
      verifyQueryFrom(shortcut.message.text ?? '') ?? (author ? (await deps.directory.user(author)).email : undefined);
    const thread = (shortcut.message as { thread_ts?: string }).thread_ts ?? shortcut.message.ts;
    const conversationId = await deps.webchat?.relay.conversationFor(shortcut.channel.id, thread);
    await openVerifyModal(deps, context, {
      userId: shortcut.user.id,
      fallbackName: shortcut.user.name,
      channelId: shortcut.channel.id,
      say: (text) => respond({ response_type: 'ephemeral', text }).then(() => undefined),
      triggerId: shortcut.trigger_id,
      responseUrl: shortcut.response_url,
      ...(prefill ? { prefill } : {}),
      ...(author ? { author } : {}),
      ...(conversationId ? { conversationId } : {}),
    });
  });

  app.view(VERIFY_MODAL, async ({ ack, view, body, context }) => {
    const locale = deps.directory.cachedLocale(body.user.id);
    const query = view.state.values[VERIFY_QUERY.block]?.[VERIFY_QUERY.action]?.value?.trim() ?? '';
    if (!query) {
      await ack({ response_action: 'errors', errors: { [VERIFY_QUERY.block]: t('agent.usage', locale) } });
      return;
    }
    const origin = readOrigin(view.private_metadata);
    const named = view.state.values[VERIFY_CUSTOMER.block]?.[VERIFY_CUSTOMER.action]?.selected_option?.value;
    let customer: CustomerRef | undefined;
    if (origin.shared && named) {
      // The options came from us, but the submission is checked again: only someone from outside counts.
      const person = await deps.directory.user(named);
      if (person.inactive || !isExternalUser(person, context)) {
        const error = t('agent.customer.not_external', locale, { customer: person.name });
        await ack({ response_action: 'errors', errors: { [VERIFY_CUSTOMER.block]: error } });
        return;
      }
      customer = slackCustomer(context, named, person.name);
    }
    await ack();
    await startVerification(deps, context, {
      userId: body.user.id,
      fallbackName: body.user.name,
      channelId: origin.channelId,
      query,
      say: answerAgent(deps, origin, body.user.id),
      shared: origin.shared === true,
      ...(origin.admitted ? { admitted: true } : {}),
      ...(customer ? { customer } : {}),
      ...(origin.conversationId ? { conversationId: origin.conversationId } : {}),
    });
  });

  app.action<BlockAction<ButtonAction>>(WEBCHAT_VERIFY_ACTION, async ({ ack, action, body, respond, context }) => {
    await ack();
    const conversationId = action.value ?? '';
    const said = await deps.webchat?.chat.transcript(conversationId).catch(() => []);
    const prefill = (said ?? [])
      .filter((m) => m.from === 'customer')
      .map((m) => verifyQueryFrom(m.text))
      .find((q) => q !== undefined);
    await openVerifyModal(deps, context, {
      userId: body.user.id,
      fallbackName: body.user.name ?? body.user.id,
      channelId: body.channel?.id ?? '',
      say: (text) => respond({ response_type: 'ephemeral', replace_original: false, text }).then(() => undefined),
      triggerId: body.trigger_id,
      conversationId,
      ...(prefill ? { prefill } : {}),
    });
  });

  const onCard = (action: string, run: (sessionId: string, actor: Actor, current?: Session) => Promise<unknown>) => {
    cardActions.add(action);
    app.action<BlockAction<ButtonAction>>(action, async ({ ack, action: button, body, respond, context }) => {
      await ack();
      const agent = await deps.directory.user(body.user.id, body.user.name);
      const sessionId = button.value ?? '';
      const once = onceOf(context);
      try {
        const read = once ? await deps.store.claimAndGet(once.key, once.ttlMs, sessionId) : undefined;
        if (read && !read.first) {
          deps.logger.info({ id: once?.key }, 'slack: duplicate delivery ignored');
          return;
        }
        await run(sessionId, { kind: 'agent', who: slackIdentity(context, body.user.id) }, read?.session);
      } catch (error) {
        // The card itself says why (a prompt paused, PIN checks locked): no second message beside it.
        if (refusedOnCard(error)) return;
        await respond({ response_type: 'ephemeral', replace_original: false, text: explain(error, agent.locale) });
      }
    });
  };
  onCard(ACTIONS.chooseDevice, (id, actor, current) => deps.verification.chooseDevice(id, actor, current));
  onCard(ACTIONS.choosePin, (id, actor, current) => deps.verification.choosePin(id, actor, current));
  onCard(ACTIONS.cancel, (id, actor, current) => deps.verification.cancel(id, actor, current));
  app.action<BlockAction<ButtonAction>>(ACTIONS.revoke, async ({ ack, action, body, respond, context }) => {
    await ack();
    const agent = await deps.directory.user(body.user.id, body.user.name);
    try {
      await deps.verification.revoke(action.value ?? '', { kind: 'agent', who: slackIdentity(context, body.user.id) });
    } catch (error) {
      await respond({ response_type: 'ephemeral', replace_original: false, text: explain(error, agent.locale) });
    }
    if (body.view?.type === 'home') await publishHome(deps, context, body.user.id, agent.locale);
  });

  app.action<BlockAction<ButtonAction>>(ACTIONS.enterPin, async ({ ack, action, body, respond, context }) => {
    await ack();
    const agent = await deps.directory.user(body.user.id, body.user.name);
    try {
      const session = await deps.verification.get(action.value ?? '');
      if (!sameIdentity(session.agent, slackIdentity(context, body.user.id)))
        throw new NotAuthorizedError('not the verifying agent');
      if (session.state !== 'awaiting_pin') throw new IllegalTransitionError(session.state, 'enter PIN');
      await deps.client.views.open({
        trigger_id: body.trigger_id,
        view: renderPinModal('agent', session.id, agent.locale, session.pinTriesLeft),
      });
    } catch (error) {
      await respond({ response_type: 'ephemeral', replace_original: false, text: explain(error, agent.locale) });
    }
  });

  // The customer's buttons are in a shared channel: anyone there can press them, so each says who may.
  app.action<BlockAction<ButtonAction>>(ACTIONS.customerEnterPin, async ({ ack, action, body, respond, context }) => {
    await ack();
    const person = await deps.directory.user(body.user.id, body.user.name);
    try {
      const session = await deps.verification.forCustomer(action.value ?? '', slackIdentity(context, body.user.id));
      if (session.state !== 'awaiting_pin') throw new IllegalTransitionError(session.state, 'enter PIN');
      await deps.client.views.open({
        trigger_id: body.trigger_id,
        view: renderPinModal('customer', session.id, session.customerLocale, session.pinTriesLeft),
      });
    } catch (error) {
      const text = explainToCustomer(error, person.locale);
      await respond({ response_type: 'ephemeral', replace_original: false, text });
    }
  });

  // The confirmation link opens in the customer's browser; Slack tells the app too, which has nothing to do but ack.
  app.action(ACTIONS.customerConfirm, async ({ ack }) => {
    await ack();
  });

  app.action<BlockAction<ButtonAction>>(ACTIONS.customerIdentify, async ({ ack, action, body, respond, context }) => {
    await ack();
    const person = await deps.directory.user(body.user.id, body.user.name);
    const tell = (text: string) => respond({ response_type: 'ephemeral', replace_original: false, text });
    // Only someone from outside the installing organisation can be the customer; colleagues are told it is not theirs.
    if (!isExternal(body.user.team_id, context)) {
      await tell(t('customer.not_yours', person.locale));
      return;
    }
    try {
      const session = await deps.verification.identifyCustomer(
        action.value ?? '',
        slackCustomer(context, body.user.id, person.name),
      );
      await tell(t('customer.identified', session.customerLocale));
    } catch (error) {
      await tell(explainToCustomer(error, person.locale));
    }
  });

  for (const who of ['agent', 'customer'] as const) {
    app.view(who === 'agent' ? VIEWS.agentPin : VIEWS.customerPin, async ({ ack, view, body, context }) => {
      const sessionId = view.private_metadata;
      const pin = (view.state.values[PIN_INPUT.block]?.[PIN_INPUT.action]?.value ?? '').trim();
      const locale = deps.directory.cachedLocale(body.user.id);
      const fieldError = (text: string) => ack({ response_action: 'errors', errors: { [PIN_INPUT.block]: text } });
      if (!/^\d{4}$/u.test(pin)) {
        await fieldError(t('agent.pin_invalid', locale));
        return;
      }
      const actor: Actor = { kind: who, who: slackIdentity(context, body.user.id) };
      const outcome = await withinBudget(deps.verification.submitPin(sessionId, pin, actor), deps.ackBudgetMs ?? 2500);
      if (outcome.kind === 'late') {
        outcome.settled.catch((error: unknown) =>
          deps.logger.warn({ err: { name: (error as Error).name } }, 'late PIN check failed'),
        );
        await fieldError(t('agent.store_unavailable', locale));
        return;
      }
      if (outcome.kind === 'error') {
        await fieldError(who === 'agent' ? explain(outcome.error, locale) : explainToCustomer(outcome.error, locale));
        return;
      }
      const { result, session } = outcome.value;
      const message = pinFeedback(result, session, who, locale);
      await (message ? fieldError(message) : ack());
    });
  }

  // Access ends with the conversation: a shared channel archived, or left by the app, the customer or the agent.
  const channelEnded = async (context: Installation, channel: unknown, leaving?: string) => {
    if (typeof channel !== 'string' || channel === '') return;
    await deps.verification.closeConversation(
      slackConversation(context, channel),
      leaving === undefined ? undefined : slackIdentity(context, leaving),
    );
  };
  for (const type of ['channel_archive', 'group_archive', 'channel_left', 'group_left'] as const)
    app.event(type, async ({ event, context }) => channelEnded(context, (event as { channel?: unknown }).channel));
  app.event('member_left_channel', async ({ event, context }) => {
    if (typeof event.user === 'string') await channelEnded(context, event.channel, event.user);
  });

  app.event('app_home_opened', async ({ event, context }) => {
    if (event.tab !== 'home') return;
    const agent = await deps.directory.user(event.user);
    await publishHome(deps, context, event.user, agent.locale);
  });

  app.message(async ({ message, context }) => {
    if (message.subtype !== undefined || !('user' in message) || !message.user || !('text' in message) || !message.text)
      return;
    if ('bot_id' in message && message.bot_id) return;
    const threadTs = 'thread_ts' in message ? message.thread_ts : undefined;
    const relayed = threadTs ? await deps.webchat?.relay.conversationFor(message.channel, threadTs) : undefined;
    if (relayed && deps.webchat) {
      // `verify …` or `@Support Verify verify …` in the thread verifies the customer; anything else reaches them.
      const command = RELAY_VERIFY.exec(message.text.replace(LEADING_MENTION, ''));
      if (command) {
        const user = message.user;
        const say = (text: string) =>
          deps.client.chat
            .postEphemeral({ channel: message.channel, user, text, ...(threadTs ? { thread_ts: threadTs } : {}) })
            .then(() => undefined);
        const query = command[1]?.trim() ?? '';
        if (!query) await say(t('agent.usage', deps.directory.cachedLocale(user)));
        else
          await startVerification(deps, context, {
            userId: user,
            fallbackName: user,
            channelId: message.channel,
            say,
            query,
            shared: false,
            conversationId: relayed,
          });
        return;
      }
      await replyToWebChat(deps, relayed, message.channel, message.user, message.text);
      return;
    }
    // Looked up under the installing team: in a Slack Connect channel the event's own team_id is the sender's.
    const installation = installationOf(context);
    const sessionId = await deps.refs.sessionIn({ teamId: installation, channel: message.channel });
    const session = sessionId ? await deps.verification.get(sessionId).catch(() => undefined) : undefined;
    const speaker = slackIdentity(context, message.user);
    const fromAgent = session !== undefined && sameIdentity(session.agent, speaker);
    const expectingPin = session?.state === 'awaiting_pin' && !fromAgent;
    const locale = session?.customerLocale ?? 'en';
    const tell = (text: string) =>
      deps.client.chat.postEphemeral({ channel: message.channel, user: message.user ?? '', text });
    const scan = await deps.guard.line(`k:guard:slack:${installation}:${message.channel}`, message.user, message.text, {
      expectingPin,
      locale,
      armsOthers: fromAgent,
    });
    if (scan.earlyPin && scan.findings.length === 0) await tell(t('customer.pin_early.delete', locale));
    if (scan.findings.length > 0) {
      await deps.verification.secretRedacted({
        channel: 'slack',
        findings: scan.findings,
        ...(session ? { sessionId: session.id } : {}),
      });
      await tell(t('customer.secret_warning.delete', locale));
    }
    if (session && scan.pin) {
      try {
        const { result, session: after } = await deps.verification.submitPin(session.id, scan.pin, {
          kind: 'customer',
          who: speaker,
        });
        const feedback = pinFeedback(result, after, 'customer', undefined);
        if (feedback) await tell(feedback);
      } catch (error) {
        // Someone other than the customer: told privately, and nothing was counted.
        await tell(explainToCustomer(error, locale));
      }
    }
  });
}

interface StartInput {
  userId: string;
  fallbackName: string;
  channelId: string;
  query: string;
  say(text: string): Promise<void>;
  /** A Slack Connect channel: the customer is there, and the verification holds the channel while it runs. */
  shared: boolean;
  /** The customer the agent named in a shared channel. */
  customer?: CustomerRef;
  /** A web chat conversation: the customer being verified is the one chatting there. */
  conversationId?: string;
  /** The command counted this start already ({@link Verification.admit}). */
  admitted?: boolean;
}

interface ModalInput {
  userId: string;
  fallbackName: string;
  channelId: string;
  say(text: string): Promise<void>;
  triggerId: string;
  responseUrl?: string;
  prefill?: string;
  /** The author of the message a shortcut was used on: the customer, when they are from outside. */
  author?: string;
  conversationId?: string;
  /** The command that opens the modal counted the start already: its submission does not count it again. */
  admitted?: boolean;
}

/**
 * Opens the verify modal for an agent, unless they may not verify or the conversation already has a
 * verification running (then they are told who is verifying, and offered nothing that would replace it).
 */
async function openVerifyModal(deps: ListenerDeps, context: Installation, input: ModalInput): Promise<void> {
  const agent = await deps.directory.user(input.userId, input.fallbackName);
  try {
    await openVerifyModalFor(deps, context, input, agent.locale);
  } catch (error) {
    // Slack has its ack: without this the agent would see nothing at all. Nothing was started; retrying is safe.
    await input.say(explain(error, agent.locale));
    throw error;
  }
}

async function openVerifyModalFor(
  deps: ListenerDeps,
  context: Installation,
  input: ModalInput,
  locale: Locale,
): Promise<void> {
  const agent = { locale };
  if (!(await refuseUnlessAgent(deps, context, input.userId, agent.locale, input.say))) return;
  const shared = !input.conversationId && (await deps.directory.isSharedChannel(input.channelId));
  const conversation = input.conversationId
    ? webChatStart(input.conversationId).conversation
    : shared
      ? slackConversation(context, input.channelId)
      : undefined;
  const running = conversation ? await deps.verification.runningIn(conversation) : undefined;
  if (running) {
    await input.say(t('agent.conversation_busy', agent.locale, { agent: running.agent.displayName }));
    return;
  }
  const members = shared
    ? await deps.directory.externalMembers(input.channelId, (u) => isExternalUser(u, context))
    : [];
  await deps.client.views.open({
    trigger_id: input.triggerId,
    view: renderVerifyModal(
      agent.locale,
      input.prefill,
      {
        channelId: input.channelId,
        ...(input.responseUrl ? { responseUrl: input.responseUrl } : {}),
        ...(input.conversationId ? { conversationId: input.conversationId } : {}),
        ...(shared ? { shared: true } : {}),
        ...(input.admitted ? { admitted: true } : {}),
      },
      shared
        ? {
            members: members.map((m) => ({ id: m.id, name: m.name })),
            ...(input.author ? { selected: input.author } : {}),
          }
        : undefined,
    ),
  });
}

/** True when the user counts as an agent; otherwise they are told so, and it is audited. */
async function refuseUnlessAgent(
  deps: ListenerDeps,
  context: Installation,
  userId: string,
  locale: Locale,
  say: (text: string) => Promise<void>,
): Promise<boolean> {
  if (await deps.policy.allows(context, userId)) return true;
  const workspaceId = installationOf(context);
  await deps.verification.agentUnauthorized({
    channel: 'slack',
    agentId: userId,
    ...(workspaceId ? { workspaceId } : {}),
  });
  await say(t('agent.not_authorized', locale));
  return false;
}

/** An agent's reply in a relayed thread goes to the web chat customer, unless it asks for a secret. */
async function replyToWebChat(
  deps: ListenerDeps,
  conversationId: string,
  channel: string,
  userId: string,
  text: string,
): Promise<void> {
  const agent = await deps.directory.user(userId);
  try {
    await deps.webchat?.chat.agentSays(conversationId, text, agent.name);
  } catch (error) {
    const reason =
      error instanceof UnsafeOutboundError ? t('agent.relay_refused', agent.locale) : explain(error, agent.locale);
    await deps.client.chat.postEphemeral({ channel, user: userId, text: reason });
  }
}

/** Checks the agent, starts the verification, and links the customer's conversation to it. */
/** A reply in a relayed thread that asks to verify: `verify …`, after an optional mention of any bot user. */
const RELAY_VERIFY = /^\s*verify\b(.*)$/isu;
const LEADING_MENTION = /^\s*<@[UW][A-Z0-9]{2,20}>/u;

async function startVerification(deps: ListenerDeps, context: Installation, input: StartInput): Promise<void> {
  const profile = await deps.directory.user(input.userId, input.fallbackName);
  if (!(await refuseUnlessAgent(deps, context, input.userId, profile.locale, input.say))) return;
  const agent: AgentRef = {
    ...slackIdentity(context, input.userId),
    displayName: profile.name,
    locale: profile.locale,
  };
  // A Slack Connect conversation holds the customer: the session carries it from the start, so whichever
  // replica renders first also tells the customer what to do.
  const conversation = { teamId: installationOf(context), channel: input.channelId };
  const where = input.conversationId
    ? webChatStart(input.conversationId)
    : input.shared
      ? {
          conversation: slackConversation(context, input.channelId),
          refs: customerConversationRefs(conversation),
          ...(input.customer ? { customer: input.customer } : {}),
        }
      : {};
  let session: Session;
  try {
    session = await deps.verification.start({
      agent,
      query: input.query,
      ...where,
      ...(input.admitted ? { admitted: true } : {}),
    });
    if (input.conversationId) await deps.webchat?.chat.link(input.conversationId, session.id);
  } catch (error) {
    await input.say(explain(error, profile.locale));
    return;
  }
  // The card itself is posted by whichever replica renders the new session (see SlackAgentChannel), so a
  // slow post can never land after, and overwrite, an update that raced it.
  if (input.shared && !input.conversationId) await deps.refs.setSessionIn(conversation, session.id);
  const account = await deps.accounts.summary(session.accountId);
  await input.say(t('agent.started_dm', profile.locale, { customer: account?.displayName ?? input.query }));
}

async function publishHome(deps: ListenerDeps, context: Installation, userId: string, locale: Locale): Promise<void> {
  const sessions = await deps.verification.recent(slackIdentity(context, userId), 20);
  const entries = await Promise.all(
    sessions.map(async (session) => ({
      session,
      customer: (await deps.accounts.summary(session.accountId))?.displayName ?? session.accountId,
    })),
  );
  await deps.client.views.publish({ user_id: userId, view: renderHome(entries, locale, deps.clock.now()) });
}

/** A request's duplicate claim, carried in Bolt's context to the listener that makes it. */
interface Once {
  key: string;
  ttlMs: number;
}
const ONCE = 'supportVerifyOnce';
/**
 * Whether the request's listener makes its claim in its own first step with the store: the slash command (with
 * the agent's count) and the card's buttons in `cardActions` (with the session's read).
 */
function claimsItsOwn(body: Record<string, unknown>, cardActions: ReadonlySet<string>): boolean {
  if (body.command === '/verify') return true;
  const actions = body.type === 'block_actions' ? (body.actions as Array<{ action_id?: unknown }> | undefined) : [];
  return actions?.length === 1 && cardActions.has(String(actions[0]?.action_id));
}

function onceOf(context: Record<string, unknown>): Once | undefined {
  return context[ONCE] as Once | undefined;
}

/** The id Slack keeps when it delivers the same thing again: an event's id, or an interaction's trigger. */
function deduplicationKey(body: Record<string, unknown>): string | undefined {
  if (typeof body.event_id === 'string') return `event:${body.event_id}`;
  if (typeof body.trigger_id === 'string') return `trigger:${body.trigger_id}`;
  return undefined;
}

// A response URL is not the Web API, but it is Slack's too: the same 5 s bound as every Web API call.
const RESPONSE_URL_TIMEOUT_MS = 5000;

/**
 * How a modal's submission answers the agent: a modal has no response URL of its own, so through the one
 * kept from the command or shortcut that opened it, or else privately in the channel (or their DM) through
 * the Web API.
 */
function answerAgent(deps: ListenerDeps, origin: VerifyOrigin, userId: string): (text: string) => Promise<void> {
  return async (text) => {
    if (origin.responseUrl) {
      await fetch(origin.responseUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ response_type: 'ephemeral', text }),
        signal: AbortSignal.timeout(RESPONSE_URL_TIMEOUT_MS),
      });
      return;
    }
    if (origin.channelId) await deps.client.chat.postEphemeral({ channel: origin.channelId, user: userId, text });
    else await deps.client.chat.postMessage({ channel: userId, text });
  };
}

/** The modal's origin as we wrote it; anything else reads as an origin with nowhere to answer. */
function readOrigin(raw: string): VerifyOrigin {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw || '{}');
  } catch {
    parsed = {};
  }
  const value = (parsed ?? {}) as Record<string, unknown>;
  const text = (key: string) => (typeof value[key] === 'string' ? (value[key] as string) : undefined);
  const responseUrl = text('responseUrl');
  const conversationId = text('conversationId');
  return {
    channelId: text('channelId') ?? '',
    ...(responseUrl ? { responseUrl } : {}),
    ...(conversationId ? { conversationId } : {}),
    ...(value.shared === true ? { shared: true } : {}),
    ...(value.admitted === true ? { admitted: true } : {}),
  };
}
