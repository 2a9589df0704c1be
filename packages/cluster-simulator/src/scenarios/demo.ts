import { SimulatedCluster } from '../cluster/SimulatedCluster';
import { Scenario } from './types';
import { DEVELOPMENT_PROFILE, PRODUCTION_PROFILE } from './builders';
import { CanaryAppOptions } from './platform';
import { PlatformDefinition, installPlatform } from './tenants';

/**
 * The demo platform, modelled on the seed platform: a production cluster
 * with tenant-a (production canary profile, confirm-promotion gate on
 * podinfo) and a development cluster with tenant-b (development profile).
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
    ],
  };
}

function setupCluster(
  cluster: SimulatedCluster,
  def: PlatformDefinition,
): void {
  installPlatform(cluster, def);
}

export function demoScenario(): Scenario {
  return {
    clusters: [
      { name: PROD_CLUSTER, setup: c => setupCluster(c, prodPlatform()) },
      { name: DEV_CLUSTER, setup: c => setupCluster(c, devPlatform()) },
    ],
  };
}
