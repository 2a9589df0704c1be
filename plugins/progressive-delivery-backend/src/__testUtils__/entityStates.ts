import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  ClusterStatus,
  KubeObject,
} from '@progressive-delivery/plugin-progressive-delivery-common';
import { EntityResolver } from '../resolve/EntityResolver';
import { DeliveryStateService } from '../state/DeliveryStateService';
import { EventHistory } from '../watch/EventHistory';
import { ObjectStore } from '../watch/ObjectStore';
import { loadFixture } from './fixtures';
import { component } from './simulatorBackend';

export const CLUSTER = 'prod';
export const NS = 'test';
export const ID = 'backstage.io/kubernetes-id';

/** Flagger's progressing canary (common fixture), renamed and labelled for entity `name`. */
export function canaryOf(name: string, version = '1'): KubeObject {
  const fixture = loadFixture('flagger-canary-progressing.yaml');
  return {
    ...fixture,
    metadata: {
      ...fixture.metadata,
      name,
      namespace: NS,
      resourceVersion: version,
      labels: { ...fixture.metadata?.labels, [ID]: name },
    },
    spec: {
      ...(fixture.spec as object),
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
    },
  };
}

export function deploymentOf(
  name: string,
  labels: Record<string, string> = { [ID]: name },
  namespace = NS,
): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, resourceVersion: '1', labels },
    spec: { replicas: 1, template: { metadata: { labels: { app: name } } } },
  };
}

export const entityOf = (name: string) => component(name, { [ID]: name });

/** A state service over a store holding entities a, b and c, with a clock and a status. */
export function memoSetup() {
  const store = new ObjectStore();
  const events = new EventHistory();
  for (const name of ['a', 'b', 'c']) {
    store.upsert(CLUSTER, deploymentOf(name));
    store.upsert(CLUSTER, canaryOf(name));
  }
  let now = Date.UTC(2026, 7, 10, 9, 30);
  let status: ClusterStatus = {
    name: CLUSTER,
    url: 'https://prod',
    state: 'synced',
    errors: [],
    kinds: [],
  };
  let statusVersion = 0;
  let statusReads = 0;
  const service = DeliveryStateService.create({
    catalog: catalogServiceMock(),
    permissions: mockServices.permissions.mock(),
    resolver: new EntityResolver(store, events, 'istio-system'),
    clusters: {
      clusterNames: () => [CLUSTER],
      status: () => {
        statusReads += 1;
        return [status];
      },
      statusOf: () => status,
      statusVersion: () => statusVersion,
    },
    istioRootNamespace: 'istio-system',
    logger: mockServices.logger.mock(),
    now: () => new Date(now),
    sources: [store, events],
  });
  const touched: string[] = [];
  service.memo.onTouched(ref => touched.push(ref));
  return {
    store,
    events,
    service,
    touched,
    tick: (ms: number) => {
      now += ms;
    },
    setStatus: (next: Partial<ClusterStatus>) => {
      status = { ...status, ...next };
      statusVersion += 1;
    },
    /** How many times the clusters' status was read. */
    statusReads: () => statusReads,
  };
}
