import { SimulatedCluster } from '../cluster/SimulatedCluster';
import { GitRemote, SourceHub } from '../flux/GitRemote';
import { KubeObject } from '../types';
import {
  DEVELOPMENT_PROFILE,
  PRODUCTION_PROFILE,
  gitRepository,
  kustomization,
  loadtester,
  namespace,
} from './builders';
import {
  appManifests,
  installBootstrap,
  installSettledApp,
  installSynced,
} from './platform';
import { Scenario } from './types';

/** Canaries per tenant namespace in the scale scenario. */
export const CANARIES_PER_NAMESPACE = 100;

export function scaleClusterName(index: number): string {
  return `scale-${String(index + 1).padStart(2, '0')}`;
}

export function scaleCanaryName(index: number): string {
  return `svc-${String(index + 1).padStart(5, '0')}`;
}

/**
 * Many settled tenants: per canary a target and primary Deployment,
 * apex/primary/canary Services, VirtualService, DestinationRules, and its
 * own GitRepository + Kustomization (with owner labels on what it applied).
 * Objects are created in their settled state, so 5 x 2,000 starts in seconds.
 */
export function setupScaleCluster(
  cluster: SimulatedCluster,
  canaries: number,
): SourceHub {
  const { store } = cluster;
  const now = cluster.clock.now();
  const hub = new SourceHub();
  installBootstrap(store, 'scale.example.com');
  for (let i = 0; i < canaries; i++) {
    const ns = `team-${String(
      Math.floor(i / CANARIES_PER_NAMESPACE) + 1,
    ).padStart(3, '0')}`;
    if (i % CANARIES_PER_NAMESPACE === 0) {
      const labels = {
        'toolkit.fluxcd.io/tenant': ns,
        'istio-injection': 'enabled',
      };
      store.upsert(namespace(ns, labels), true);
      for (const obj of loadtester(ns)) store.upsert(obj);
    }
    const name = scaleCanaryName(i);
    const manifests: KubeObject[] = appManifests({
      namespace: ns,
      name,
      kubernetesId: name,
      image: `ghcr.io/example/${name}`,
      tag: '1.0.0',
      port: 8080,
      replicas: 1,
      health: { successRate: 99.9, p99Ms: 200 },
      canary: {
        profile: i % 2 === 0 ? PRODUCTION_PROFILE : DEVELOPMENT_PROFILE,
        confirmPromotion: i % 10 === 0,
      },
    });
    const url = `https://github.com/example/${name}-deploy`;
    const remote = hub.add(
      new GitRemote(url, 'main', { './deploy': manifests }, now),
    );
    const revision = remote.revision();
    installSettledApp(store, manifests, { name, namespace: ns }, now);
    installSynced(
      store,
      {
        source: gitRepository(ns, name, url, 'main', '5m'),
        kustomization: kustomization(
          ns,
          name,
          { kind: 'GitRepository', name },
          './deploy',
        ),
        revision,
        applied: manifests,
      },
      now,
      true,
    );
  }
  return hub;
}

export function scaleScenario(clusters: number, canaries: number): Scenario {
  return {
    clusters: Array.from({ length: clusters }, (_, i) => ({
      name: scaleClusterName(i),
      setup: (c: SimulatedCluster) => ({ hub: setupScaleCluster(c, canaries) }),
    })),
  };
}

/** Clusters with nothing but the default namespace, for tests that bring their own objects. */
export function emptyScenario(clusters: number): Scenario {
  return {
    clusters: Array.from({ length: clusters }, (_, i) => ({
      name: clusters === 1 ? 'test' : `test-${i + 1}`,
      setup: (c: SimulatedCluster) => {
        c.store.upsert(namespace('default'));
      },
    })),
  };
}
