import { EventEmitter } from 'node:events';
import { expect } from 'chai';
import type { Response } from 'restify';
import { ChatStreams, Gate } from '../../../../bots/webchat/chat-routes.ts';
import type { ChatConversation } from '../../../../core/chat.ts';

/** The part of a response a stream writes to, with how much of it the client has not read yet. */
class FakeResponse extends EventEmitter {
  writableLength = 0;
  destroyed = false;
  ended = false;
  readonly written: string[] = [];
  writeHead(): this {
    return this;
  }
  write(chunk: string): boolean {
    this.written.push(chunk);
    return true;
  }
  end(chunk?: string): void {
    if (chunk) this.written.push(chunk);
    this.ended = true;
    this.emit('close');
  }
  destroy(): void {
    this.destroyed = true;
    this.emit('close');
  }
}

const conversation = { id: 'c-1', locale: 'en' } as ChatConversation;

describe('ChatStreams: dead and idle streams', () => {
  let hub: ChatStreams;
  const beat = () => new Promise((r) => setTimeout(r, 60));
  beforeEach(async () => {
    hub = new ChatStreams(
      {
        chat: { get: async () => conversation, transcript: async () => [] },
        verification: { get: async () => Promise.reject(new Error('none')) },
        bus: { subscribeChat: async () => async () => {} },
      },
      { heartbeatMs: 20, idleMs: 10_000 },
    );
    await hub.start();
  });
  afterEach(() => hub.stop());

  it('destroys a stream whose client stopped reading (64 KiB unread), and keeps one that reads', async () => {
    const reading = new FakeResponse();
    const stalled = new FakeResponse();
    await hub.attach(conversation, reading as unknown as Response, 0, '10.0.0.1');
    await hub.attach(conversation, stalled as unknown as Response, 0, '10.0.0.2');
    stalled.writableLength = 64 * 1024 + 1;
    await beat();
    expect(stalled.destroyed).to.equal(true);
    expect(reading.destroyed || reading.ended).to.equal(false);
    expect(reading.written.filter((w) => w.startsWith(': keep-alive')).length).to.be.greaterThan(0);
    expect(hub.size).to.equal(1);
  });

  it('forgets a stream whose connection was destroyed underneath it', async () => {
    const gone = new FakeResponse();
    await hub.attach(conversation, gone as unknown as Response, 0, '10.0.0.3');
    gone.destroyed = true;
    await beat();
    expect(hub.size).to.equal(0);
  });
});

describe('Gate: stream handshakes a few at a time', () => {
  it('runs at most its size at once, the rest in order as places free up, also after a failure', async () => {
    const gate = new Gate(2);
    let running = 0;
    let most = 0;
    const order: number[] = [];
    const work = (n: number) => async () => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, 5));
      running -= 1;
      order.push(n);
      if (n === 1) throw new Error('one failed');
      return n;
    };
    const all = [0, 1, 2, 3, 4].map((n) => gate.run(work(n)).catch(() => -1));
    expect(gate.queued).to.equal(3);
    expect(await Promise.all(all)).to.deep.equal([0, -1, 2, 3, 4]);
    expect(most).to.equal(2);
    expect(order.slice(2)).to.deep.equal([2, 3, 4]);
    expect(gate.queued).to.equal(0);
  });
});
