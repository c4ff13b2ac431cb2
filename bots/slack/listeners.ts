import type { App, BlockAction, ButtonAction, RespondFn, webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import type { SupportChat } from '../../core/chat.ts';
import { WEBCHAT_REF } from '../../core/chat.ts';
import type { ConversationGuard } from '../../core/conversation-guard.ts';
import { IllegalTransitionError, NotAuthorizedError, UnsafeOutboundError } from '../../core/errors.ts';
import { type Locale, type MessageKey, renderMessage } from '../../core/messages/catalog.ts';
import type { SessionStore } from '../../core/ports/index.ts';
import type { AgentRef, Session } from '../../core/session.ts';
import type { Actor } from '../../core/verification.ts';
import { verifyQueryFrom } from '../presentation/customer-query.ts';
import { explain, pinFeedback, withinBudget } from '../presentation/feedback.ts';
import type { SlackAgentPolicy } from './agent-policy.ts';
import { ACTIONS, PIN_INPUT, renderHome, renderPinModal, SHORTCUT, VIEWS } from './blocks.ts';
import { customerConversationRefs } from './message-refs.ts';
import type { SlackChannelDeps } from './slack-channels.ts';
import type { SlackDirectory } from './slack-directory.ts';
import { renderVerifyModal, VERIFY_MODAL, VERIFY_QUERY, type VerifyOrigin } from './verify-modal.ts';
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
  app.use(async ({ body, next, ...rest }) => {
    const id = deduplicationKey(body as Record<string, unknown>);
    const ack = (rest as { ack?: (response?: unknown) => Promise<void> }).ack;
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

  app.command('/verify', async ({ command, ack, respond }) => {
    const query = command.text.trim();
    if (!query) {
      await ack({ response_type: 'ephemeral', text: t('agent.usage', deps.directory.cachedLocale(command.user_id)) });
      return;
    }
    await ack();
    await startVerification(deps, {
      teamId: command.team_id,
      userId: command.user_id,
      fallbackName: command.user_name,
      channelId: command.channel_id,
      query,
      respond,
    });
  });

  app.shortcut(SHORTCUT, async ({ shortcut, ack, client }) => {
    await ack();
    if (shortcut.type !== 'message_action') return;
    const agent = await deps.directory.user(shortcut.user.id, shortcut.user.name);
    const author = shortcut.message.user;
    const prefill =
      verifyQueryFrom(shortcut.message.text ?? '') ?? (author ? (await deps.directory.user(author)).email : undefined);
    const thread = (shortcut.message as { thread_ts?: string }).thread_ts ?? shortcut.message.ts;
    const conversationId = await deps.webchat?.relay.conversationFor(shortcut.channel.id, thread);
    await client.views.open({
      trigger_id: shortcut.trigger_id,
      view: renderVerifyModal(agent.locale, prefill, {
        teamId: shortcut.team?.id ?? '',
        channelId: shortcut.channel.id,
        responseUrl: shortcut.response_url,
        ...(conversationId ? { conversationId } : {}),
      }),
    });
  });

  app.view(VERIFY_MODAL, async ({ ack, view, body, respond }) => {
    const query = view.state.values[VERIFY_QUERY.block]?.[VERIFY_QUERY.action]?.value?.trim() ?? '';
    if (!query) {
      const locale = deps.directory.cachedLocale(body.user.id);
      await ack({ response_action: 'errors', errors: { [VERIFY_QUERY.block]: t('agent.usage', locale) } });
      return;
    }
    await ack();
    const origin = JSON.parse(view.private_metadata || '{}') as Partial<VerifyOrigin>;
    await startVerification(deps, {
      teamId: origin.teamId || body.team?.id || '',
      userId: body.user.id,
      fallbackName: body.user.name,
      channelId: origin.channelId ?? '',
      query,
      respond: origin.responseUrl ? respondVia(origin.responseUrl) : respond,
      ...(origin.conversationId ? { conversationId: origin.conversationId } : {}),
    });
  });

  app.action<BlockAction<ButtonAction>>(WEBCHAT_VERIFY_ACTION, async ({ ack, action, body, client }) => {
    await ack();
    const agent = await deps.directory.user(body.user.id, body.user.name);
    const conversationId = action.value ?? '';
    const said = await deps.webchat?.chat.transcript(conversationId).catch(() => []);
    const prefill = (said ?? [])
      .filter((m) => m.from === 'customer')
      .map((m) => verifyQueryFrom(m.text))
      .find((q) => q !== undefined);
    await client.views.open({
      trigger_id: body.trigger_id,
      view: renderVerifyModal(agent.locale, prefill, {
        teamId: body.team?.id ?? '',
        channelId: body.channel?.id ?? '',
        conversationId,
      }),
    });
  });

  const onCard = (action: string, run: (sessionId: string, actor: Actor) => Promise<unknown>) =>
    app.action<BlockAction<ButtonAction>>(action, async ({ ack, action: button, body, respond }) => {
      await ack();
      const agent = await deps.directory.user(body.user.id, body.user.name);
      try {
        await run(button.value ?? '', { kind: 'agent', id: body.user.id });
      } catch (error) {
        await respond({ response_type: 'ephemeral', replace_original: false, text: explain(error, agent.locale) });
      }
    });
  onCard(ACTIONS.chooseDevice, (id, actor) => deps.verification.chooseDevice(id, actor));
  onCard(ACTIONS.choosePin, (id, actor) => deps.verification.choosePin(id, actor));
  onCard(ACTIONS.cancel, (id, actor) => deps.verification.cancel(id, actor));
  app.action<BlockAction<ButtonAction>>(ACTIONS.revoke, async ({ ack, action, body, respond, client }) => {
    await ack();
    const agent = await deps.directory.user(body.user.id, body.user.name);
    try {
      await deps.verification.revoke(action.value ?? '', { kind: 'agent', id: body.user.id });
    } catch (error) {
      await respond({ response_type: 'ephemeral', replace_original: false, text: explain(error, agent.locale) });
    }
    if (body.view?.type === 'home') await publishHome(deps, client, body.user.id, body.team?.id, agent.locale);
  });

  app.action<BlockAction<ButtonAction>>(ACTIONS.enterPin, async ({ ack, action, body, client, respond }) => {
    await ack();
    const agent = await deps.directory.user(body.user.id, body.user.name);
    try {
      const session = await deps.verification.get(action.value ?? '');
      if (session.agent.id !== body.user.id) throw new NotAuthorizedError('not the verifying agent');
      if (session.state !== 'awaiting_pin') throw new IllegalTransitionError(session.state, 'enter PIN');
      await client.views.open({
        trigger_id: body.trigger_id,
        view: renderPinModal('agent', session.id, agent.locale, session.pinTriesLeft),
      });
    } catch (error) {
      await respond({ response_type: 'ephemeral', replace_original: false, text: explain(error, agent.locale) });
    }
  });

  app.action<BlockAction<ButtonAction>>(ACTIONS.customerEnterPin, async ({ ack, action, body, client, respond }) => {
    await ack();
    try {
      const session = await deps.verification.get(action.value ?? '');
      if (session.state !== 'awaiting_pin') throw new IllegalTransitionError(session.state, 'enter PIN');
      await client.views.open({
        trigger_id: body.trigger_id,
        view: renderPinModal('customer', session.id, session.customerLocale, session.pinTriesLeft),
      });
    } catch (error) {
      await respond({ response_type: 'ephemeral', replace_original: false, text: explain(error, 'en') });
    }
  });

  for (const who of ['agent', 'customer'] as const) {
    app.view(who === 'agent' ? VIEWS.agentPin : VIEWS.customerPin, async ({ ack, view, body }) => {
      const sessionId = view.private_metadata;
      const pin = (view.state.values[PIN_INPUT.block]?.[PIN_INPUT.action]?.value ?? '').trim();
      const locale = who === 'agent' ? deps.directory.cachedLocale(body.user.id) : undefined;
      const fieldError = (text: string) => ack({ response_action: 'errors', errors: { [PIN_INPUT.block]: text } });
      if (!/^\d{4}$/u.test(pin)) {
        await fieldError(t('agent.pin_invalid', locale ?? 'en'));
        return;
      }
      const actor: Actor = who === 'agent' ? { kind: 'agent', id: body.user.id } : { kind: 'customer' };
      const outcome = await withinBudget(deps.verification.submitPin(sessionId, pin, actor), deps.ackBudgetMs ?? 2500);
      if (outcome.kind === 'late') {
        outcome.settled.catch((error: unknown) =>
          deps.logger.warn({ err: { name: (error as Error).name } }, 'late PIN check failed'),
        );
        await fieldError(t('agent.store_unavailable', locale ?? 'en'));
        return;
      }
      if (outcome.kind === 'error') {
        await fieldError(explain(outcome.error, locale ?? 'en'));
        return;
      }
      const { result, session } = outcome.value;
      const message = pinFeedback(result, session, who, locale);
      await (message ? fieldError(message) : ack());
    });
  }

  app.event('app_home_opened', async ({ event, body, client }) => {
    if (event.tab !== 'home') return;
    const agent = await deps.directory.user(event.user);
    await publishHome(deps, client, event.user, body.team_id, agent.locale);
  });

  app.message(async ({ message, body, client }) => {
    if (message.subtype !== undefined || !('user' in message) || !message.user || !('text' in message) || !message.text)
      return;
    if ('bot_id' in message && message.bot_id) return;
    const threadTs = 'thread_ts' in message ? message.thread_ts : undefined;
    const relayed = threadTs ? await deps.webchat?.relay.conversationFor(message.channel, threadTs) : undefined;
    if (relayed && deps.webchat) {
      await replyToWebChat(deps, client, relayed, message.channel, message.user, message.text);
      return;
    }
    const teamId = (body as { team_id?: string }).team_id ?? '';
    const sessionId = await deps.refs.sessionIn({ teamId, channel: message.channel });
    const session = sessionId ? await deps.verification.get(sessionId).catch(() => undefined) : undefined;
    const fromAgent = session?.agent.id === message.user;
    const expectingPin = session?.state === 'awaiting_pin' && !fromAgent;
    const locale = session?.customerLocale ?? 'en';
    const scan = await deps.guard.line(`k:guard:slack:${message.channel}`, message.user, message.text, {
      expectingPin,
      locale,
      armsOthers: fromAgent,
    });
    if (scan.earlyPin && scan.findings.length === 0)
      await client.chat.postEphemeral({
        channel: message.channel,
        user: message.user,
        text: t('customer.pin_early.delete', locale),
      });
    if (scan.findings.length > 0) {
      await deps.verification.secretRedacted({
        channel: 'slack',
        findings: scan.findings,
        ...(session ? { sessionId: session.id } : {}),
      });
      await client.chat.postEphemeral({
        channel: message.channel,
        user: message.user,
        text: t('customer.secret_warning.delete', locale),
      });
    }
    if (session && scan.pin) {
      const { result, session: after } = await deps.verification.submitPin(session.id, scan.pin, { kind: 'customer' });
      const feedback = pinFeedback(result, after, 'customer', undefined);
      if (feedback) await client.chat.postEphemeral({ channel: message.channel, user: message.user, text: feedback });
    }
  });
}

interface StartInput {
  teamId: string;
  userId: string;
  fallbackName: string;
  channelId: string;
  query: string;
  respond: RespondFn;
  /** A web chat conversation: the customer being verified is the one chatting there. */
  conversationId?: string;
}

/** An agent's reply in a relayed thread goes to the web chat customer, unless it asks for a secret. */
async function replyToWebChat(
  deps: ListenerDeps,
  client: webApi.WebClient,
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
    await client.chat.postEphemeral({ channel, user: userId, text: reason });
  }
}

/** Checks the agent, starts the verification, and links the customer's conversation to it. */
async function startVerification(deps: ListenerDeps, input: StartInput): Promise<void> {
  const profile = await deps.directory.user(input.userId, input.fallbackName);
  const say = (text: string) => input.respond({ response_type: 'ephemeral', text });
  if (!(await deps.policy.allows(input.teamId, input.userId))) {
    await deps.verification.agentUnauthorized({ channel: 'slack', agentId: input.userId, workspaceId: input.teamId });
    await say(t('agent.not_authorized', profile.locale));
    return;
  }
  const agent: AgentRef = {
    id: input.userId,
    displayName: profile.name,
    channel: 'slack',
    workspaceId: input.teamId,
    locale: profile.locale,
  };
  // A Slack Connect conversation holds the customer: the session carries it from the start, so whichever
  // replica renders first also tells the customer what to do.
  const shared = input.channelId ? await deps.directory.isSharedChannel(input.channelId) : false;
  const conversation = { teamId: input.teamId, channel: input.channelId };
  let session: Session;
  try {
    session = await deps.verification.start({
      agent,
      query: input.query,
      refs: {
        ...(input.conversationId ? { [WEBCHAT_REF]: input.conversationId } : {}),
        ...(shared ? customerConversationRefs(conversation) : {}),
      },
    });
    if (input.conversationId) await deps.webchat?.chat.link(input.conversationId, session.id);
  } catch (error) {
    await say(explain(error, profile.locale));
    return;
  }
  // The card itself is posted by whichever replica renders the new session (see SlackAgentChannel), so a
  // slow post can never land after, and overwrite, an update that raced it.
  if (shared) await deps.refs.setSessionIn(conversation, session.id);
  const account = await deps.accounts.summary(session.accountId);
  await say(t('agent.started_dm', profile.locale, { customer: account?.displayName ?? input.query }));
}

async function publishHome(
  deps: ListenerDeps,
  client: webApi.WebClient,
  userId: string,
  teamId: string | undefined,
  locale: Locale,
): Promise<void> {
  const sessions = await deps.verification.recent(
    { id: userId, channel: 'slack', ...(teamId ? { workspaceId: teamId } : {}) },
    20,
  );
  const entries = await Promise.all(
    sessions.map(async (session) => ({
      session,
      customer: (await deps.accounts.summary(session.accountId))?.displayName ?? session.accountId,
    })),
  );
  await client.views.publish({ user_id: userId, view: renderHome(entries, locale, deps.clock.now()) });
}

/** The id Slack keeps when it delivers the same thing again: an event's id, or an interaction's trigger. */
function deduplicationKey(body: Record<string, unknown>): string | undefined {
  if (typeof body.event_id === 'string') return `event:${body.event_id}`;
  if (typeof body.trigger_id === 'string') return `trigger:${body.trigger_id}`;
  return undefined;
}

/** A respond function for a response URL kept from an earlier interaction (a shortcut's, for its modal). */
function respondVia(url: string): RespondFn {
  return async (message) => {
    const body = typeof message === 'string' ? { text: message } : message;
    return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  };
}
