import { JsonObject } from '@backstage/types';
import { TenantContext } from './TenantContext';

/**
 * The GitRepository Flux fetches and the Kustomization that applies the tenant's `apps/` as the
 * tenant's service account, with health checks on what the tenant serves through.
 */
export function renderFluxSync(t: TenantContext): JsonObject[] {
  const ns = t.namespace;
  const { layout } = t.settings;
  const gitRepository = {
    apiVersion: 'source.toolkit.fluxcd.io/v1',
    kind: 'GitRepository',
    metadata: t.metadata(ns),
    spec: {
      interval: '1m',
      url: cloneUrl(layout.repoUrl),
      ref: { branch: layout.branch },
    },
  };
  const kustomization = {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: t.metadata(`${ns}-apps`),
    spec: {
      serviceAccountName: ns,
      interval: '5m',
      timeout: '10m',
      retryInterval: '1m',
      prune: true,
      wait: false,
      sourceRef: { kind: 'GitRepository', name: ns },
      path: `./${t.paths.appsDir}`,
      targetNamespace: ns,
      // Lets the catalog's label selector find everything the tenant deploys.
      commonMetadata: { labels: t.labels },
      healthChecks: healthChecks(t),
    },
  };
  return [gitRepository, kustomization];
}

function healthChecks(t: TenantContext): JsonObject[] {
  const app = t.request.application;
  const gateway = {
    apiVersion: 'networking.istio.io/v1',
    kind: 'Gateway',
    name: t.mesh.gateway.name,
    namespace: t.mesh.gateway.namespace,
  };
  if (!app) {
    return [gateway];
  }
  return [
    // Flagger scales the app's own Deployment to zero and serves from `<app>-primary`.
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: `${app.name}-primary`,
      namespace: t.namespace,
    },
    {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      name: app.name,
      namespace: t.namespace,
    },
    gateway,
  ];
}

/** The https clone URL Flux fetches, from `host?owner=o&repo=r`. */
export function cloneUrl(repoUrl: string): string {
  const url = new URL(`https://${repoUrl}`);
  const owner = url.searchParams.get('owner');
  const repo = url.searchParams.get('repo');
  return `https://${url.host}/${owner}/${repo}.git`;
}
