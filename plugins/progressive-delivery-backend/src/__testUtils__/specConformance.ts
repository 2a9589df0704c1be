import { spec } from '../schema/openapi/generated';

/*
 * Checks an answer of the HTTP API against a schema of the OpenAPI spec, as a client generated
 * from the spec reads it: closed objects (`additionalProperties: false`) carry no field the
 * spec does not name, required fields are there, types and enums hold. The typed router only
 * checks at compile time that a handler gives every field the spec requires; a field the common
 * package adds without the spec would reach the frontend untyped, and this finds it. Covers the
 * subset of JSON Schema the spec uses (no oneOf / anyOf / allOf).
 */

type Schema = {
  $ref?: string;
  type?: string;
  enum?: readonly unknown[];
  properties?: Record<string, Schema>;
  required?: readonly string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
};

const schemas = spec.components.schemas as unknown as Record<string, Schema>;

function resolve(schema: Schema): Schema {
  let resolved = schema;
  while (resolved.$ref) {
    const name = resolved.$ref.replace('#/components/schemas/', '');
    resolved = schemas[name];
    if (!resolved) {
      throw new Error(`the spec has no schema ${name}`);
    }
  }
  return resolved;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function checkObject(
  value: Record<string, unknown>,
  schema: Schema,
  path: string,
  out: string[],
): void {
  for (const field of schema.required ?? []) {
    if (value[field] === undefined) {
      out.push(`${path}.${field}: required, missing`);
    }
  }
  for (const [field, fieldValue] of Object.entries(value)) {
    const property = schema.properties?.[field];
    if (fieldValue === undefined) {
      continue; // not in the JSON
    } else if (property) {
      check(fieldValue, property, `${path}.${field}`, out);
    } else if (schema.additionalProperties === false) {
      out.push(`${path}.${field}: not in the spec`);
    } else if (isRecord(schema.additionalProperties)) {
      check(fieldValue, schema.additionalProperties, `${path}.${field}`, out);
    }
  }
}

function check(value: unknown, raw: Schema, path: string, out: string[]) {
  const schema = resolve(raw);
  if (schema.enum && !schema.enum.includes(value)) {
    out.push(`${path}: ${JSON.stringify(value)} not in ${schema.enum}`);
  }
  switch (schema.type) {
    case 'object':
      if (isRecord(value)) {
        checkObject(value, schema, path, out);
      } else {
        out.push(`${path}: not an object`);
      }
      break;
    case 'array':
      if (Array.isArray(value)) {
        value.forEach((item, i) =>
          check(item, schema.items ?? {}, `${path}[${i}]`, out),
        );
      } else {
        out.push(`${path}: not an array`);
      }
      break;
    case 'string':
    case 'number':
    case 'boolean':
      if (typeof value !== schema.type) {
        out.push(`${path}: not a ${schema.type}`);
      }
      break;
    default:
      break;
  }
}

/** Where `value` breaks the spec's schema `name`, as `path: reason` lines (none: it conforms). */
export function specViolations(value: unknown, name: string): string[] {
  const out: string[] = [];
  check(value, { $ref: `#/components/schemas/${name}` }, '$', out);
  return out;
}
