import { mockServices } from '@backstage/backend-test-utils';
import { AnalysisCheckEvidence } from '@progressive-delivery/plugin-progressive-delivery-common';
import { EntityResolver } from '../resolve/EntityResolver';
import { EventHistory } from '../watch/EventHistory';
import { ObjectStore } from '../watch/ObjectStore';
import { ObjectChange } from '../watch/types';
import { AnalysisConfig, DEFAULT_ANALYSIS_CONFIG } from './AnalysisConfig';
import { AnalysisEvaluator } from './AnalysisEvaluator';
import {
  AnalysisPointStore,
  CheckSeries,
  RolloutKey,
} from './AnalysisPointStore';
import {
  canary,
  CLUSTER,
  FakePrometheusTransport,
  INTERVAL,
  NS,
  T0,
  virtualService,
} from '../__testUtils__/analysisObjects';

/** The database side, in memory: what the evaluator appended, and what it reads back. */
class MemoryPointStore implements AnalysisPointStore {
  appended: Array<{ rollout: RolloutKey; checks: CheckSeries[] }> = [];
  stored = new Map<string, AnalysisCheckEvidence[]>();
  reads = 0;
  async appendPoints(rollout: RolloutKey, checks: CheckSeries[]) {
    this.appended.push({ rollout, checks });
  }
  async evidenceOf(rollout: RolloutKey) {
    this.reads += 1;
    return {
      rolloutId: '7',
      checks: this.stored.get(JSON.stringify(rollout)) ?? [],
    };
  }
}

describe('AnalysisEvaluator', () => {
  let store: ObjectStore;
  let prometheus: FakePrometheusTransport;
  let points: MemoryPointStore;
  let evaluator: AnalysisEvaluator;
  let changes: ObjectChange[];

  const config = (extra: Partial<AnalysisConfig> = {}): AnalysisConfig => ({
    ...DEFAULT_ANALYSIS_CONFIG,
    ...extra,
  });

  function start(
    options: { config?: AnalysisConfig; listed?: () => boolean } = {},
  ) {
    evaluator = new AnalysisEvaluator({
      config: options.config ?? config(),
      listed: options.listed,
      clusterNames: () => [CLUSTER],
      store,
      resolver: new EntityResolver(store, new EventHistory(), 'istio-system'),
      transport: prometheus,
      points,
      logger: mockServices.logger.mock(),
    });
    changes = [];
    evaluator.subscribe(change => changes.push(change));
    evaluator.start();
  }

  const analysisOf = (name: string) =>
    evaluator.evidenceOf(CLUSTER, store.get(CLUSTER, 'Canary', NS, name)!)
      .analysis;

  beforeEach(() => {
    jest.useFakeTimers({ now: T0 });
    store = new ObjectStore();
    prometheus = new FakePrometheusTransport();
    points = new MemoryPointStore();
  });

  afterEach(() => {
    evaluator?.stop();
    jest.useRealTimers();
  });

  it('queries only canaries under analysis: checks × 2 instant queries per interval', async () => {
    start();
    store.upsert(CLUSTER, virtualService('podinfo', 20));
    store.upsert(CLUSTER, canary('podinfo', 'Progressing'));
    store.upsert(CLUSTER, canary('checkout', 'Succeeded'));
    store.upsert(CLUSTER, canary('frontend', 'Initialized'));
    store.upsert(CLUSTER, virtualService('search', 30));
    store.upsert(CLUSTER, canary('search', 'Waiting'));
    await jest.advanceTimersByTimeAsync(0);
    expect(evaluator.evaluating()).toEqual([`${CLUSTER}/${NS}/podinfo`]);
    expect(prometheus.calls).toHaveLength(4);
    for (let interval = 1; interval <= 3; interval++) {
      await jest.advanceTimersByTimeAsync(INTERVAL);
      expect(prometheus.calls).toHaveLength(4 * (interval + 1));
    }
    expect(prometheus.calls.every(c => c.api === '/api/v1/query')).toBe(true);
    expect(prometheus.instant('podinfo')).toHaveLength(16);
    // The canary's and the primary's query, evaluated at the same instant.
    const times = new Set(prometheus.calls.slice(-4).map(c => c.params.time));
    expect([...times]).toEqual([((T0 + 3 * INTERVAL) / 1000).toFixed(3)]);
  });

  it('records points with both values, the verdict and the routed weight', async () => {
    start();
    store.upsert(CLUSTER, virtualService('podinfo', 20));
    store.upsert(CLUSTER, canary('podinfo', 'Progressing'));
    await jest.advanceTimersByTimeAsync(INTERVAL);
    const analysis = analysisOf('podinfo')!;
    expect(analysis).toMatchObject({
      revision: 'rev-1',
      evaluating: true,
      intervalMs: INTERVAL,
      lastEvaluatedAt: new Date(T0 + INTERVAL).toISOString(),
    });
    const [success, duration] = analysis.checks;
    expect(success).toMatchObject({
      metric: 'request-success-rate',
      unit: 'percent',
      range: { min: 99 },
      source: 'service proxy http://prometheus:9090',
      query: {
        canary: expect.stringContaining('destination_workload=~"podinfo"'),
        primary: expect.stringContaining(
          'destination_workload=~"podinfo-primary"',
        ),
      },
    });
    expect(success.points).toEqual([
      {
        at: new Date(T0).toISOString(),
        canary: 98.5,
        primary: 99.95,
        verdict: 'fail',
        canaryWeight: 20,
      },
      {
        at: new Date(T0 + INTERVAL).toISOString(),
        canary: 98.5,
        primary: 99.95,
        verdict: 'fail',
        canaryWeight: 20,
      },
    ]);
    expect(success.latest).toEqual(success.points[1]);
    // request-duration: whole milliseconds, as Flagger compares them.
    expect(duration.latest).toMatchObject({
      canary: 320,
      primary: 210,
      verdict: 'pass',
    });
    expect(points.appended).toHaveLength(2);
    expect(points.appended[0].rollout).toEqual({
      cluster: CLUSTER,
      namespace: NS,
      canary: 'podinfo',
      revision: 'rev-1',
    });
    expect(analysis.rolloutId).toBe('7');
    expect(changes).toContainEqual({
      type: 'upsert',
      cluster: CLUSTER,
      kind: 'Canary',
      namespace: NS,
      name: 'podinfo',
    });
  });

  it('stops when the phase leaves the analysis, and keeps the points', async () => {
    start();
    store.upsert(CLUSTER, virtualService('podinfo', 20));
    store.upsert(CLUSTER, canary('podinfo', 'Progressing'));
    await jest.advanceTimersByTimeAsync(INTERVAL);
    // WaitingPromotion: Flagger keeps running the checks while the gate is closed.
    store.upsert(CLUSTER, canary('podinfo', 'WaitingPromotion'));
    await jest.advanceTimersByTimeAsync(INTERVAL);
    expect(prometheus.calls).toHaveLength(12);
    store.upsert(CLUSTER, canary('podinfo', 'Failed'));
    await jest.advanceTimersByTimeAsync(10 * INTERVAL);
    expect(prometheus.calls).toHaveLength(12);
    expect(evaluator.evaluating()).toEqual([]);
    expect(jest.getTimerCount()).toBe(0);
    const analysis = analysisOf('podinfo')!;
    expect(analysis.evaluating).toBe(false);
    expect(analysis.checks[0].points).toHaveLength(3);
  });

  it('sends no query while no traffic reaches the canary (Flagger runs the pre-rollout hooks then)', async () => {
    start();
    store.upsert(CLUSTER, virtualService('podinfo', 0));
    store.upsert(CLUSTER, canary('podinfo', 'Progressing'));
    await jest.advanceTimersByTimeAsync(3 * INTERVAL);
    expect(prometheus.calls).toHaveLength(0);
    expect(analysisOf('podinfo')).toMatchObject({
      evaluating: true,
      checks: [
        { metric: 'request-success-rate', points: [] },
        { metric: 'request-duration', points: [] },
      ],
    });
    store.upsert(CLUSTER, virtualService('podinfo', 10));
    await jest.advanceTimersByTimeAsync(INTERVAL);
    expect(prometheus.calls).toHaveLength(4);
  });

  it('backfills with range queries a rollout met mid-way at start-up, from its start', async () => {
    store.upsert(CLUSTER, virtualService('podinfo', 20));
    store.upsert(
      CLUSTER,
      canary('podinfo', 'Progressing', { startedAt: T0 - 5 * 60_000 - 5000 }),
    );
    start();
    await jest.advanceTimersByTimeAsync(0);
    const ranges = prometheus.calls.filter(
      c => c.api === '/api/v1/query_range',
    );
    expect(ranges).toHaveLength(4);
    expect(ranges[0].params).toMatchObject({
      start: ((T0 - 10 * INTERVAL) / 1000).toFixed(3),
      end: ((T0 - INTERVAL) / 1000).toFixed(3),
      step: '30',
    });
    expect(prometheus.instant('podinfo')).toHaveLength(4);
    const success = analysisOf('podinfo')!.checks[0];
    expect(success.points).toHaveLength(11);
    expect(success.points[0]).toEqual({
      at: new Date(T0 - 10 * INTERVAL).toISOString(),
      canary: 98.5,
      primary: 99.95,
      verdict: 'fail',
    });
    // Backfilled points are written too.
    expect(points.appended[0].checks[0].points).toHaveLength(10);
  });

  it('continues from the stored points after a restart instead of the rollout start', async () => {
    const rollout = {
      cluster: CLUSTER,
      namespace: NS,
      canary: 'podinfo',
      revision: 'rev-1',
    };
    points.stored.set(JSON.stringify(rollout), [
      {
        metric: 'request-success-rate',
        range: { min: 99 },
        points: [
          {
            at: new Date(T0 - 3 * INTERVAL).toISOString(),
            canary: 97.1,
            verdict: 'fail',
          },
        ],
      },
    ]);
    store.upsert(CLUSTER, virtualService('podinfo', 20));
    store.upsert(
      CLUSTER,
      canary('podinfo', 'Progressing', { startedAt: T0 - 60 * 60_000 }),
    );
    start();
    await jest.advanceTimersByTimeAsync(0);
    const ranges = prometheus.calls.filter(
      c => c.api === '/api/v1/query_range',
    );
    expect(ranges[0].params).toMatchObject({
      start: ((T0 - 2 * INTERVAL) / 1000).toFixed(3),
      end: ((T0 - INTERVAL) / 1000).toFixed(3),
    });
    const success = analysisOf('podinfo')!.checks[0];
    expect(success.points.map(p => p.canary)).toEqual([97.1, 98.5, 98.5, 98.5]);
  });

  it('does not backfill a rollout it saw begin', async () => {
    store.upsert(CLUSTER, virtualService('podinfo', 20));
    store.upsert(CLUSTER, canary('podinfo', 'Succeeded'));
    start();
    await jest.advanceTimersByTimeAsync(INTERVAL);
    store.upsert(
      CLUSTER,
      canary('podinfo', 'Progressing', {
        revision: 'rev-2',
        startedAt: T0 - 10 * 60_000,
      }),
    );
    await jest.advanceTimersByTimeAsync(0);
    expect(prometheus.calls.map(c => c.api)).toEqual(
      Array(4).fill('/api/v1/query'),
    );
  });

  it('starts over with a new revision', async () => {
    start();
    store.upsert(CLUSTER, virtualService('podinfo', 20));
    store.upsert(CLUSTER, canary('podinfo', 'Progressing'));
    await jest.advanceTimersByTimeAsync(INTERVAL);
    store.upsert(
      CLUSTER,
      canary('podinfo', 'Progressing', { revision: 'rev-2' }),
    );
    await jest.advanceTimersByTimeAsync(INTERVAL);
    const analysis = analysisOf('podinfo')!;
    expect(analysis.revision).toBe('rev-2');
    expect(analysis.checks[0].points).toHaveLength(1);
    expect(points.appended.at(-1)!.rollout.revision).toBe('rev-2');
  });

  it('keeps a fault on its check only, and queries nothing for it', async () => {
    start();
    store.upsert(CLUSTER, {
      apiVersion: 'flagger.app/v1beta1',
      kind: 'MetricTemplate',
      metadata: { name: 'dd', namespace: NS, resourceVersion: '1' },
      spec: {
        provider: { type: 'datadog', address: 'https://api.datadoghq.eu' },
        query: 'avg:requests{*}',
      },
    });
    store.upsert(CLUSTER, virtualService('podinfo', 20));
    store.upsert(
      CLUSTER,
      canary('podinfo', 'Progressing', {
        metrics: [
          { name: 'request-success-rate', thresholdRange: { min: 99 } },
          {
            name: 'datadog-errors',
            templateRef: { name: 'dd' },
            thresholdRange: { max: 1 },
          },
          {
            name: 'missing',
            templateRef: { name: 'nope' },
            thresholdRange: { max: 1 },
          },
        ],
      }),
    );
    await jest.advanceTimersByTimeAsync(0);
    expect(prometheus.calls).toHaveLength(2);
    const [success, datadog, missing] = analysisOf('podinfo')!.checks;
    expect(success.fault).toBeUndefined();
    expect(success.points).toHaveLength(1);
    expect(datadog).toMatchObject({
      metric: 'datadog-errors',
      points: [],
      fault: {
        kind: 'unsupported',
        message:
          'datadog-errors: provider type "datadog" is not supported: the plugin queries Prometheus only',
      },
    });
    expect(missing.fault).toEqual({
      kind: 'not-rendered',
      message: 'missing: MetricTemplate tenant-a/nope not found',
    });
  });

  it('loads a finished rollout from the store once, when it is first shown', async () => {
    const rollout = {
      cluster: CLUSTER,
      namespace: NS,
      canary: 'payments',
      revision: 'rev-9',
    };
    points.stored.set(JSON.stringify(rollout), [
      {
        metric: 'request-success-rate',
        range: { min: 95 },
        points: [
          {
            at: new Date(T0 - 60_000).toISOString(),
            canary: 88.4,
            primary: 99.7,
            verdict: 'fail',
          },
        ],
      },
    ]);
    start();
    store.upsert(CLUSTER, canary('payments', 'Failed', { revision: 'rev-9' }));
    await jest.advanceTimersByTimeAsync(0);
    expect(points.reads).toBe(0);
    expect(analysisOf('payments')).toBeUndefined();
    await jest.advanceTimersByTimeAsync(0);
    expect(points.reads).toBe(1);
    expect(changes.map(c => c.name)).toContain('payments');
    expect(analysisOf('payments')).toMatchObject({
      rolloutId: '7',
      revision: 'rev-9',
      evaluating: false,
      checks: [{ metric: 'request-success-rate', latest: { canary: 88.4 } }],
    });
    analysisOf('payments');
    expect(points.reads).toBe(1);
    expect(prometheus.calls).toHaveLength(0);
  });

  it('costs nothing when disabled', async () => {
    start({ config: config({ enabled: false }) });
    store.upsert(CLUSTER, virtualService('podinfo', 20));
    store.upsert(CLUSTER, canary('podinfo', 'Progressing'));
    await jest.advanceTimersByTimeAsync(3 * INTERVAL);
    expect(prometheus.calls).toHaveLength(0);
    expect(jest.getTimerCount()).toBe(0);
    expect(analysisOf('podinfo')).toBeUndefined();
  });

  it("waits for the cluster's first lists, so that templates and routers are in the store", async () => {
    let listed = false;
    start({ listed: () => listed });
    store.upsert(CLUSTER, canary('podinfo', 'Progressing'));
    await jest.advanceTimersByTimeAsync(5000);
    expect(prometheus.calls).toHaveLength(0);
    store.upsert(CLUSTER, virtualService('podinfo', 20));
    listed = true;
    await jest.advanceTimersByTimeAsync(1000);
    expect(prometheus.calls).toHaveLength(4);
    expect(analysisOf('podinfo')!.checks[0].latest?.canaryWeight).toBe(20);
  });

  it('forgets a deleted canary', async () => {
    start();
    store.upsert(CLUSTER, virtualService('podinfo', 20));
    const object = canary('podinfo', 'Progressing');
    store.upsert(CLUSTER, object);
    await jest.advanceTimersByTimeAsync(0);
    store.delete(CLUSTER, object);
    await jest.advanceTimersByTimeAsync(3 * INTERVAL);
    expect(prometheus.calls).toHaveLength(4);
    expect(evaluator.evaluating()).toEqual([]);
  });
});
