/** A JSON Schema as the server's modules declare it (plain objects, many `as const`). */
export type Schema = { readonly [keyword: string]: unknown };

/** An OpenAPI object this document builds (operations, responses, parameters): plain JSON. */
export type OpenApiObject = { [field: string]: unknown };

/**
 * The same schema in OpenAPI 3.1's dialect (JSON Schema 2020-12). Ajv's `nullable: true`, which the request
 * validators use for optional properties, has no meaning there: it becomes `'null'` in the `type` list, so the
 * document accepts exactly what ajv accepts.
 */
export function toOpenApiSchema(schema: Schema): Schema {
  const converted: Record<string, unknown> = {};
  for (const [keyword, value] of Object.entries(schema)) {
    if (keyword === 'nullable') continue;
    converted[keyword] = convertValue(keyword, value);
  }
  if (schema.nullable === true) {
    const type = schema.type;
    converted.type = [...(Array.isArray(type) ? type : [type]), 'null'];
    if (Array.isArray(schema.enum)) converted.enum = [...schema.enum, null];
  }
  return converted;
}

// Keywords whose value is a map of schemas, a list of schemas, or one schema; everything else is data.
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);
const SCHEMA_LISTS = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems']);
const SCHEMA_VALUES = new Set(['items', 'additionalProperties', 'not', 'if', 'then', 'else', 'contains']);

function convertValue(keyword: string, value: unknown): unknown {
  if (SCHEMA_MAPS.has(keyword) && isSchema(value))
    return Object.fromEntries(
      Object.entries(value).map(([name, sub]) => [name, isSchema(sub) ? toOpenApiSchema(sub) : sub]),
    );
  if (SCHEMA_LISTS.has(keyword) && Array.isArray(value))
    return value.map((sub: unknown) => (isSchema(sub) ? toOpenApiSchema(sub) : sub));
  if (SCHEMA_VALUES.has(keyword) && isSchema(value)) return toOpenApiSchema(value);
  return value;
}

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A `$ref` to one of the document's component schemas. */
export const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });

/** A JSON body (request or response) of a component schema. */
export const jsonContent = (schemaName: string): OpenApiObject => ({
  'application/json': { schema: ref(schemaName) },
});

/** A response with a JSON body of a component schema. */
export const jsonResponse = (description: string, schemaName: string, headers?: OpenApiObject): OpenApiObject => ({
  description,
  content: jsonContent(schemaName),
  ...(headers ? { headers } : {}),
});

const retryAfter = {
  'retry-after': { description: 'Seconds to wait before trying again.', schema: { type: 'integer', minimum: 1 } },
};

/** Error answers (`{error: {code, message}}`) by status, each with what it means on this route. */
export function errorResponses(byStatus: Readonly<Record<number, string>>): Record<string, OpenApiObject> {
  return Object.fromEntries(
    Object.entries(byStatus).map(([status, description]) => [
      status,
      jsonResponse(description, 'Error', status === '429' || status === '503' ? retryAfter : undefined),
    ]),
  );
}

/** A required path parameter. */
export const pathParameter = (name: string, description: string, schema: Schema): OpenApiObject => ({
  name,
  in: 'path',
  required: true,
  description,
  schema,
});
