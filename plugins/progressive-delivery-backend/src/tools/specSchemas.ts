import { ActionsRegistryActionOptions } from '@backstage/backend-plugin-api/alpha';
import { spec } from '../schema/openapi';

/*
 * The tools' schemas come from the OpenAPI spec, so a tool answers exactly what the HTTP API
 * answers and its output is checked against the same contract: closed objects
 * (`additionalProperties: false`) become strict zod objects, required fields are required,
 * types, enums, patterns and lengths hold. `description` becomes the zod description (agents
 * read it in the tool's JSON schema); `format` is an annotation, as in JSON Schema, and is not
 * checked. A keyword the converter does not understand is an error naming where it is, never
 * silently looser validation.
 */

/** The zod namespace the actions registry hands to schema factories (`zod/v3`). */
export type Zod = Parameters<
  ActionsRegistryActionOptions<any, any>['schema']['input']
>[0];
type ZodSchema = InstanceType<Zod['ZodType']>;
type ZodObjectSchema = ReturnType<Zod['object']>;

export interface JsonSchema {
  $ref?: string;
  type?: string;
  enum?: readonly unknown[];
  properties?: Record<string, JsonSchema>;
  required?: readonly string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  pattern?: string;
  maxLength?: number;
  description?: string;
}

/** Validation keywords of JSON Schema that the spec does not use and the converter refuses. */
const UNSUPPORTED = [
  'oneOf',
  'anyOf',
  'allOf',
  'not',
  'const',
  'if',
  'nullable',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minLength',
  'minItems',
  'maxItems',
  'uniqueItems',
  'prefixItems',
  'patternProperties',
  'propertyNames',
  'minProperties',
  'maxProperties',
  'dependentRequired',
  'dependentSchemas',
];

const COMPONENTS = '#/components/schemas/';
const components = spec.components.schemas as unknown as Record<
  string,
  JsonSchema
>;

/** One set of component schemas per zod namespace, so each `$ref` is one zod schema. */
const cache = new WeakMap<Zod, Map<string, ZodSchema>>();

function component(z: Zod, name: string): ZodSchema {
  let built = cache.get(z);
  if (!built) {
    built = new Map();
    cache.set(z, built);
  }
  const existing = built.get(name);
  if (existing) {
    return existing;
  }
  const schema = components[name];
  if (!schema) {
    throw new Error(`the OpenAPI spec has no schema ${name}`);
  }
  // The spec's schemas are not recursive; a lazy reference keeps a future cycle from looping.
  built.set(
    name,
    z.lazy(() => built!.get(name)!),
  );
  const converted = convert(z, schema, `${COMPONENTS}${name}`);
  built.set(name, converted);
  return converted;
}

function checkKeywords(schema: JsonSchema, where: string): void {
  const unsupported = UNSUPPORTED.filter(keyword => keyword in schema);
  if (unsupported.length > 0) {
    throw new Error(
      `${where}: the tools' schema converter does not support ${unsupported.join(
        ', ',
      )}`,
    );
  }
}

function convertObject(z: Zod, schema: JsonSchema, where: string): ZodSchema {
  const properties = schema.properties ?? {};
  const required = new Set(schema.required ?? []);
  for (const field of required) {
    if (!(field in properties)) {
      throw new Error(`${where}: required field ${field} is not described`);
    }
  }
  const shape = Object.fromEntries(
    Object.entries(properties).map(([field, property]) => {
      const converted = convert(z, property, `${where}.${field}`);
      return [field, required.has(field) ? converted : converted.optional()];
    }),
  );
  const object = z.object(shape);
  if (schema.additionalProperties === false) {
    return object.strict();
  }
  if (typeof schema.additionalProperties === 'object') {
    return object.catchall(
      convert(z, schema.additionalProperties, `${where}[*]`),
    );
  }
  return object.passthrough();
}

function convertEnum(z: Zod, values: readonly unknown[], where: string) {
  if (values.length === 0) {
    throw new Error(`${where}: an empty enum`);
  }
  if (values.every(v => typeof v === 'string')) {
    const strings = values as [string, ...string[]];
    return z.enum(strings);
  }
  const literals = values.map(v => {
    if (
      typeof v !== 'number' &&
      typeof v !== 'boolean' &&
      typeof v !== 'string'
    ) {
      throw new Error(`${where}: enum value ${JSON.stringify(v)}`);
    }
    return z.literal(v);
  });
  return literals.length === 1
    ? literals[0]
    : z.union(literals as unknown as [ZodSchema, ZodSchema, ...ZodSchema[]]);
}

function convertString(z: Zod, schema: JsonSchema): ZodSchema {
  let string = z.string();
  if (schema.pattern !== undefined) {
    string = string.regex(new RegExp(schema.pattern, 'u'));
  }
  if (schema.maxLength !== undefined) {
    string = string.max(schema.maxLength);
  }
  return string;
}

function convertType(z: Zod, schema: JsonSchema, where: string): ZodSchema {
  if (schema.enum) {
    return convertEnum(z, schema.enum, where);
  }
  switch (schema.type) {
    case 'object':
      return convertObject(z, schema, where);
    case 'array':
      if (!schema.items) {
        throw new Error(`${where}: an array without items`);
      }
      return z.array(convert(z, schema.items, `${where}[]`));
    case 'string':
      return convertString(z, schema);
    case 'number':
      return z.number();
    case 'integer':
      return z.number().int();
    case 'boolean':
      return z.boolean();
    default:
      throw new Error(
        `${where}: type ${JSON.stringify(
          schema.type,
        )} is not supported by the tools' schema converter`,
      );
  }
}

/**
 * A JSON schema of the spec's subset as zod; `where` names it in errors. Exported for tests;
 * the tools use the functions below.
 */
export function convert(z: Zod, schema: JsonSchema, where: string): ZodSchema {
  checkKeywords(schema, where);
  if (schema.$ref) {
    if (!schema.$ref.startsWith(COMPONENTS)) {
      throw new Error(`${where}: unsupported $ref ${schema.$ref}`);
    }
    return component(z, schema.$ref.slice(COMPONENTS.length));
  }
  const converted = convertType(z, schema, where);
  return schema.description
    ? converted.describe(schema.description)
    : converted;
}

function asObject(z: Zod, schema: ZodSchema, where: string): ZodObjectSchema {
  const unwrapped = schema instanceof z.ZodLazy ? schema.schema : schema;
  if (!(unwrapped instanceof z.ZodObject)) {
    throw new Error(`${where} is not an object schema`);
  }
  return unwrapped as ZodObjectSchema;
}

/** A component schema of the spec (`#/components/schemas/<name>`) as an object schema. */
export function specObjectSchema(z: Zod, name: string): ZodObjectSchema {
  return asObject(z, component(z, name), `${COMPONENTS}${name}`);
}

/** The JSON answer (status 200) of an operation of the spec, as an object schema. */
export function specResponseSchema(
  z: Zod,
  path: string,
  method: 'get' | 'post',
): ZodObjectSchema {
  const where = `${method.toUpperCase()} ${path}`;
  const operation = (
    spec.paths as unknown as Record<string, Record<string, any>>
  )[path]?.[method];
  const schema = operation?.responses?.['200']?.content?.['application/json']
    ?.schema as JsonSchema | undefined;
  if (!schema) {
    throw new Error(`the OpenAPI spec has no JSON 200 answer for ${where}`);
  }
  return asObject(z, convert(z, schema, where), where);
}

interface Parameter {
  $ref?: string;
  name?: string;
  in?: string;
  schema?: JsonSchema;
  description?: string;
}

const PARAMETERS = '#/components/parameters/';

function resolveParameter(parameter: Parameter, where: string): Parameter {
  if (!parameter.$ref) {
    return parameter;
  }
  const resolved = (
    spec.components.parameters as unknown as Record<string, Parameter>
  )[parameter.$ref.slice(PARAMETERS.length)];
  if (!parameter.$ref.startsWith(PARAMETERS) || !resolved) {
    throw new Error(`${where}: unknown parameter ${parameter.$ref}`);
  }
  return resolved;
}

/**
 * A parameter of an operation of the spec, by its name: its schema (type, pattern, length,
 * enum) with the parameter's description, so a tool accepts what the HTTP route accepts.
 */
export function specParameterSchema(
  z: Zod,
  path: string,
  method: 'get' | 'post',
  name: string,
): ZodSchema {
  const where = `${method.toUpperCase()} ${path}`;
  const operation = (
    spec.paths as unknown as Record<
      string,
      Record<string, { parameters?: Parameter[] }>
    >
  )[path]?.[method];
  const parameter = (operation?.parameters ?? [])
    .map(p => resolveParameter(p, where))
    .find(p => p.name === name);
  if (!parameter?.schema) {
    throw new Error(`the OpenAPI spec has no parameter ${name} in ${where}`);
  }
  const converted = convert(z, parameter.schema, `${where} parameter ${name}`);
  return parameter.description
    ? converted.describe(parameter.description)
    : converted;
}
