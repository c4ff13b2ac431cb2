import { type Activity, CardFactory, type CloudAdapter } from 'botbuilder';
import type { AgentChannel, CustomerChannel, MessageBook } from '../../core/ports/index.ts';
import type { Session } from '../../core/session.ts';
import type { FrontDoorDeps } from '../front-door.ts';
import { type AgentViewDeps, agentView } from '../presentation/verification-view.ts';
import { type AdaptiveCard, renderAgentCardTeams, renderCustomerCardTeams, renderSharedCardTeams } from './cards.ts';
import { type TeamsMessageRef, type TeamsRefs, teamsOrigin } from './teams-refs.ts';

export interface TeamsChannelDeps extends AgentViewDeps {
  adapter: CloudAdapter;
  /** The bot's Microsoft app id; empty when authentication is off (local use, the Emulator). */
  appId: string;
  refs: TeamsRefs;
  /** With the built-in passkeys: the confirmation link offered to the customer in a shared chat. */
  promptLinks?: FrontDoorDeps['promptLinks'];
}

export function cardActivity(card: AdaptiveCard): Partial<Activity> {
  return { type: 'message', attachments: [CardFactory.adaptiveCard(card)] };
}

/** Posts `activity` where `reference` points the first time, and updates that message in place after. */
async function postOrUpdate(
  deps: TeamsChannelDeps,
  target: { reference: TeamsMessageRef['reference'] },
  messages: MessageBook,
  name: string,
  activity: Partial<Activity>,
): Promise<void> {
  const raw = messages.get(name);
  const existing = raw === undefined ? undefined : (JSON.parse(raw) as TeamsMessageRef);
  await deps.adapter.continueConversationAsync(deps.appId, target.reference, async (context) => {
    if (existing) {
      await context.updateActivity({ ...activity, id: existing.activityId });
      return;
    }
    const sent = await context.sendActivity(activity);
    if (sent?.id) messages.set(name, JSON.stringify({ reference: target.reference, activityId: sent.id }));
  });
}

/**
 * The agent's card in the conversation where they asked: posted on the first render, then updated in place
 * (`updateActivity`) from whichever replica renders a change. In a shared conversation everyone else sees
 * only who is verifying; the agent's client fetches their own view through the card's refresh.
 */
export class TeamsAgentChannel implements AgentChannel {
  constructor(private readonly deps: TeamsChannelDeps) {}

  async render(session: Session, messages: MessageBook): Promise<void> {
    if (session.agent.channel !== 'teams') return;
    const where = teamsOrigin(session);
    if (!where) return;
    const card = where.personal
      ? renderAgentCardTeams(await this.view(session), where.agentTeamsId)
      : renderSharedCardTeams(session, where.agentTeamsId, session.agent.locale);
    await postOrUpdate(this.deps, where, messages, 'teams-agent', cardActivity(card));
  }

  /** The agent's own card, as answered to the agent's actions and refreshes. */
  async agentCard(session: Session, agentTeamsId: string): Promise<AdaptiveCard> {
    return renderAgentCardTeams(await this.view(session), agentTeamsId);
  }

  private view(session: Session) {
    const where = teamsOrigin(session);
    const customerHere = (where !== undefined && !where.personal) || session.refs?.webchat !== undefined;
    return agentView(this.deps, session, session.agent.locale, customerHere);
  }
}

/** Tells a customer who is in the Teams conversation what to do, and how it ended. */
export class TeamsCustomerChannel implements CustomerChannel {
  constructor(private readonly deps: TeamsChannelDeps) {}

  async render(session: Session, messages: MessageBook): Promise<void> {
    const conversation = teamsOrigin(session);
    // A web chat customer hears it in the web chat; the relayed thread holds only agents.
    if (!conversation || conversation.personal || session.refs?.webchat) return;
    const account = await this.deps.accounts.summary(session.accountId);
    const confirmUrl = this.deps.promptLinks?.urlFor(session);
    const card = renderCustomerCardTeams(session, account, {
      locale: session.customerLocale,
      company: this.deps.company,
      pinMinutes: this.deps.pinMinutes,
      now: this.deps.clock.now(),
      ...(confirmUrl ? { confirmUrl } : {}),
    });
    if (!card) return;
    await postOrUpdate(this.deps, conversation, messages, 'teams-customer', cardActivity(card));
  }
}
