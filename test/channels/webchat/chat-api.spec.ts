import { createHmac } from 'node:crypto';
import { expect } from 'chai';
import { type ChatMessage, webChatStart } from '../../../core/chat.ts';
import { REASSURANCE } from '../../../core/messages/catalog.ts';
import { resolvePolicies } from '../../../core/policies.ts';
import { issuePin, startTestApp, type TestApp } from '../../support/app.ts';
import { request } from '../../support/http.ts';
import { useRedisServer } from '../../support/redis-fixture.ts';
import { WEBCHAT_AGENT as AGENT, ChatClient, until } from '../../support/webchat.ts';

describe('Web chat API', () => {
  const redis = useRedisServer();
  const clock = { offset: 0, now: () => Date.now() + clock.offset };
  let t: TestApp;
  let customer: ChatClient;
  beforeEach(async () => {
    await redis().flush();
    clock.offset = 0;
    t = await startTestApp({ redisUrl: redis().url, clock });
    customer = new ChatClient(t.url);
  });
  afterEach(async () => t.close());

  describe('opening and reading', () => {
    it('opens a conversation with a welcome in the browser’s language, and a token only it accepts', async () => {
      const nl = new ChatClient(t.url, { 'accept-language': 'nl-NL,nl;q=0.9,en;q=0.8' });
      const answer = await nl.open();
      expect(answer.status).to.equal(201);
      expect(answer.json.conversation).to.deep.include({ locale: 'nl' });
      const [welcome] = answer.json.messages as ChatMessage[];
      expect(welcome?.from).to.equal('bot');
      expect(welcome?.text).to.contain('Hallo!').and.contain(REASSURANCE.nl);

      expect((await customer.open({ locale: 'en' })).json.conversation).to.deep.include({ locale: 'en' });
      expect((await customer.read()).status).to.equal(200);
      expect((await customer.read(0, nl.token)).status).to.equal(401);
      expect((await customer.read(0, 'x')).status).to.equal(401);
      expect((await request(`${t.url}/v1/chat/conversations/not-an-id`)).status).to.equal(404);
      // Keyed with a key of its own: the audit key (which seals the audit trail) does not mint chat tokens.
      const withAuditKey = createHmac('sha256', t.app.config.auditKey)
        .update(`chat:${customer.conversationId}`)
        .digest('base64url');
      expect(customer.token).to.not.equal(withAuditKey);
      expect((await customer.read(0, withAuditKey)).status).to.equal(401);
    });

    it('refuses malformed requests with a clear 4xx and changes nothing', async () => {
      const bad = [
        { body: '{"locale": "fr"}', type: 'application/json', status: 400 },
        { body: '{"locale": "en", "admin": true}', type: 'application/json', status: 400 },
        { body: '{"locale":', type: 'application/json', status: 400 },
        { body: 'locale=en', type: 'application/x-www-form-urlencoded', status: 415 },
      ];
      for (const { body, type, status } of bad) {
        const answer = await request(`${t.url}/v1/chat/conversations`, {
          method: 'POST',
          headers: { 'content-type': type },
          body,
        });
        expect(answer.status, body).to.equal(status);
        expect(answer.json.error?.code).to.be.a('string');
      }
      await customer.open();
      for (const text of ['', ' '.repeat(3), 42, 'x'.repeat(4001)])
        expect((await customer.say(text)).status).to.equal(400);
      expect(await customer.messages()).to.have.length(1);
    });

    it('keeps the conversation across a reload and a server restart', async () => {
      await customer.open();
      await customer.say('Hi, my order 12345 has not arrived');
      await t.close();
      t = await startTestApp({ redisUrl: redis().url, clock });
      const again = new ChatClient(t.url);
      again.conversationId = customer.conversationId;
      again.token = customer.token;
      const texts = (await again.messages()).map((m) => m.text);
      expect(texts[1]).to.equal('Hi, my order 12345 has not arrived');
      expect((await again.read(1)).json.messages).to.have.length(1);
    });
  });

  it('ends a conversation after 30 quiet minutes, and every message restarts that clock', async () => {
    const embedded = await startTestApp({ clock });
    try {
      const quiet = new ChatClient(embedded.url);
      await quiet.open();
      clock.offset = 29 * 60_000;
      expect((await quiet.say('still there?')).status).to.equal(201);
      clock.offset = 58 * 60_000;
      expect((await quiet.read()).status).to.equal(200);
      clock.offset = 60 * 60_000;
      const ended = await quiet.read();
      expect(ended.status).to.equal(404);
      expect(ended.json.error?.message).to.contain('ended after a while without messages');
      expect((await quiet.say('hello?')).status).to.equal(404);
    } finally {
      await embedded.close();
    }
  });

  it('ends a grant from the chat when the chat ends for quiet, though the grant would last longer', async () => {
    const embedded = await startTestApp({
      clock,
      mutate: (config) => {
        config.policies = resolvePolicies({ grantMinutes: 60, sessionMinutes: 120 });
      },
    });
    try {
      const quiet = new ChatClient(embedded.url);
      await quiet.open();
      const pin = await issuePin(embedded.url);
      const session = await embedded.app.verification.start({
        agent: AGENT,
        query: 'alex@example.com',
        ...webChatStart(quiet.conversationId),
      });
      await embedded.app.chat.link(quiet.conversationId, session.id);
      await embedded.app.verification.choosePin(session.id, { kind: 'agent', who: AGENT });
      expect((await quiet.pin(pin)).json).to.deep.include({ result: 'accepted' });
      expect(await embedded.app.chat.endIdle(), 'nothing has gone quiet yet').to.equal(0);
      clock.offset = 29 * 60_000;
      expect(await embedded.app.chat.endIdle()).to.equal(0);
      expect((await embedded.app.verification.get(session.id)).state).to.equal('verified');
      clock.offset = 31 * 60_000;
      expect(await embedded.app.chat.endIdle()).to.equal(1);
      expect(await embedded.app.verification.get(session.id)).to.include({
        state: 'closed',
        reason: 'conversation_closed',
      });
      expect(await embedded.app.chat.endIdle(), 'ended once').to.equal(0);
    } finally {
      await embedded.close();
    }
  });

  describe('the guard', () => {
    it('redacts a secret before it is stored or shown, tells the customer why, and audits the kind only', async () => {
      await customer.open();
      const said = await customer.say('my password is Hunter2!xyz and the code 482 913');
      expect(said.status).to.equal(201);
      expect(said.json.warned).to.equal(true);
      const all = JSON.stringify(await customer.messages());
      expect(all).not.to.contain('Hunter2').and.not.to.contain('482 913');
      const lines = await customer.messages();
      expect(lines.at(-1)?.text).to.contain('Please don’t share passwords');
      const audit = (await t.app.auditRecord.read()).filter((e) => e.type === 'secret_redacted');
      expect(audit).to.have.length(1);
      expect(JSON.stringify(audit)).not.to.contain('Hunter2');
    });

    it('hides in the customer’s language, and reads a secret split over two lines', async () => {
      await customer.open({ locale: 'nl' });
      const first = await customer.say('mijn wachtwoord?');
      expect(first.json.warned).to.equal(false);
      const second = await customer.say('is Kanaal22');
      expect(second.json.warned).to.equal(true);
      const lines = await customer.messages();
      expect(lines.filter((m) => m.from === 'customer').map((m) => m.text)).to.deep.equal([
        'mijn wachtwoord?',
        'is [verborgen]',
      ]);
      expect(lines.at(-1)?.text).to.contain('Deel hier alsjeblieft geen wachtwoorden');
      expect(JSON.stringify(lines)).not.to.contain('Kanaal22');
    });

    it('reads the answer that follows an agent’s mention of a security question as an answer', async () => {
      await customer.open();
      await t.app.chat.agentSays(customer.conversationId, 'Your security question is about your first car.', 'Robin');
      const said = await customer.say('Nissan Micra, I hope I spelt it right');
      expect(said.json.warned).to.equal(true);
      expect((await customer.messages()).find((m) => m.from === 'customer')?.text).to.equal(
        '[hidden], I hope I spelt it right',
      );
    });

    it('hides a support PIN given before it is asked for, and says to keep it until then, not to keep a password', async () => {
      await customer.open();
      const said = await customer.say('my support pin is 4821');
      expect(said.json.warned).to.equal(true);
      const lines = await customer.messages();
      expect(lines.find((m) => m.from === 'customer')?.text).to.equal('my support pin is [PIN]');
      expect(lines.at(-1)?.text).to.contain('share your support PIN only when your agent asks for it');
      expect(lines.at(-1)?.text).to.not.contain('passwords');
      expect((await t.app.auditRecord.read()).filter((e) => e.type === 'secret_redacted')).to.have.length(0);
    });
  });

  describe('live', () => {
    it('streams new lines as they are added, and resumes after the last one seen', async () => {
      await customer.open();
      const live = await customer.stream();
      expect(live.status).to.equal(200);
      await until(() => live.events.length >= 1, 'the welcome');
      await customer.say('hello there');
      await t.app.chat.agentSays(customer.conversationId, 'Hi, I am Robin. How can I help?', 'Robin Agent');
      await until(() => live.events.filter((e) => e.event === 'message').length >= 3, 'three lines');
      live.close();
      const lines = live.events.filter((e) => e.event === 'message').map((e) => e.data as ChatMessage);
      expect(lines.map((l) => l.from)).to.deep.equal(['bot', 'customer', 'agent']);
      expect(lines[2]).to.deep.include({ author: 'Robin Agent' });

      const resumed = await customer.stream(2);
      await until(() => resumed.events.some((e) => e.event === 'message'), 'the missed line');
      resumed.close();
      expect(resumed.events.filter((e) => e.event === 'message').map((e) => (e.data as ChatMessage).seq)).to.deep.equal(
        [3],
      );
    });

    it('refuses an agent line that asks for a secret', async () => {
      await customer.open();
      let refused: unknown;
      await t.app.chat
        .agentSays(customer.conversationId, 'Please tell me your password', 'Robin')
        .catch((e: unknown) => {
          refused = e;
        });
      expect(refused).to.be.instanceOf(Error);
      expect(await customer.messages()).to.have.length(1);
    });
  });

  describe('flood limits', () => {
    it('takes 20 messages a minute per conversation, then answers 429 with Retry-After', async () => {
      await customer.open();
      for (let i = 0; i < 20; i++) expect((await customer.say(`message ${i}`)).status).to.equal(201);
      const refused = await customer.say('one too many');
      expect(refused.status).to.equal(429);
      expect(Number(refused.headers.get('retry-after'))).to.be.within(1, 60);
    });

    it('opens 10 conversations an hour per client, then answers 429', async () => {
      for (let i = 0; i < 10; i++) expect((await new ChatClient(t.url).open()).status).to.equal(201);
      expect((await new ChatClient(t.url).open()).status).to.equal(429);
      // Without trusted proxies a forwarded-for header is the sender's own word, and changes nothing.
      const claimed = new ChatClient(t.url, { 'x-forwarded-for': '198.51.100.23' });
      expect((await claimed.open()).status).to.equal(429);
    });

    it('behind TRUSTED_PROXIES counts each forwarded client on its own, IPv6 per /64', async () => {
      await t.close();
      t = await startTestApp({ redisUrl: redis().url, clock, env: { TRUSTED_PROXIES: '127.0.0.1/32,::1' } });
      const via = (forwardedFor: string) => new ChatClient(t.url, { 'x-forwarded-for': forwardedFor });
      for (let i = 0; i < 10; i++) expect((await via('198.51.100.23').open()).status).to.equal(201);
      expect((await via('198.51.100.23').open()).status).to.equal(429);
      // A client that prepends an address of its choosing is still counted as what the proxy saw.
      expect((await via('203.0.113.1, 198.51.100.23').open()).status).to.equal(429);
      expect((await via('198.51.100.24').open()).status).to.equal(201);
      for (let i = 0; i < 10; i++) expect((await via(`2001:db8:7:8::${i + 1}`).open()).status).to.equal(201);
      expect((await via('2001:db8:7:8:ffff::1').open()).status, 'the same /64').to.equal(429);
      expect((await via('2001:db8:7:9::1').open()).status, 'another /64').to.equal(201);
      const proxied = new ChatClient(t.url, { forwarded: 'for="[2001:db8:7:9::2]:4711"' });
      expect((await proxied.open()).status).to.equal(201);
    });
  });

  describe('verifying in the chat', () => {
    async function linkedSession() {
      await customer.open();
      const session = await t.app.verification.start({
        agent: AGENT,
        query: 'alex@example.com',
        ...webChatStart(customer.conversationId),
      });
      await t.app.chat.link(customer.conversationId, session.id);
      return session;
    }

    it('ends the conversation when the customer ends the chat: the grant ends, the stream closes, the token opens nothing', async () => {
      const pin = await issuePin(t.url);
      const session = await linkedSession();
      await t.app.verification.choosePin(session.id, { kind: 'agent', who: AGENT });
      expect((await customer.pin(pin)).json).to.deep.include({ result: 'accepted' });
      expect((await t.app.verification.get(session.id)).state).to.equal('verified');
      const live = await customer.stream();
      await until(() => live.events.some((e) => e.event === 'verification'), 'the stream open');

      const refused = await request(`${t.url}/v1/chat/conversations/${customer.conversationId}/end`, {
        method: 'POST',
        headers: { authorization: `Bearer ${customer.token}`, 'content-type': 'application/json' },
        body: '{"force":true}',
      });
      expect(refused.status).to.equal(400);
      expect((await t.app.verification.get(session.id)).state, 'a bad request changes nothing').to.equal('verified');

      const ended = await request(`${t.url}/v1/chat/conversations/${customer.conversationId}/end`, {
        method: 'POST',
        headers: { authorization: `Bearer ${customer.token}` },
      });
      expect(ended.status).to.equal(200);
      expect((ended.json.message as ChatMessage).text).to.contain('You ended this chat');
      expect(await t.app.verification.get(session.id)).to.include({ state: 'closed', reason: 'conversation_closed' });
      await until(() => live.ended(), 'the stream closed');
      expect(live.events.at(-1)).to.deep.equal({ event: 'closed', data: { reason: 'ended' } });
      expect(
        live.events.some((e) => e.event === 'message' && String((e.data as ChatMessage).text).includes('You ended')),
      ).to.equal(true);
      expect((await customer.read()).status).to.equal(404);
      expect((await customer.say('still there?')).status).to.equal(404);
    });

    it('shows the PIN field with the tries left, takes only 4 digits, and verifies with the right PIN', async () => {
      const pin = await issuePin(t.url);
      const session = await linkedSession();
      const live = await customer.stream();
      await t.app.verification.choosePin(session.id, { kind: 'agent', who: AGENT });
      await until(
        async () => (await customer.messages()).some((m) => m.text.includes('PIN field below')),
        'the instructions',
      );
      await until(
        () =>
          live.events.some(
            (e) => e.event === 'verification' && (e.data as { state?: string })?.state === 'awaiting_pin',
          ),
        'the PIN field',
      );
      expect((await customer.read()).json.verification).to.deep.equal({
        order: [session.createdAt, 2],
        state: 'awaiting_pin',
        method: 'pin',
        triesLeft: 3,
      });

      expect((await customer.pin('12a4')).status).to.equal(400);
      const wrong = await customer.pin(pin === '0000' ? '1111' : '0000');
      expect(wrong.json).to.deep.include({ result: 'rejected' });
      expect(wrong.json.verification).to.deep.include({ triesLeft: 2 });
      const right = await customer.pin(pin);
      expect(right.json).to.deep.include({ result: 'accepted' });
      expect((await t.app.verification.get(session.id)).state).to.equal('verified');
      await until(
        async () => (await customer.messages()).some((m) => m.text.includes('you are verified')),
        'the receipt',
      );
      live.close();
    });

    it('shows the number to pick on the device and until when, then the outcome', async () => {
      const session = await linkedSession();
      const waiting = await t.app.verification.chooseDevice(session.id, { kind: 'agent', who: AGENT });
      const number = waiting.prompt?.matchNumber;
      await until(
        async () => (await customer.messages()).some((m) => m.text.includes(`number ${number}`)),
        'the instructions',
      );
      expect((await customer.read()).json.verification).to.deep.equal({
        order: [session.createdAt, waiting.version],
        state: 'awaiting_device',
        method: 'device',
        expiresAt: waiting.prompt?.expiresAt,
        number,
      });
      await t.app.device?.answer(waiting.prompt?.id ?? '', { decision: 'denied' });
      await until(
        async () => (await customer.messages()).some((m) => m.text.includes('You refused the request')),
        'the outcome',
      );
      expect((await customer.read()).json.verification).to.deep.equal({
        order: [session.createdAt, waiting.version + 1],
        state: 'denied',
      });
    });

    it('takes a PIN typed as a message only while one is expected, and never shows it', async () => {
      const pin = await issuePin(t.url);
      const session = await linkedSession();
      await customer.say(`my pin is ${pin}`);
      expect((await t.app.verification.get(session.id)).state).to.equal('started');
      await t.app.verification.choosePin(session.id, { kind: 'agent', who: AGENT });
      const said = await customer.say(pin);
      expect(said.json).to.deep.include({ pin: 'accepted' });
      expect((await t.app.verification.get(session.id)).state).to.equal('verified');
      const lines = (await customer.messages()).filter((m) => m.from === 'customer').map((m) => m.text);
      expect(lines.at(-1)).to.equal('[PIN]');
    });
  });
});
