import { expect } from 'chai';
import { MemorySessionStore } from '../../../adapters/store/memory-session-store.ts';
import { ConversationGuard, FOLLOW_UP_MS } from '../../../core/conversation-guard.ts';
import { StoreUnavailableError } from '../../../core/errors.ts';
import type { SessionStore } from '../../../core/ports/index.ts';
import { FakeClock } from '../../support/clock.ts';

describe('ConversationGuard: a conversation’s memory for the guard', () => {
  let clock: FakeClock;
  let store: MemorySessionStore;
  let guard: ConversationGuard;
  beforeEach(() => {
    clock = new FakeClock();
    store = new MemorySessionStore(clock);
    guard = new ConversationGuard(store, clock);
  });

  it('reads the same person’s next line as the value a line ended on, within a minute', async () => {
    await guard.line('c:1', 'customer', 'ok my password is');
    clock.advance(FOLLOW_UP_MS - 1_000);
    expect((await guard.line('c:1', 'customer', 'cinnamon roll 7')).redacted).to.equal('[hidden]');
  });

  it('forgets it after a minute, and once the value came', async () => {
    await guard.line('c:1', 'customer', 'ok my password is');
    clock.advance(FOLLOW_UP_MS + 1);
    expect((await guard.line('c:1', 'customer', 'cinnamon roll 7')).findings).to.deep.equal([]);
    await guard.line('c:1', 'customer', 'my password?');
    expect((await guard.line('c:1', 'customer', 'its Hopscotch88')).findings).to.deep.equal(['password']);
    expect((await guard.line('c:1', 'customer', 'thanks')).redacted).to.equal('thanks');
  });

  it('keeps each speaker’s arming to that speaker, and each conversation to itself', async () => {
    await guard.line('c:1', 'U1', 'the pin for my account');
    expect((await guard.line('c:1', 'U2', '3386')).findings).to.deep.equal([]);
    expect((await guard.line('c:2', 'U1', '3386')).findings).to.deep.equal([]);
    expect((await guard.line('c:1', 'U1', '3386')).findings).to.deep.equal(['password']);
  });

  it('arms the customer’s answer after the agent names a security question, and nothing else the agent says', async () => {
    await guard.otherLine('c:1', 'Thanks, let me check your order first.');
    expect((await guard.line('c:1', 'customer', 'Fitzgerald')).findings).to.deep.equal([]);
    await guard.otherLine('c:1', 'The portal will ask your security question about your first pet.');
    expect((await guard.line('c:1', 'customer', 'oh its Whiskers')).redacted).to.equal('oh its [hidden]');
    // An agent in a shared channel is scanned too, and arms the customer as well.
    await guard.line('c:2', 'agent', 'Which security question did you set up? Don’t tell me the answer.', {
      armsOthers: true,
    });
    expect((await guard.line('c:2', 'customer', 'Fitzgerald')).findings).to.deep.equal(['security_answer']);
  });

  it('stores only what was armed: a kind, flags and an expiry, never text', async () => {
    await guard.line('c:1', 'customer', 'new password I set: Ravioli&Rain9 (with the and sign)');
    await guard.line('c:1', 'customer', 'and the passcode for my phone');
    const raw = (await store.getFlag('c:1', 'guard')) ?? '';
    expect(raw).to.match(/"value":"password"/u);
    expect(raw).to.not.match(/Ravioli|passcode|phone/u);
  });

  it('still scans a line whole when the store cannot answer', async () => {
    const failing = new Proxy(store, {
      get(target, name, receiver) {
        if (name === 'getFlag' || name === 'setFlag' || name === 'clearFlag')
          return () => Promise.reject(new StoreUnavailableError('down'));
        return Reflect.get(target, name, receiver);
      },
    }) as SessionStore;
    const scan = await new ConversationGuard(failing, clock).line('c:1', 'customer', 'my password is hunter2');
    expect(scan).to.deep.include({ findings: ['password'], redacted: 'my password is [hidden]' });
  });
});
