import { SimulatedCluster } from '../cluster/SimulatedCluster';
import { GitRemote, SourceHub } from '../flux/GitRemote';
import { NEVER_READY } from '../workloads/WorkloadController';
import {
  DEVELOPMENT_PROFILE,
  PRODUCTION_PROFILE,
  gatewayApiIngress,
  helmRelease,
  helmRepository,
  kustomization,
  namespace,
  ociRepository,
} from './builders';
import { ReleaseStory, StoryApp } from './ReleaseStory';
import { Scenario, ScenarioResult } from './types';
import { CanaryAppOptions } from './platform';
import { PlatformDefinition, installPlatform } from './tenants';
import { gatewayApiTenant, strategiesTenant } from './demoTenants';

/**
 * The demo platform, modelled on the seed platforms: a production cluster
 * with tenant-a (production canary profile, confirm-promotion gate on
 * podinfo) and tenant-c (on the Gateway API), and a development cluster with
 * tenant-b (development profile) and tenant-d (A/B and blue/green).
 */

const PODINFO_IMAGE = 'ghcr.io/stefanprodan/podinfo';

export const PROD_CLUSTER = 'prod-eu-1';
export const DEV_CLUSTER = 'dev-eu-1';

export function prodPlatform(): PlatformDefinition {
  const ns = 'tenant-a';
  const apps: CanaryAppOptions[] = [
    {
      namespace: ns,
      name: 'podinfo',
      kubernetesId: 'podinfo',
      image: PODINFO_IMAGE,
      tag: '6.7.0',
      port: 9898,
      replicas: 2,
      health: { successRate: 99.95, p99Ms: 180 },
      config: {
        PODINFO_UI_MESSAGE: 'Hello from tenant-a',
        PODINFO_UI_COLOR: '#34577c',
      },
      hpa: true,
      canary: {
        profile: PRODUCTION_PROFILE,
        host: 'podinfo.tenant-a.example.com',
        confirmPromotion: true,
        rollbackGate: true,
        errorRateTemplate: true,
      },
    },
    {
      namespace: ns,
      name: 'frontend',
      kubernetesId: 'frontend',
      image: 'ghcr.io/example/frontend',
      tag: '2.3.0',
      port: 8080,
      replicas: 2,
      health: { successRate: 99.9, p99Ms: 240 },
      canary: {
        profile: PRODUCTION_PROFILE,
        host: 'www.example.com',
        errorRateTemplate: true,
      },
    },
  ];
  return {
    environment: 'production',
    domain: 'example.com',
    platformGitUrl: 'https://github.com/example/platform-gitops',
    tenants: [
      {
        namespace: ns,
        gitUrl: 'https://github.com/example/tenant-a-deploy',
        path: './production',
        apps,
      },
      gatewayApiTenant(),
    ],
  };
}

export function devPlatform(): PlatformDefinition {
  const ns = 'tenant-b';
  const app = (
    name: string,
    kubernetesId: string,
    image: string,
    tag: string,
    port: number,
    extra: Partial<CanaryAppOptions['canary']> = {},
  ): CanaryAppOptions => ({
    namespace: ns,
    name,
    kubernetesId,
    image,
    tag,
    port,
    replicas: 1,
    health: { successRate: 99.6, p99Ms: 320 },
    canary: {
      profile: DEVELOPMENT_PROFILE,
      host: `${name}.dev.example.com`,
      ...extra,
    },
  });
  return {
    environment: 'development',
    domain: 'dev.example.com',
    platformGitUrl: 'https://github.com/example/platform-gitops',
    tenants: [
      {
        namespace: ns,
        gitUrl: 'https://github.com/example/tenant-b-deploy',
        path: './development',
        apps: [
          app(
            'checkout',
            'checkout',
            'ghcr.io/example/checkout',
            '1.12.0',
            8080,
          ),
          app(
            'payments',
            'payments',
            'ghcr.io/example/payments',
            '3.4.0',
            8080,
            {
              rollbackGate: true,
            },
          ),
          app('podinfo', 'podinfo', PODINFO_IMAGE, '6.7.0', 9898),
        ],
      },
      strategiesTenant(),
    ],
  };
}

/** Release cadence and health per app: which rollouts succeed, fail or wait. */
interface Cadence {
  firstAtMs: number;
  everyMs: number;
  health: StoryApp['health'];
}

const MINUTE = 60_000;
const healthy = (successRate: number, p99Ms: number) => () => ({
  successRate,
  p99Ms,
});

const CADENCE: Record<string, Record<string, Cadence>> = {
  [PROD_CLUSTER]: {
    // Reaches 20 % within minutes, then waits at the confirm-promotion gate.
    podinfo: {
      firstAtMs: 5_000,
      everyMs: 8 * MINUTE,
      health: healthy(99.95, 180),
    },
    frontend: {
      firstAtMs: 4 * MINUTE,
      everyMs: 9 * MINUTE,
      health: healthy(99.9, 240),
    },
    // tenant-c on Gateway API: like podinfo, steps to 20 % and waits at its gate.
    'catalog-api': {
      firstAtMs: 15_000,
      everyMs: 8 * MINUTE,
      health: healthy(99.95, 210),
    },
  },
  [DEV_CLUSTER]: {
    checkout: {
      firstAtMs: 20_000,
      everyMs: 5 * MINUTE,
      health: healthy(99.7, 300),
    },
    // Every other release fails its metric checks and is rolled back.
    payments: {
      firstAtMs: 40_000,
      everyMs: 6 * MINUTE,
      health: n =>
        n % 2 === 0
          ? { successRate: 88.5, p99Ms: 1450 }
          : { successRate: 99.6, p99Ms: 410 },
    },
    podinfo: {
      firstAtMs: 150_000,
      everyMs: 7 * MINUTE,
      health: healthy(99.8, 220),
    },
    // tenant-d: A/B testing and blue/green.
    search: {
      firstAtMs: 30_000,
      everyMs: 8 * MINUTE,
      health: healthy(99.8, 260),
    },
    reports: {
      firstAtMs: 60_000,
      everyMs: 10 * MINUTE,
      health: healthy(99.8, 300),
    },
  },
};

/** dev-eu-1: monitoring synced from an OCI artifact whose health check keeps failing. */
function installMonitoring(cluster: SimulatedCluster, hub: SourceHub): void {
  const now = cluster.clock.now();
  const url = 'oci://ghcr.io/example/manifests/monitoring';
  const labels = { app: 'kube-state-metrics' };
  hub.add(
    new GitRemote(
      url,
      'v2.13.0',
      {
        './': [
          namespace('monitoring'),
          {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            metadata: {
              name: 'kube-state-metrics',
              namespace: 'monitoring',
              labels,
            },
            spec: {
              replicas: 1,
              selector: { matchLabels: labels },
              template: {
                metadata: { labels, annotations: { [NEVER_READY]: 'true' } },
                spec: {
                  containers: [
                    {
                      name: 'kube-state-metrics',
                      image:
                        'registry.k8s.io/kube-state-metrics/kube-state-metrics:v2.13.0-typo',
                      ports: [{ name: 'http-metrics', containerPort: 8080 }],
                    },
                  ],
                },
              },
            },
          },
        ],
      },
      now,
    ),
  );
  cluster.store.upsert(
    ociRepository('flux-system', 'monitoring', url, 'v2.13.0'),
  );
  cluster.store.upsert(
    kustomization(
      'flux-system',
      'monitoring',
      { kind: 'OCIRepository', name: 'monitoring' },
      './',
      {
        timeout: '2m',
        retryInterval: '2m',
        healthChecks: [
          {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            name: 'kube-state-metrics',
            namespace: 'monitoring',
          },
        ],
      },
    ),
  );
}

/** prod-eu-1: a HelmRelease from a HelmRepository, so both Flux kinds show. */
function installCache(cluster: SimulatedCluster): void {
  cluster.store.upsert(
    helmRepository(
      'flux-system',
      'bitnami',
      'https://charts.bitnami.com/bitnami',
    ),
  );
  cluster.store.upsert(
    helmRelease(
      'tenant-a',
      'cache',
      'redis',
      '19.6.4',
      { name: 'bitnami', namespace: 'flux-system' },
      {
        image: { repository: 'docker.io/bitnami/redis', tag: '7.2.5' },
        port: 6379,
        replicaCount: 1,
      },
    ),
  );
}

function setupCluster(
  cluster: SimulatedCluster,
  def: PlatformDefinition,
): ScenarioResult {
  const installed = installPlatform(cluster, def);
  if (cluster.name === DEV_CLUSTER) installMonitoring(cluster, installed.hub);
  if (cluster.name === PROD_CLUSTER) {
    installCache(cluster);
    for (const obj of gatewayApiIngress('example.com'))
      cluster.store.upsert(obj);
  }
  const apps: StoryApp[] = [];
  for (const tenant of def.tenants) {
    const remote = installed.tenantRemotes.get(tenant.namespace)!;
    for (const app of tenant.apps) {
      const cadence = CADENCE[cluster.name]?.[app.name];
      if (!cadence) continue;
      apps.push({
        namespace: tenant.namespace,
        name: app.name,
        remote,
        file: `${tenant.path}/${app.name}`,
        source: { namespace: tenant.namespace, name: tenant.namespace },
        ...cadence,
      });
    }
  }
  return { hub: installed.hub, story: new ReleaseStory(cluster, apps) };
}

export function demoScenario(): Scenario {
  return {
    clusters: [
      { name: PROD_CLUSTER, setup: c => setupCluster(c, prodPlatform()) },
      { name: DEV_CLUSTER, setup: c => setupCluster(c, devPlatform()) },
    ],
  };
}
