import fs from 'node:fs/promises';
import path from 'node:path';
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { JsonObject, JsonValue } from '@backstage/types';
import { isRecord } from '@progressive-delivery/plugin-progressive-delivery-common';
import { parseAllDocuments } from 'yaml';
import { LimitRange } from 'kubernetes-models/v1/LimitRange';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { ResourceQuota } from 'kubernetes-models/v1/ResourceQuota';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { Role } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';

/** One reason an object would not be accepted by a cluster. */
export interface ManifestProblem {
  /** `Kind namespace/name`. */
  object: string;
  /** Dotted path of the offending field, e.g. `spec.mtls.mode`; `(root)` for the object itself. */
  field: string;
  message: string;
}

type KubernetesModel = new (data: never) => { validate(): void };

/**
 * Kubernetes core kinds, checked with kubernetes-models' validators (generated from the upstream
 * Kubernetes OpenAPI document).
 */
const CORE_MODELS: Record<string, KubernetesModel> = {
  'v1/Namespace': Namespace,
  'v1/ResourceQuota': ResourceQuota,
  'v1/LimitRange': LimitRange,
  'v1/ServiceAccount': ServiceAccount,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'rbac.authorization.k8s.io/v1/Role': Role,
  'rbac.authorization.k8s.io/v1/RoleBinding': RoleBinding,
};

const DNS_1123_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Checks generated objects against the schemas a cluster would apply: the openAPIV3Schema of
 * upstream CRDs and the Kubernetes core schemas. As the API server prunes (and with strict field
 * validation rejects) fields a structural schema does not declare, unknown fields are errors here.
 * CEL rules (`x-kubernetes-validations`) are not evaluated.
 */
export class ManifestValidator {
  private readonly ajv: Ajv;
  private readonly crdSchemas = new Map<string, JsonObject>();
  private readonly compiled = new Map<string, ValidateFunction>();

  private constructor(crdDocuments: JsonValue[]) {
    this.ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(this.ajv);
    const isInt = (min: number, max: number) => (n: number) =>
      Number.isInteger(n) && n >= min && n <= max;
    this.ajv.addFormat('int32', {
      type: 'number',
      validate: isInt(-(2 ** 31), 2 ** 31 - 1),
    });
    this.ajv.addFormat('int64', {
      type: 'number',
      validate: isInt(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER),
    });
    this.ajv.addFormat('double', { type: 'number', validate: () => true });
    this.ajv.addFormat('float', { type: 'number', validate: () => true });
    this.ajv.addFormat('byte', /^[A-Za-z0-9+/]*={0,2}$/);
    // Formats Kubernetes accepts without checking.
    for (const format of ['string', 'url', 'duration']) {
      this.ajv.addFormat(format, true);
    }
    for (const doc of crdDocuments) {
      this.addCrd(doc);
    }
  }

  /** Loads every CRD from the YAML files of a directory. */
  static async fromCrdDirectory(dir: string): Promise<ManifestValidator> {
    const names = (await fs.readdir(dir)).filter(n => /\.ya?ml$/.test(n));
    const texts = await Promise.all(
      names.sort().map(n => fs.readFile(path.join(dir, n), 'utf8')),
    );
    return ManifestValidator.fromCrdYaml(texts);
  }

  static fromCrdYaml(texts: string[]): ManifestValidator {
    const docs = texts.flatMap(text =>
      parseAllDocuments(text).map(d => d.toJS() as JsonValue),
    );
    return new ManifestValidator(docs);
  }

  /** `group/version/Kind` of every custom resource this validator knows. */
  knownCustomKinds(): string[] {
    return [...this.crdSchemas.keys()].sort();
  }

  validate(object: JsonObject): ManifestProblem[] {
    const apiVersion = String(object.apiVersion ?? '');
    const kind = String(object.kind ?? '');
    const metadata = (object.metadata ?? {}) as JsonObject;
    const name = String(metadata.name ?? '');
    const ns = metadata.namespace ? `${metadata.namespace}/` : '';
    const label = `${kind || '(no kind)'} ${ns}${name || '(no name)'}`;
    const key = `${apiVersion}/${kind}`;

    const problems: ManifestProblem[] = this.checkMetadata(metadata).map(p => ({
      object: label,
      ...p,
    }));
    const CoreModel = CORE_MODELS[key];
    if (CoreModel) {
      try {
        new CoreModel(object as never).validate();
      } catch (e) {
        const errors = (e as { errors?: ErrorObject[] }).errors;
        if (!errors) {
          throw e;
        }
        problems.push(...this.describe(label, errors));
      }
      return problems;
    }
    const validateCrd = this.compile(key);
    if (!validateCrd) {
      return [
        {
          object: label,
          field: 'apiVersion',
          message: `no schema is known for ${kind} in ${apiVersion}, so it cannot be checked`,
        },
      ];
    }
    if (!validateCrd(object)) {
      problems.push(...this.describe(label, validateCrd.errors ?? []));
    }
    return problems;
  }

  private checkMetadata(
    metadata: JsonObject,
  ): Omit<ManifestProblem, 'object'>[] {
    const problems: Omit<ManifestProblem, 'object'>[] = [];
    const name = metadata.name;
    if (typeof name !== 'string' || !DNS_1123_SUBDOMAIN.test(name)) {
      problems.push({
        field: 'metadata.name',
        message: `"${String(name)}" is not a DNS-1123 subdomain`,
      });
    } else if (name.length > 253) {
      problems.push({
        field: 'metadata.name',
        message: 'must be at most 253 characters',
      });
    }
    const namespace = metadata.namespace;
    if (
      namespace !== undefined &&
      (typeof namespace !== 'string' ||
        !DNS_1123_LABEL.test(namespace) ||
        namespace.length > 63)
    ) {
      problems.push({
        field: 'metadata.namespace',
        message: `"${String(namespace)}" is not a DNS-1123 label`,
      });
    }
    return problems;
  }

  private addCrd(doc: JsonValue) {
    if (!isRecord(doc) || doc.kind !== 'CustomResourceDefinition') {
      return;
    }
    const spec = doc.spec as JsonObject;
    const names = spec.names as JsonObject;
    for (const version of (spec.versions ?? []) as JsonObject[]) {
      const schema = (version.schema as JsonObject | undefined)
        ?.openAPIV3Schema;
      if (version.served !== false && isRecord(schema)) {
        this.crdSchemas.set(
          `${spec.group}/${version.name}/${names.kind}`,
          schema,
        );
      }
    }
  }

  private compile(key: string): ValidateFunction | undefined {
    const existing = this.compiled.get(key);
    if (existing) {
      return existing;
    }
    const schema = this.crdSchemas.get(key);
    if (!schema) {
      return undefined;
    }
    const closed = closeStructuralSchema(schema) as JsonObject;
    // The API server accepts these at the root whether or not a CRD's schema declares them.
    const fn = this.ajv.compile({
      ...closed,
      properties: {
        apiVersion: { type: 'string' },
        kind: { type: 'string' },
        metadata: { type: 'object' },
        ...(closed.properties as JsonObject | undefined),
      },
    });
    this.compiled.set(key, fn);
    return fn;
  }

  private describe(label: string, errors: ErrorObject[]): ManifestProblem[] {
    // Errors inside oneOf/anyOf branches only explain why a branch did not match: report them
    // through the oneOf/anyOf itself, unless the same field has a plainer error already.
    const inBranch = (e: ErrorObject) =>
      /\/(oneOf|anyOf)\/\d+\//.test(e.schemaPath);
    const plain = errors.filter(
      e => !inBranch(e) && e.keyword !== 'oneOf' && e.keyword !== 'anyOf',
    );
    const problems = plain.map(e => this.describeOne(label, e));
    for (const alternative of errors.filter(
      e => !inBranch(e) && (e.keyword === 'oneOf' || e.keyword === 'anyOf'),
    )) {
      const field = pointerToPath(alternative.instancePath);
      if (problems.some(p => p.field.startsWith(field))) {
        continue;
      }
      const branches = errors
        .filter(
          e =>
            e.schemaPath.startsWith(`${alternative.schemaPath}/`) &&
            e.keyword !== 'not',
        )
        .map(e => {
          const p = this.describeOne(label, e);
          return p.field === field ? p.message : `${p.field} ${p.message}`;
        });
      problems.push({
        object: label,
        field,
        message: `must match ${
          alternative.keyword === 'oneOf' ? 'exactly one' : 'one'
        } of its alternatives${
          branches.length ? ` (${[...new Set(branches)].join(' | ')})` : ''
        }`,
      });
    }
    const seen = new Set<string>();
    return problems.filter(p => {
      const id = `${p.field} ${p.message}`;
      if (seen.has(id)) {
        return false;
      }
      seen.add(id);
      return true;
    });
  }

  private describeOne(label: string, error: ErrorObject): ManifestProblem {
    let field = error.instancePath;
    let message = error.message ?? error.keyword;
    if (error.keyword === 'additionalProperties') {
      field = `${field}/${error.params.additionalProperty}`;
      message = 'is not a known field';
    } else if (error.keyword === 'enum') {
      message = `must be one of ${(error.params.allowedValues as unknown[])
        .map(v => JSON.stringify(v))
        .join(', ')}`;
    } else if (error.keyword === 'required') {
      field = `${field}/${error.params.missingProperty}`;
      message = 'is required';
    }
    return { object: label, field: pointerToPath(field), message };
  }
}

/** Formats problems as one line each: `Kind ns/name: field: message`. */
export function formatProblems(problems: ManifestProblem[]): string {
  return problems.map(formatProblem).join('\n');
}

/** One problem as `Kind ns/name: field: message`. */
export function formatProblem(problem: ManifestProblem): string {
  return `${problem.object}: ${problem.field}: ${problem.message}`;
}

/** `/spec/rules/0/from` -> `spec.rules[0].from`. */
function pointerToPath(pointer: string): string {
  if (!pointer) {
    return '(root)';
  }
  return pointer
    .split('/')
    .slice(1)
    .map(part => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part, index) => {
      if (/^\d+$/.test(part)) {
        return `[${part}]`;
      }
      return index === 0 ? part : `.${part}`;
    })
    .join('');
}

/**
 * Copies a structural schema, forbidding fields it does not declare, except where Kubernetes keeps
 * unknown fields (`x-kubernetes-preserve-unknown-fields`) or the schema sets additionalProperties.
 */
function closeStructuralSchema(schema: JsonValue): JsonValue {
  if (Array.isArray(schema)) {
    return schema.map(closeStructuralSchema);
  }
  if (!isRecord(schema)) {
    return schema;
  }
  const copy: JsonObject = {};
  for (const [key, value] of Object.entries(schema)) {
    // Property names are data, not schemas: keep them, close the schemas below them.
    copy[key] =
      key === 'properties' && isRecord(value)
        ? Object.fromEntries(
            Object.entries(value).map(([k, v]) => [
              k,
              closeStructuralSchema(v ?? null),
            ]),
          )
        : closeStructuralSchema(value ?? null);
  }
  if (
    isRecord(copy.properties) &&
    copy.additionalProperties === undefined &&
    copy['x-kubernetes-preserve-unknown-fields'] !== true
  ) {
    copy.additionalProperties = false;
  }
  return copy;
}
