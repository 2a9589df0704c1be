import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { EntityDeliveryState } from '@progressive-delivery/plugin-progressive-delivery-common';
import {
  canary,
  CLUSTER,
  FakePrometheusTransport,
  INTERVAL,
  NS,
  T0,
  virtualService,
} from './__testUtils__/analysisObjects';
import { DEFAULT_ANALYSIS_CONFIG } from './analysis/AnalysisConfig';
import { AnalysisEvaluator } from './analysis/AnalysisEvaluator';
import { EntityResolver } from './resolve/EntityResolver';
import { assembleCluster } from './state/DeliveryStateAssembler';
import { EntityUpdateHub } from './state/EntityUpdateHub';
import { EventHistory } from './watch/EventHistory';
import { ObjectStore } from './watch/ObjectStore';

/*
 * New measurements reach open streams as the composition root wires them: the evaluator is a
 * change source of the update hub, and the state reads the evaluator's memory. No watch event
 * happens between the pushes here: only the evaluator's interval.
 */

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'podinfo', namespace: 'default' },
};

describe('live analysis updates', () => {
  beforeEach(() => jest.useFakeTimers({ now: T0 }));
  afterEach(() => jest.useRealTimers());

  it('pushes the entity state to its streams when new points arrive', async () => {
    const store = new ObjectStore();
    const resolver = new EntityResolver(
      store,
      new EventHistory(),
      'istio-system',
    );
    const prometheus = new FakePrometheusTransport();
    const evaluator = new AnalysisEvaluator({
      config: DEFAULT_ANALYSIS_CONFIG,
      clusterNames: () => [CLUSTER],
      store,
      resolver,
      transport: prometheus,
      logger: mockServices.logger.mock(),
    });
    const stateOf = (): EntityDeliveryState => ({
      entityRef: 'component:default/podinfo',
      generatedAt: new Date().toISOString(),
      clusters: [
        assembleCluster(
          resolver.resolve(
            { canaries: [{ namespace: NS, name: 'podinfo' }], invalid: [] },
            CLUSTER,
          ),
          undefined,
          'istio-system',
          new Date(),
          evaluator,
        ),
      ],
    });
    const hub = EntityUpdateHub.create({
      sources: [store, evaluator],
      stateOf,
      logger: mockServices.logger.mock(),
    });
    store.upsert(CLUSTER, virtualService('podinfo', 20));
    store.upsert(CLUSTER, canary('podinfo', 'Progressing'));
    evaluator.start();
    await jest.advanceTimersByTimeAsync(1000);

    const sent: EntityDeliveryState[] = [];
    hub.open({ entity, send: s => sent.push(s), heartbeat: () => {} });
    const pointsIn = (state: EntityDeliveryState) =>
      state.clusters[0].canaries[0].analysis?.checks[0].points.length;
    expect(sent.map(pointsIn)).toEqual([1]);

    await jest.advanceTimersByTimeAsync(INTERVAL);
    await jest.advanceTimersByTimeAsync(INTERVAL);
    expect(sent.map(pointsIn)).toEqual([1, 2, 3]);
    expect(prometheus.calls).toHaveLength(12);

    evaluator.stop();
    hub.stop();
  });
});
