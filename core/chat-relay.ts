import type { ChatMessage, SupportChat } from './chat.ts';
import type { ChatEvent } from './ports/index.ts';
import type { RenderTurns } from './render-turns.ts';

/**
 * Hands a relay (a Slack thread, a Teams thread) each customer line it has not sent yet: one at a time, in
 * order, and once across replicas, by taking the conversation's turn for that relay. Agents' lines came from
 * the relay, and the bot's reach agents on their card, so only customer lines go. False if the turn never
 * came free.
 */
export async function forwardCustomerLines(
  turns: RenderTurns,
  chat: SupportChat,
  relay: string,
  event: ChatEvent,
  send: (message: ChatMessage) => Promise<void>,
): Promise<boolean> {
  if (event.from !== 'customer') return true;
  return turns.advance(`relay-${relay}:${event.conversationId}`, event.seq, async (relayed) => {
    const next = (await chat.transcript(event.conversationId, relayed)).find((m) => m.from === 'customer');
    if (!next) return undefined;
    await send(next);
    return next.seq;
  });
}
