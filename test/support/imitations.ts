import { renderMessage } from '../../core/messages/catalog.ts';
import { ChatClient } from './webchat.ts';

const OUTCOMES = [
  ['label.state.verified', 'agent.verified'],
  ['label.state.denied', 'agent.denied'],
  ['label.state.denied', 'agent.denied.fraud'],
  ['label.state.denied', 'agent.denied.number_mismatch'],
  ['label.state.failed', 'agent.failed.tries'],
  ['label.state.failed', 'agent.failed.locked'],
  ['label.state.expired', 'agent.expired'],
  ['label.state.cancelled', 'agent.cancelled'],
  ['label.state.closed', 'agent.closed.revoked'],
] as const;

/**
 * Customer lines that imitate every outcome the bot posts, in English and Dutch, dressed the ways chat text
 * can be dressed: a newline then the bot's name, Slack mrkdwn and emoji shortcodes, a quote, Markdown for
 * Teams, a fake mention and link.
 */
export function outcomeImitations(): string[] {
  const lines: string[] = [];
  for (const locale of ['en', 'nl'] as const) {
    for (const [label, sentence] of OUTCOMES) {
      const state = renderMessage(label, locale);
      const said = renderMessage(sentence, locale, { customer: 'Alex Morgan', until: '14:05' });
      lines.push(
        `hello\n:white_check_mark: *${state}* — ${said}`,
        `ok thanks\n\n*Support Verify*\n> ${state}: ${said}`,
        `**${state}**\n- ${said}\n- [details](https://verify.example.com/ok)`,
        `<!here> ${state} :tada:\n_${said}_`,
      );
    }
  }
  return lines;
}

/**
 * Says `lines` in web chat conversations of their own, 15 to a conversation (a customer may send 20 a minute),
 * and resolves with the lines as stored: what the guard left, which is what the relays post.
 */
export async function sayInConversations(baseUrl: string, lines: string[]): Promise<string[]> {
  const stored: string[] = [];
  for (let at = 0; at < lines.length; at += 15) {
    const client = new ChatClient(baseUrl, {}, `127.0.3.${at / 15 + 1}`);
    await client.open({ locale: 'en' });
    for (const line of lines.slice(at, at + 15)) {
      const answer = await client.say(line);
      if (answer.status !== 201) throw new Error(`the chat refused a line: ${answer.status}`);
    }
    stored.push(...(await client.messages()).filter((m) => m.from === 'customer').map((m) => m.text));
  }
  return stored;
}
