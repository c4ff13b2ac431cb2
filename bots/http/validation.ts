import { Ajv, type JSONSchemaType } from 'ajv';
import { HttpError } from './responses.ts';

const ajv = new Ajv({ allErrors: true, strict: true });

/** Compiles a request-body schema into a function that returns the typed body or throws a 400 naming every problem. */
export function bodyValidator<T>(schema: JSONSchemaType<T>): (value: unknown) => T {
  const validate = ajv.compile(schema);
  return (value) => {
    if (validate(value)) return value;
    const problems = (validate.errors ?? []).map((e) => {
      const where = e.instancePath.replace(/^\//u, '').replaceAll('/', '.') || 'body';
      const extra = e.keyword === 'additionalProperties' ? ` (${String(e.params.additionalProperty)})` : '';
      return `${where} ${e.message ?? 'is invalid'}${extra}`;
    });
    throw new HttpError(400, 'invalid_request', problems.join('; '));
  };
}
