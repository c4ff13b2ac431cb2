import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { expect } from 'chai';
import { startTestApp, type TestApp } from '../../support/app.ts';
import { request } from '../../support/http.ts';
import { oasValidator, servedDocument } from '../../support/openapi.ts';

const VERSION = (
  JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

describe('GET /openapi.json', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ env: { PUBLIC_URL: 'https://verify.example.com' } });
  });
  after(async () => t.close());

  it('serves the document as JSON, cacheable for a short while', async () => {
    const answer = await request(`${t.url}/openapi.json`);
    expect(answer.status).to.equal(200);
    expect(answer.headers.get('content-type')).to.equal('application/json; charset=utf-8');
    expect(answer.headers.get('cache-control')).to.equal('public, max-age=300');
  });

  it('is a valid OpenAPI 3.1 document by the official schema', async () => {
    const document = await servedDocument(t.url);
    expect(document.openapi).to.match(/^3\.1\.\d+$/u);
    expect(oasValidator()(document)).to.deep.equal([]);
  });

  it('the official schema does refuse a broken document (the check is not vacuous)', async () => {
    const document = await servedDocument(t.url);
    const broken = structuredClone(document) as unknown as { paths: Record<string, Record<string, unknown>> };
    if (broken.paths['/healthz']) broken.paths['/healthz'].get = { responses: { '200': { content: {} } } };
    expect(oasValidator()(broken)).to.not.deep.equal([]);
    expect(oasValidator()({ ...document, info: { title: 'no version' } })).to.not.deep.equal([]);
  });

  it('names the public URL as its server and the package version as its own', async () => {
    const document = await servedDocument(t.url);
    expect(document.servers).to.deep.equal([{ url: 'https://verify.example.com' }]);
    expect(document.info.version).to.equal(VERSION);
  });

  it('has security schemes for the portal key and the device signature, and the two webhooks the server sends', async () => {
    const document = await servedDocument(t.url);
    expect(document.components.securitySchemes.portalKey).to.include({ type: 'http', scheme: 'bearer' });
    expect(document.components.securitySchemes.deviceSignature).to.include({
      type: 'apiKey',
      in: 'header',
      name: 'webhook-signature',
    });
    expect(document.webhooks).to.include.keys('devicePrompt', 'securityAlert');
  });

  it('every schema in it compiles as JSON Schema 2020-12, OpenAPI 3.1’s dialect', async () => {
    const document = await servedDocument(t.url);
    const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false });
    addFormats.default(ajv);
    for (const [name, schema] of Object.entries(document.components.schemas))
      expect(() => ajv.compile(schema), name).to.not.throw();
  });

  it('says what ajv’s `nullable` accepts: an optional property may be null', async () => {
    const { DeviceAnswer } = (await servedDocument(t.url)).components.schemas;
    expect(DeviceAnswer).to.have.deep.nested.property('properties.matchedNumber.type', ['integer', 'null']);
    expect(DeviceAnswer).to.not.have.nested.property('properties.matchedNumber.nullable');
  });
});
