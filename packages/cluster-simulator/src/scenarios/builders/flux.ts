import { KubeObject } from '../../types';
import { kubeObject, tenantMeta } from './objects';

const SOURCE_API = 'source.toolkit.fluxcd.io/v1';

/** Flux sources, Kustomizations, HelmReleases and notifications. */

function fluxObject(
  apiVersion: string,
  kind: string,
  ns: string,
  name: string,
  spec: Record<string, unknown>,
): KubeObject {
  return kubeObject(apiVersion, kind, { name, namespace: ns }, { spec });
}

export function gitRepository(
  ns: string,
  name: string,
  url: string,
  branch = 'main',
  interval = '1m',
): KubeObject {
  return fluxObject(SOURCE_API, 'GitRepository', ns, name, {
    interval,
    url,
    ref: { branch },
  });
}

export function ociRepository(
  ns: string,
  name: string,
  url: string,
  tag: string,
): KubeObject {
  return fluxObject(SOURCE_API, 'OCIRepository', ns, name, {
    interval: '5m',
    url,
    ref: { tag },
  });
}

export function helmRepository(
  ns: string,
  name: string,
  url: string,
): KubeObject {
  return fluxObject(SOURCE_API, 'HelmRepository', ns, name, {
    interval: '10m',
    url,
  });
}

export function helmRelease(
  ns: string,
  name: string,
  chart: string,
  version: string,
  repo: { name: string; namespace: string },
  values: Record<string, unknown> = {},
): KubeObject {
  return fluxObject('helm.toolkit.fluxcd.io/v2', 'HelmRelease', ns, name, {
    interval: '10m',
    releaseName: name,
    chart: {
      spec: {
        chart,
        version,
        sourceRef: {
          kind: 'HelmRepository',
          name: repo.name,
          namespace: repo.namespace,
        },
        interval: '10m',
      },
    },
    install: { remediation: { retries: 3 } },
    upgrade: { remediation: { retries: 3 } },
    test: { enable: true },
    values,
  });
}

export function kustomization(
  ns: string,
  name: string,
  source: { kind: string; name: string; namespace?: string },
  path: string,
  extra: Record<string, unknown> = {},
): KubeObject {
  return fluxObject(
    'kustomize.toolkit.fluxcd.io/v1',
    'Kustomization',
    ns,
    name,
    {
      interval: '10m',
      timeout: '2m',
      retryInterval: '1m',
      sourceRef: source,
      path,
      prune: true,
      ...extra,
    },
  );
}

/** A tenant's own Flux sync (GitRepository + Kustomization) and its Slack alerts. */
export function tenantFlux(
  tenant: string,
  gitUrl: string,
  path: string,
): KubeObject[] {
  const meta = (name: string) => tenantMeta(tenant, name);
  const notification = 'notification.toolkit.fluxcd.io/v1beta3';
  return [
    kubeObject(SOURCE_API, 'GitRepository', meta(tenant), {
      spec: { interval: '1m', url: gitUrl, ref: { branch: 'main' } },
    }),
    kubeObject(
      'kustomize.toolkit.fluxcd.io/v1',
      'Kustomization',
      meta(tenant),
      {
        spec: {
          serviceAccountName: tenant,
          interval: '5m',
          timeout: '5m',
          retryInterval: '1m',
          sourceRef: { kind: 'GitRepository', name: tenant },
          path,
          prune: true,
          wait: false,
        },
      },
    ),
    kubeObject(notification, 'Provider', meta(`${tenant}-slack`), {
      spec: {
        type: 'slack',
        channel: `${tenant}-deploys`,
        secretRef: { name: `${tenant}-slack-webhook` },
      },
    }),
    kubeObject(notification, 'Alert', meta(tenant), {
      spec: {
        providerRef: { name: `${tenant}-slack` },
        eventSeverity: 'info',
        eventSources: [
          { kind: 'GitRepository', name: '*' },
          { kind: 'Kustomization', name: '*' },
          { kind: 'HelmRelease', name: '*' },
        ],
        eventMetadata: { tenant },
      },
    }),
  ];
}
