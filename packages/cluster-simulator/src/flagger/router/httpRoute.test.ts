import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { KubeObject } from '../../types';
import { Canary } from '../model';
import { generatedHTTPRoute, readHTTPRouteWeights } from './httpRoute';

/**
 * The HTTPRoutes Flagger's Gateway API routers write, checked against the
 * upstream fixtures of the common package (Canary specs captured from
 * Flagger's e2e scripts, routes written from pkg/router/gateway_api.go; each
 * file's header names its origin). Read as data: the simulator imports no
 * plugin code.
 */
const FIXTURES = path.resolve(
  __dirname,
  '../../../../../plugins/progressive-delivery-common/src/__fixtures__/upstream',
);

function fixture(file: string): { canary: Canary; route: KubeObject } {
  const docs = parseAllDocuments(
    fs.readFileSync(path.join(FIXTURES, file), 'utf8'),
  ).map(d => d.toJSON() as KubeObject);
  return {
    canary: docs.find(d => d.kind === 'Canary') as Canary,
    route: docs.find(d => d.kind === 'HTTPRoute')!,
  };
}

describe("Flagger's HTTPRoute (gateway_api.go)", () => {
  it.each([
    ['gatewayapi-canary-progressing.yaml', 80, 20],
    ['gatewayapi-canary-waiting-promotion.yaml', 50, 50],
    ['gatewayapi-ab-testing.yaml', 0, 100],
    ['flagger-linkerd-canary.yaml', 70, 30],
  ])(
    '%s: the route for %i/%i is the one upstream writes',
    (file, primary, canary) => {
      const { canary: cd, route } = fixture(file);
      const generated = generatedHTTPRoute(
        cd,
        route.apiVersion,
        primary,
        canary,
      );
      expect(generated.spec).toEqual(route.spec);
      expect(generated.metadata.annotations).toEqual(
        route.metadata.annotations,
      );
      expect(generated.metadata.ownerReferences).toEqual(
        route.metadata.ownerReferences,
      );
      expect(readHTTPRouteWeights(cd, route)).toEqual({ primary, canary });
    },
  );

  it('A/B: the match rule carries the split, the default rule stays on the primary', () => {
    const { canary: cd } = fixture('gatewayapi-ab-testing.yaml');
    const spec = generatedHTTPRoute(cd, 'gateway.networking.k8s.io/v1', 0, 100)
      .spec as {
      rules: Array<{
        matches: unknown[];
        backendRefs: Array<{ name: string; weight: number }>;
      }>;
    };
    expect(
      spec.rules.map(r => r.backendRefs.map(b => `${b.name}=${b.weight}`)),
    ).toEqual([
      ['podinfo-primary=0', 'podinfo-canary=100'],
      ['podinfo-primary=100'],
    ]);
  });

  it('maps URI, method, header and query matches and merges them with the A/B headers', () => {
    const { canary: cd } = fixture('gatewayapi-canary-progressing.yaml');
    cd.spec.service.match = [
      { uri: { prefix: '/api' }, method: { exact: 'GET' } },
      { uri: { regex: '/v[0-9]+/.*' }, queryParams: { debug: { exact: '1' } } },
    ];
    cd.spec.service.timeout = '15s';
    cd.spec.analysis = {
      ...cd.spec.analysis,
      match: [{ headers: { 'x-user': { regex: '^(alice|bob)$' } } }],
    };
    const spec = generatedHTTPRoute(cd, 'gateway.networking.k8s.io/v1')
      .spec as { rules: Array<{ matches: unknown[]; timeouts?: unknown }> };
    const header = [
      { type: 'RegularExpression', name: 'x-user', value: '^(alice|bob)$' },
    ];
    expect(spec.rules[0].matches).toEqual([
      {
        path: { type: 'PathPrefix', value: '/api' },
        method: 'GET',
        headers: header,
      },
      {
        path: { type: 'RegularExpression', value: '/v[0-9]+/.*' },
        queryParams: [{ type: 'Exact', name: 'debug', value: '1' }],
        headers: header,
      },
    ]);
    expect(spec.rules[1].matches).toEqual([
      { path: { type: 'PathPrefix', value: '/api' }, method: 'GET' },
      {
        path: { type: 'RegularExpression', value: '/v[0-9]+/.*' },
        queryParams: [{ type: 'Exact', name: 'debug', value: '1' }],
      },
    ]);
    expect(spec.rules.map(r => r.timeouts)).toEqual([
      { request: '15s' },
      { request: '15s' },
    ]);
  });
});
