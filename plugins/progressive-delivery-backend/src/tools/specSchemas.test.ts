import { z as zodV3 } from 'zod/v3';
import {
  convert,
  specObjectSchema,
  specParameterSchema,
  specResponseSchema,
  Zod,
} from './specSchemas';

// The registry hands schema factories `zod/v3`; this package's copy of it serves the tests.
const z = zodV3 as unknown as Zod;

const CANARY_ACTION =
  '/v1/clusters/{cluster}/namespaces/{namespace}/canaries/{name}/{action}';
const FLUX_ACTION =
  '/v1/clusters/{cluster}/namespaces/{namespace}/{kind}/{name}/{action}';

const response = {
  action: 'approve',
  ref: { cluster: 'prod-eu-1', kind: 'Canary', namespace: 'a', name: 'b' },
  entityRef: 'component:default/b',
  message: 'Opened the gate',
  webhook: { name: 'gate', type: 'confirm-promotion', url: 'http://x.y/' },
};

const issues = (result: { success: boolean; error?: unknown }) =>
  result.success ? [] : (result.error as zodV3.ZodError).issues;

describe('the tools’ schemas from the OpenAPI spec', () => {
  it('closes objects the spec closes, requires what it requires, holds its enums', () => {
    const schema = specResponseSchema(z, CANARY_ACTION, 'post');
    expect(schema.safeParse(response).success).toBe(true);
    expect(issues(schema.safeParse({ ...response, extra: 1 }))).toEqual([
      expect.objectContaining({ code: 'unrecognized_keys', keys: ['extra'] }),
    ]);
    const { message: _message, ...withoutMessage } = response;
    expect(issues(schema.safeParse(withoutMessage))).toEqual([
      expect.objectContaining({ path: ['message'], code: 'invalid_type' }),
    ]);
    expect(issues(schema.safeParse({ ...response, action: 'delete' }))).toEqual(
      [
        expect.objectContaining({
          path: ['action'],
          code: 'invalid_enum_value',
        }),
      ],
    );
    // Nested closed objects too.
    expect(
      issues(
        schema.safeParse({ ...response, ref: { ...response.ref, uid: 'x' } }),
      ),
    ).toEqual([expect.objectContaining({ path: ['ref'] })]);
  });

  it('checks the whole delivery state, not just its top level', () => {
    const schema = specResponseSchema(
      z,
      '/v1/entities/{kind}/{namespace}/{name}',
      'get',
    );
    const cluster = {
      cluster: 'prod-eu-1',
      state: 'synced',
      errors: [],
      notInstalled: [],
      canaries: [],
      workloads: [],
      flux: [],
    };
    const state = {
      entityRef: 'component:default/podinfo',
      generatedAt: new Date().toISOString(),
      clusters: [cluster],
    };
    expect(schema.safeParse(state).success).toBe(true);
    expect(
      issues(
        schema.safeParse({ ...state, clusters: [{ ...cluster, state: 'ok' }] }),
      ),
    ).toEqual([expect.objectContaining({ path: ['clusters', 0, 'state'] })]);
    expect(
      issues(
        schema.safeParse({
          ...state,
          clusters: [{ ...cluster, canaries: [{ ref: cluster }] }],
        }),
      ).length,
    ).toBeGreaterThan(0);
  });

  it('takes the HTTP routes’ parameters: patterns, lengths, enums, descriptions', () => {
    const namespace = specParameterSchema(
      z,
      CANARY_ACTION,
      'post',
      'namespace',
    );
    expect(namespace.safeParse('tenant-a').success).toBe(true);
    expect(namespace.safeParse('Tenant_A').success).toBe(false);
    expect(namespace.safeParse('a'.repeat(64)).success).toBe(false);
    expect(namespace.description).toBe(
      'The Kubernetes namespace of the object.',
    );
    const kind = specParameterSchema(z, FLUX_ACTION, 'post', 'kind');
    expect(kind.safeParse('kustomizations').success).toBe(true);
    expect(kind.safeParse('deployments').success).toBe(false);
    const request = specObjectSchema(z, 'ActionRequest');
    expect(
      request.safeParse({ entityRef: 'component:default/a' }).success,
    ).toBe(true);
    expect(request.safeParse({ force: true }).success).toBe(false);
  });

  it('names what it cannot find or convert', () => {
    expect(() => specObjectSchema(z, 'Nope')).toThrow(
      'the OpenAPI spec has no schema Nope',
    );
    expect(() => specResponseSchema(z, '/v1/nope', 'get')).toThrow(
      'the OpenAPI spec has no JSON 200 answer for GET /v1/nope',
    );
    expect(() => specParameterSchema(z, CANARY_ACTION, 'post', 'x')).toThrow(
      `the OpenAPI spec has no parameter x in POST ${CANARY_ACTION}`,
    );
    expect(() =>
      convert(
        z,
        { type: 'object', properties: { a: { oneOf: [] } as never } },
        'here',
      ),
    ).toThrow("here.a: the tools' schema converter does not support oneOf");
    expect(() =>
      convert(z, { type: 'object', required: ['a'] }, 'here'),
    ).toThrow('here: required field a is not described');
    expect(() => convert(z, { type: 'null' }, 'here')).toThrow(
      `here: type "null" is not supported by the tools' schema converter`,
    );
    expect(() => convert(z, { $ref: '#/definitions/X' }, 'here')).toThrow(
      'here: unsupported $ref #/definitions/X',
    );
    // An object left open by the spec stays open.
    expect(
      convert(z, { type: 'object', properties: {} }, 'here').safeParse({
        any: 1,
      }).success,
    ).toBe(true);
  });
});
