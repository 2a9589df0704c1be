import {
  DEVELOPMENT_PROFILE,
  GATEWAY_API_GATEWAY,
  GATEWAY_API_INGRESS_NAMESPACE,
  PRODUCTION_PROFILE,
} from './builders';
import { CanaryAppOptions } from './platform';
import { TenantDefinition } from './tenants';

/**
 * The demo tenants added for Gateway API and the iteration strategies, kept
 * apart from tenant-a and tenant-b so those keep their objects and timing:
 * tenant-c (prod-eu-1) runs on the Gateway API like the AKS reference
 * platform, tenant-d (dev-eu-1) shows an A/B and a blue/green canary.
 */

/** The header that sends a request to the A/B canary (Flagger's e2e test-ab.sh uses it too). */
export const AB_HEADER = { name: 'x-canary', value: 'insider' };

/**
 * tenant-c: its ingress is the Gateway `istio-ingress/main` (class istio),
 * Flagger's `gatewayapi:v1` provider writes an HTTPRoute per service,
 * mTLS is STRICT. `catalog-api` steps like podinfo (production profile, 5 %
 * steps to 20 % every minute) and waits at a confirm-promotion gate.
 */
export function gatewayApiTenant(): TenantDefinition {
  const ns = 'tenant-c';
  const app: CanaryAppOptions = {
    namespace: ns,
    name: 'catalog-api',
    kubernetesId: 'catalog-api',
    image: 'ghcr.io/example/catalog-api',
    tag: '4.2.0',
    port: 8080,
    replicas: 2,
    health: { successRate: 99.95, p99Ms: 210 },
    canary: {
      profile: PRODUCTION_PROFILE,
      host: 'catalog-api.example.com',
      gatewayRef: {
        name: GATEWAY_API_GATEWAY,
        namespace: GATEWAY_API_INGRESS_NAMESPACE,
      },
      confirmPromotion: true,
    },
  };
  return {
    namespace: ns,
    gitUrl: 'https://github.com/example/tenant-c-deploy',
    path: './production',
    apps: [app],
    ingressNamespace: GATEWAY_API_INGRESS_NAMESPACE,
  };
}

/**
 * tenant-d: `search` runs A/B tests (10 iterations; requests with
 * `x-canary: insider` go to the canary, all others stay on the primary);
 * `reports` runs blue/green (4 iterations of 90 s without traffic, then all
 * traffic on the canary for one interval, then promotion).
 */
export function strategiesTenant(): TenantDefinition {
  const ns = 'tenant-d';
  const app = (
    name: string,
    tag: string,
    canary: CanaryAppOptions['canary'],
  ): CanaryAppOptions => ({
    namespace: ns,
    name,
    kubernetesId: name,
    image: `ghcr.io/example/${name}`,
    tag,
    port: 8080,
    replicas: 1,
    health: { successRate: 99.7, p99Ms: 280 },
    canary,
  });
  return {
    namespace: ns,
    gitUrl: 'https://github.com/example/tenant-d-deploy',
    path: './development',
    apps: [
      app('search', '2.8.0', {
        profile: DEVELOPMENT_PROFILE,
        host: 'search.dev.example.com',
        iterations: {
          count: 10,
          match: [
            { headers: { [AB_HEADER.name]: { exact: AB_HEADER.value } } },
          ],
        },
      }),
      app('reports', '1.5.0', {
        profile: { ...DEVELOPMENT_PROFILE, interval: '90s' },
        host: 'reports.dev.example.com',
        iterations: { count: 4 },
      }),
    ],
  };
}
