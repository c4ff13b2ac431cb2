import { expect } from 'chai';
import { DemoAccounts } from '../../../../adapters/accounts/demo-accounts.ts';
import { WebChatCustomerChannel } from '../../../../bots/webchat/webchat-channel.ts';
import type { ChatConversation, ChatMessage, SupportChat } from '../../../../core/chat.ts';
import type { Locale } from '../../../../core/messages/catalog.ts';
import type { Session } from '../../../../core/session.ts';
import { FakeClock } from '../../../support/clock.ts';

/** The two things the channel asks of the chat: the conversation's language, and where a line goes. */
function recordingChat(locale: Locale, said: string[] = []) {
  const chat = {
    get: async (id: string): Promise<ChatConversation> => ({ id, locale, createdAt: 0 }),
    transcript: async (): Promise<ChatMessage[]> =>
      said.map((text, i) => ({ seq: i + 1, from: 'bot', text, at: 0 }) as ChatMessage),
    botSays: async (_id: string, text: string) => {
      said.push(text);
    },
  } as unknown as SupportChat;
  return { chat, said };
}

const session = (extra: Partial<Session>): Session => ({
  id: 's-1',
  version: 3,
  state: 'awaiting_pin',
  accountId: 'demo-alex',
  customerLocale: 'en',
  agent: { id: 'U1', displayName: 'Robin', channel: 'slack', locale: 'en' },
  createdAt: 0,
  updatedAt: 0,
  expiresAt: 1_800_000,
  method: 'pin',
  pinTriesLeft: 3,
  refs: { webchat: 'conv-1' },
  ...extra,
});

describe('web chat customer channel', () => {
  const say = async (s: Session, locale: Locale = 'en', before: string[] = []) => {
    const { chat, said } = recordingChat(locale, before);
    const channel = new WebChatCustomerChannel({
      chat,
      accounts: await DemoAccounts.load(),
      clock: new FakeClock(),
      company: 'Example Co',
      pinMinutes: 10,
    });
    await channel.render(s);
    return said;
  };

  it('asks for the PIN with the real tries, and says “not accepted” only on the step that rejected one', async () => {
    const [fresh] = await say(session({ pinTriesLeft: 1 }));
    expect(fresh).to.contain('type the 4 digits in the PIN field below').and.not.contain('not accepted');
    const [rejected] = await say(session({ pinTriesLeft: 1, notice: 'pin_rejected' }));
    expect(rejected).to.match(/^That PIN was not accepted\. Tries left: 1\./u);
  });

  it('does not say the same line twice in a row when a step changed nothing the customer sees', async () => {
    const said = await say(session({}));
    expect(said).to.have.length(1);
    const again = await say(session({ version: 4, availability: { pinFailuresLeft: 2 } }), 'en', [...said]);
    expect(again, 'nothing new said').to.deep.equal(said);
  });

  it('speaks the chat’s language, not the account’s', async () => {
    const [dutch] = await say(session({ customerLocale: 'en' }), 'nl');
    expect(dutch).to.contain('Open je accountportaal');
  });

  it('tells the customer what their answer on the device did', async () => {
    const [fraud] = await say(session({ state: 'denied', reason: 'fraud_reported' }));
    expect(fraud).to.match(/^You reported this request/u);
    const [denied] = await say(session({ state: 'denied', reason: 'device_denied' }));
    expect(denied).to.match(/^You refused the request/u);
    const [mismatch] = await say(session({ state: 'denied', reason: 'number_mismatch' }));
    expect(mismatch).to.match(/^The number you picked did not match/u);
  });
});
