import { expect } from 'chai';
import type { OpenApiDocument } from '../../../bots/openapi/document.ts';
import { startTestApp, TEST_DEVICE_SECRET, TEST_PORTAL_KEY, type TestApp } from '../../support/app.ts';
import { signedDeviceAnswer } from '../../support/device-signing.ts';
import { AGENT } from '../../support/fakes.ts';
import { request } from '../../support/http.ts';
import { documentSchemas, operation, servedDocument } from '../../support/openapi.ts';

describe('Real requests and answers fit the OpenAPI document', () => {
  let t: TestApp;
  let document: OpenApiDocument;
  let check: ReturnType<typeof documentSchemas>;
  before(async () => {
    t = await startTestApp();
    document = await servedDocument(t.url);
    check = documentSchemas(document);
  });
  after(async () => t.close());

  /**
   * Sends one request to `path` (a documented template, filled by `url`) and checks, against the document, the
   * JSON body sent (when there is one), that the answer's status is documented, and the answer's JSON body.
   */
  async function exchange(
    template: string,
    method: 'get' | 'post',
    url: string,
    options: { headers?: Record<string, string>; body?: string } = {},
  ): Promise<{ status: number; json: Record<string, unknown> }> {
    const documented = operation(document.paths, template, method);
    if (options.body !== undefined) {
      const schema = documented.requestBody?.content['application/json']?.schema;
      expect(schema, `${template} takes a JSON body`).to.not.equal(undefined);
      expect(check(schema ?? {}, JSON.parse(options.body)), `${template} request`).to.deep.equal([]);
    }
    const answer = await request(`${t.url}${url}`, { method: method.toUpperCase(), ...options });
    const response = documented.responses[String(answer.status)];
    expect(response, `${method} ${template} documents ${answer.status}`).to.not.equal(undefined);
    const schema = response?.content?.['application/json']?.schema;
    expect(schema, `${answer.status} has a JSON schema`).to.not.equal(undefined);
    expect(check(schema ?? {}, answer.json), `${template} ${answer.status}: ${answer.text}`).to.deep.equal([]);
    return answer;
  }

  describe('the portal PIN API', () => {
    const PINS = '/v1/accounts/{accountId}/support-pins';
    const key = { authorization: `Bearer ${TEST_PORTAL_KEY}` };
    const json = { ...key, 'content-type': 'application/json' };

    it('201 without a body and with one', async () => {
      expect((await exchange(PINS, 'post', '/v1/accounts/demo-alex/support-pins', { headers: key })).status).to.equal(
        201,
      );
      const body = JSON.stringify({ locale: 'nl' });
      const answer = await exchange(PINS, 'post', '/v1/accounts/demo-jan/support-pins', { headers: json, body });
      expect(answer.status).to.equal(201);
    });

    it('401, 400, 404 and 415 are documented error bodies', async () => {
      const url = '/v1/accounts/demo-alex/support-pins';
      expect((await exchange(PINS, 'post', url, { headers: { authorization: 'Bearer wrong' } })).status).to.equal(401);
      // A body the document refuses is refused by the server too, with a documented error body.
      const pinRequest = operation(document.paths, PINS, 'post').requestBody?.content['application/json']?.schema;
      expect(check(pinRequest ?? {}, { locale: 'fr' })).to.not.deep.equal([]);
      const refused = await request(`${t.url}${url}`, { method: 'POST', headers: json, body: '{"locale":"fr"}' });
      expect(refused.status).to.equal(400);
      const errorBody = operation(document.paths, PINS, 'post').responses['400']?.content?.['application/json']?.schema;
      expect(check(errorBody ?? {}, refused.json)).to.deep.equal([]);
      expect((await exchange(PINS, 'post', '/v1/accounts/nobody-here/support-pins', { headers: key })).status).to.equal(
        404,
      );
      const plain = { ...key, 'content-type': 'text/plain' };
      expect((await exchange(PINS, 'post', url, { headers: plain, body: '{}' })).status).to.equal(415);
    });
  });

  describe('device answers', () => {
    const ANSWER = '/v1/device-prompts/{promptId}/response';
    const waitingPrompt = async () => {
      const session = await t.app.verification.start({ agent: AGENT, query: 'alex@example.com' });
      const waiting = await t.app.verification.chooseDevice(session.id, { kind: 'agent', who: AGENT });
      return { id: waiting.prompt?.id ?? '', matchNumber: waiting.prompt?.matchNumber };
    };

    it('200 for a signed answer, and 409 for a second one', async () => {
      const prompt = await waitingPrompt();
      const signed = signedDeviceAnswer(TEST_DEVICE_SECRET, {
        promptId: prompt.id,
        decision: 'confirmed',
        ...(prompt.matchNumber === undefined ? {} : { matchedNumber: prompt.matchNumber }),
      });
      const url = `/v1/device-prompts/${prompt.id}/response`;
      const answer = await exchange(ANSWER, 'post', url, signed);
      expect(answer.json).to.deep.equal({ state: 'verified' });
      expect((await exchange(ANSWER, 'post', url, signed)).status).to.equal(409);
    });

    it('an explicit null matchedNumber is what the document allows and the server takes', async () => {
      const prompt = await waitingPrompt();
      const signed = signedDeviceAnswer(TEST_DEVICE_SECRET, {
        promptId: prompt.id,
        decision: 'denied',
        matchedNumber: null,
      });
      const answer = await exchange(ANSWER, 'post', `/v1/device-prompts/${prompt.id}/response`, signed);
      expect(answer.json).to.deep.equal({ state: 'denied' });
    });

    it('401 for a wrong signature, 404 for an unknown prompt', async () => {
      // Neither needs a pending prompt: the signature is checked first, and this id was never issued.
      const unknown = '00000000-0000-4000-8000-000000000000.000000000000';
      const url = `/v1/device-prompts/${unknown}/response`;
      const wrong = signedDeviceAnswer('another-secret-0123456789abcdef0123', {
        promptId: unknown,
        decision: 'denied',
      });
      expect((await exchange(ANSWER, 'post', url, wrong)).status).to.equal(401);
      const signed = signedDeviceAnswer(TEST_DEVICE_SECRET, { promptId: unknown, decision: 'denied' });
      expect((await exchange(ANSWER, 'post', url, signed)).status).to.equal(404);
    });
  });

  describe('health and the web chat', () => {
    it('/healthz, /healthz?deep and /readyz, and /readyz while draining', async () => {
      expect((await exchange('/healthz', 'get', '/healthz')).status).to.equal(200);
      expect((await exchange('/healthz', 'get', '/healthz?deep')).json).to.include({ store: 'reachable' });
      expect((await exchange('/readyz', 'get', '/readyz')).status).to.equal(200);
      t.app.drain();
      expect((await exchange('/readyz', 'get', '/readyz')).status).to.equal(503);
    });

    it('open, say, read, give a PIN, end', async () => {
      const json = { 'content-type': 'application/json' };
      const CONVERSATIONS = '/v1/chat/conversations';
      const opened = await exchange(CONVERSATIONS, 'post', CONVERSATIONS, { headers: json, body: '{"locale":"en"}' });
      const { id } = opened.json.conversation as { id: string };
      const auth = { ...json, authorization: `Bearer ${String(opened.json.token)}` };
      const one = `${CONVERSATIONS}/{conversationId}`;
      const base = `${CONVERSATIONS}/${id}`;
      expect(
        (await exchange(`${one}/messages`, 'post', `${base}/messages`, { headers: auth, body: '{"text":"hi"}' }))
          .status,
      ).to.equal(201);
      expect((await exchange(one, 'get', base, { headers: auth })).status).to.equal(200);
      expect(
        (await exchange(`${one}/pin`, 'post', `${base}/pin`, { headers: auth, body: '{"pin":"1234"}' })).status,
      ).to.equal(400);
      expect((await exchange(one, 'get', base, { headers: { authorization: 'Bearer nope' } })).status).to.equal(401);
      expect((await exchange(`${one}/end`, 'post', `${base}/end`, { headers: auth, body: '{}' })).status).to.equal(200);
    });
  });
});
