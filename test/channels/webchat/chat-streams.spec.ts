import { expect } from 'chai';
import type { Config } from '../../../adapters/config/config.ts';
import { webChatStart } from '../../../core/chat.ts';
import { startTestApp, type TestApp } from '../../support/app.ts';
import { useRedisServer } from '../../support/redis-fixture.ts';
import type { EventStream } from '../../support/sse.ts';
import { WEBCHAT_AGENT as AGENT, ChatClient, until } from '../../support/webchat.ts';

const of = (stream: EventStream, event: string) => stream.events.filter((e) => e.event === event);

describe('Web chat: event streams under load and abuse', () => {
  const redis = useRedisServer();
  let t: TestApp;
  const start = async (limits: Partial<Config['webchatStreams']> = {}) => {
    t = await startTestApp({
      redisUrl: redis().url,
      mutate: (config) => Object.assign(config.webchatStreams, limits),
    });
  };
  beforeEach(() => redis().flush());
  afterEach(async () => t.close());

  it('tells a new stream only, not every stream already open: N attaches cost N writes', async () => {
    await start();
    const customer = new ChatClient(t.url);
    await customer.open();
    const streams: EventStream[] = [];
    for (let i = 0; i < 3; i++) {
      streams.push(await customer.stream());
      await until(() => of(streams[i] as EventStream, 'verification').length === 1, `stream ${i} told once`);
    }
    await new Promise((r) => setTimeout(r, 150));
    expect(streams.map((s) => of(s, 'verification').length)).to.deep.equal([1, 1, 1]);

    const session = await t.app.verification.start({
      agent: AGENT,
      query: 'alex@example.com',
      ...webChatStart(customer.conversationId),
    });
    await t.app.chat.link(customer.conversationId, session.id);
    await t.app.chatStreams.verificationChanged(customer.conversationId);
    await until(() => streams.every((s) => of(s, 'verification').length === 2), 'each told of the change once');
    for (const s of streams) s.close();
  });

  it('keeps 3 streams per conversation: a fourth closes the oldest with a final event, and lines go to the rest', async () => {
    await start();
    const customer = new ChatClient(t.url);
    await customer.open();
    const streams: EventStream[] = [];
    for (let i = 0; i < 4; i++) streams.push(await customer.stream());
    const [oldest, ...rest] = streams as [EventStream, ...EventStream[]];
    await until(() => oldest.ended(), 'the oldest closed');
    expect(of(oldest, 'closed').map((e) => e.data)).to.deep.equal([{ reason: 'replaced' }]);
    await customer.say('still there?');
    await until(() => rest.every((s) => of(s, 'message').length === 2), 'the line reaches the three left');
    expect(of(oldest, 'message')).to.have.length(1);
    expect(rest.some((s) => s.ended())).to.equal(false);
    expect(t.app.chatStreams.size).to.equal(3);
    for (const s of rest) s.close();
    await until(() => t.app.chatStreams.size === 0, 'closed streams forgotten');
  });

  it('keeps a share per client address: past it 429 with Retry-After; another address is another client', async () => {
    await start({ perClient: 4 });
    const first = new ChatClient(t.url);
    const second = new ChatClient(t.url);
    await first.open();
    await second.open();
    const open = [await first.stream(), await first.stream(), await first.stream(), await second.stream()];
    const refused = await second.stream();
    expect(refused.status).to.equal(429);
    expect(Number(refused.headers['retry-after'])).to.equal(30);
    expect(JSON.parse(refused.refusal).error.code).to.equal('rate_limited');

    const elsewhere = new ChatClient(t.url, {}, '127.0.0.2');
    await elsewhere.open();
    const theirs = await elsewhere.stream();
    expect(theirs.status).to.equal(200);

    open[0]?.close();
    await until(() => t.app.chatStreams.size === 4, 'a closed stream frees its place');
    const again = await second.stream();
    expect(again.status).to.equal(200);
    for (const s of [...open, theirs, again]) s.close();
  });

  it('keeps at most perReplica streams open, then answers 503 with Retry-After and opens nothing', async () => {
    await start({ perReplica: 5, perClient: 100 });
    const clients = [new ChatClient(t.url), new ChatClient(t.url)];
    for (const c of clients) await c.open();
    const open: EventStream[] = [];
    for (let i = 0; i < 5; i++) open.push(await (clients[i % 2] as ChatClient).stream());
    const refused = await (clients[0] as ChatClient).stream();
    expect(refused.status).to.equal(503);
    expect(refused.headers['retry-after']).to.equal('5');
    expect(t.app.chatStreams.size).to.equal(5);
    expect((await fetch(`${t.url}/healthz`)).status).to.equal(200);
    for (const s of open) s.close();
  });

  it('sends a heartbeat comment on every beat, and closes a stream with nothing to say', async () => {
    await start({ heartbeatMs: 100, idleMs: 450 });
    const customer = new ChatClient(t.url);
    await customer.open();
    const quiet = await customer.stream();
    await until(() => quiet.comments >= 2, 'heartbeats');
    await until(() => quiet.ended(), 'closed when idle', 3000);
    expect(of(quiet, 'closed').map((e) => e.data)).to.deep.equal([{ reason: 'idle' }]);
    expect(t.app.chatStreams.size).to.equal(0);

    // Something said keeps a stream open past the idle time.
    const talking = await customer.stream();
    for (let i = 0; i < 4; i++) {
      await new Promise((r) => setTimeout(r, 200));
      await customer.say(`line ${i}`);
    }
    expect(talking.ended()).to.equal(false);
    talking.close();
  });
});
