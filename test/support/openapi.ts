import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { OpenApiDocument } from '../../bots/openapi/document.ts';
import { request } from './http.ts';

const OAS_SCHEMA = new URL('../fixtures/openapi/oas-3.1.schema.json', import.meta.url);

/** The official OpenAPI 3.1 schema (test/fixtures/openapi/README.md says where it is from), compiled. */
export function oasValidator(): (document: unknown) => string[] {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats.default(ajv);
  // A media type or range (`text/*`) in a content map's keys; ajv-formats does not know the format.
  ajv.addFormat('media-range', /^[\w!#$&^.+-]+\/[\w!#$&^.+*-]+$/u);
  const validate = ajv.compile(JSON.parse(readFileSync(OAS_SCHEMA, 'utf8')) as object);
  return (document) => (validate(document) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));
}

/** The document as the server serves it. */
export async function servedDocument(baseUrl: string): Promise<OpenApiDocument> {
  const answer = await request(`${baseUrl}/openapi.json`);
  if (answer.status !== 200) throw new Error(`/openapi.json answered ${answer.status}`);
  return JSON.parse(answer.text) as OpenApiDocument;
}

/**
 * Checks values against the document's own schemas, `$ref`s and all, with ajv in OpenAPI 3.1's dialect
 * (JSON Schema 2020-12). `check(schema, value)` returns the problems, none when the value fits.
 */
export function documentSchemas(document: OpenApiDocument): (schema: object, value: unknown) => string[] {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats.default(ajv);
  // Local `#/components/...` refs resolve against this one schema, the document's components under its root.
  const root = 'urn:support-verify:openapi';
  ajv.addSchema({ $id: root, $defs: {}, components: document.components });
  return (schema, value) => {
    const rooted = JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', `"${root}#/components/`)) as object;
    const validate = ajv.compile(rooted);
    return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || 'value'} ${e.message}`);
  };
}

/** An operation of the document, by path (or webhook name) and method; throws when it is not there. */
export function operation(
  items: Record<string, Record<string, unknown>>,
  path: string,
  method: string,
): {
  requestBody?: { content: Record<string, { schema: object }> };
  responses: Record<string, { content?: Record<string, { schema: object }> }>;
  parameters?: Array<{ name: string; in: string; required?: boolean; schema: object }>;
} {
  const found = items[path]?.[method];
  if (!found) throw new Error(`the document has no ${method.toUpperCase()} ${path}`);
  return found as ReturnType<typeof operation>;
}
