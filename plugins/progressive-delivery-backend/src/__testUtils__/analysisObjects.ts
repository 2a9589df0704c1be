import { KubeObject } from '@progressive-delivery/plugin-progressive-delivery-common';
import { HttpAnswer, PrometheusTransport } from '../analysis/PrometheusClient';
import { PrometheusRoute } from '../analysis/prometheusRoute';

/*
 * Objects and a Prometheus transport for the evaluator's unit tests: a Flagger Canary in
 * tenant-a with two built-in checks (30 s interval) as Flagger writes it, its VirtualService,
 * and a transport answering the canary 98.5 % / 320.2 ms and the primary 99.95 % / 210.7 ms.
 */

export const CLUSTER = 'prod-eu-1';
export const NS = 'tenant-a';
export const T0 = Date.UTC(2026, 2, 1, 12, 0, 0);
export const INTERVAL = 30_000;
let version = 1;

/** The Promoted condition's status per phase (Flagger's MakeStatusConditions). */
const PROMOTED_STATUS: Record<string, string> = {
  Initialized: 'True',
  Succeeded: 'True',
  Failed: 'False',
};

/** A Flagger Canary as Flagger writes it (istio, two built-in checks, 30 s interval). */
export function canary(
  name: string,
  phase: string,
  options: {
    revision?: string;
    startedAt?: number;
    metrics?: object[];
  } = {},
): KubeObject {
  const started = new Date(options.startedAt ?? T0).toISOString();
  return {
    apiVersion: 'flagger.app/v1beta1',
    kind: 'Canary',
    metadata: { name, namespace: NS, resourceVersion: String(version++) },
    spec: {
      provider: 'istio',
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
      service: { port: 9898 },
      analysis: {
        interval: '30s',
        threshold: 5,
        maxWeight: 50,
        stepWeight: 10,
        metrics: options.metrics ?? [
          {
            name: 'request-success-rate',
            thresholdRange: { min: 99 },
            interval: '1m',
          },
          {
            name: 'request-duration',
            thresholdRange: { max: 500 },
            interval: '1m',
          },
        ],
      },
    },
    status: {
      phase,
      // Flagger zeroes it in some phases; the split comes from the VirtualService.
      canaryWeight: 0,
      iterations: 0,
      failedChecks: 0,
      lastAppliedSpec: options.revision ?? 'rev-1',
      lastTransitionTime: new Date(T0).toISOString(),
      conditions: [
        {
          type: 'Promoted',
          status: PROMOTED_STATUS[phase] ?? 'Unknown',
          reason: phase,
          lastTransitionTime: started,
        },
      ],
    },
  };
}

export function virtualService(name: string, canaryWeight: number): KubeObject {
  return {
    apiVersion: 'networking.istio.io/v1beta1',
    kind: 'VirtualService',
    metadata: {
      name,
      namespace: NS,
      resourceVersion: String(version++),
      ownerReferences: [{ kind: 'Canary', name }],
    },
    spec: {
      hosts: [name],
      http: [
        {
          route: [
            {
              destination: { host: `${name}-primary` },
              weight: 100 - canaryWeight,
            },
            { destination: { host: `${name}-canary` }, weight: canaryWeight },
          ],
        },
      ],
    },
  };
}

const ok = (data: object): HttpAnswer => ({
  statusCode: 200,
  body: JSON.stringify({ status: 'success', data }),
});

export interface Call {
  api: string;
  query: string;
  params: Record<string, string>;
}

/** Answers Prometheus queries: the primary is healthy, the canary a little worse. */
export class FakePrometheusTransport implements PrometheusTransport {
  calls: Call[] = [];
  async get(
    _route: PrometheusRoute,
    apiPath: string,
    params: URLSearchParams,
  ): Promise<HttpAnswer> {
    const query = params.get('query') ?? '';
    this.calls.push({
      api: apiPath,
      query,
      params: Object.fromEntries(params),
    });
    const primary = query.includes('-primary"');
    const duration = query.includes('histogram_quantile');
    const answers = duration ? ['320.2', '210.7'] : ['98.5', '99.95'];
    const value = answers[primary ? 1 : 0];
    if (apiPath.endsWith('query_range')) {
      const start = Number(params.get('start'));
      const end = Number(params.get('end'));
      const step = Number(params.get('step'));
      const values = [];
      for (let t = start; t <= end + 1e-6; t += step) {
        values.push([t, value]);
      }
      return ok({ resultType: 'matrix', result: [{ metric: {}, values }] });
    }
    return ok({
      resultType: 'vector',
      result: [{ metric: {}, value: [Number(params.get('time')), value] }],
    });
  }
  instant(name = 'podinfo') {
    return this.calls.filter(
      c => c.api === '/api/v1/query' && c.query.includes(`"${name}`),
    );
  }
}
