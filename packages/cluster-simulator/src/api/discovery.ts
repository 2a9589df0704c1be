import { ResourceRegistry, ResourceType, groupVersion } from './resources';

/** The version this simulator claims to be; kubectl only warns on skew. */
export const SERVER_VERSION = {
  major: '1',
  minor: '31',
  gitVersion: 'v1.31.0-cluster-simulator',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2026-01-01T00:00:00Z',
  goVersion: 'go1.22.0',
  compiler: 'gc',
  platform: 'linux/amd64',
};

const STATUS_SUBRESOURCE_KINDS = new Set([
  'Deployment',
  'ReplicaSet',
  'StatefulSet',
  'DaemonSet',
  'Pod',
  'Service',
  'Namespace',
  'Job',
  'CronJob',
  'HorizontalPodAutoscaler',
  'ResourceQuota',
  'Ingress',
]);

/** Whether writes to the main resource ignore `status` (a status subresource exists). */
export function hasStatusSubresource(r: ResourceType): boolean {
  if (r.crd) return true;
  return STATUS_SUBRESOURCE_KINDS.has(r.kind);
}

function apiResource(r: ResourceType) {
  return {
    name: r.plural,
    singularName: r.singular,
    namespaced: r.namespaced,
    kind: r.kind,
    verbs: r.verbs,
    ...(r.shortNames.length ? { shortNames: r.shortNames } : {}),
    ...(r.categories.length ? { categories: r.categories } : {}),
  };
}

export function apiResourceList(
  registry: ResourceRegistry,
  group: string,
  version: string,
) {
  const resources = [];
  for (const r of registry.inGroupVersion(group, version)) {
    resources.push(apiResource(r));
    if (hasStatusSubresource(r)) {
      resources.push({
        name: `${r.plural}/status`,
        singularName: '',
        namespaced: r.namespaced,
        kind: r.kind,
        verbs: ['get', 'patch', 'update'],
      });
    }
    if (r.kind === 'Service' || r.kind === 'Pod') {
      resources.push({
        name: `${r.plural}/proxy`,
        singularName: '',
        namespaced: true,
        kind: r.kind === 'Service' ? 'ServiceProxyOptions' : 'PodProxyOptions',
        verbs: ['create', 'delete', 'get', 'patch', 'update'],
      });
    }
  }
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: groupVersion(group, version),
    resources,
  };
}

function apiGroup(name: string, versions: string[]) {
  return {
    name,
    versions: versions.map(v => ({ groupVersion: `${name}/${v}`, version: v })),
    preferredVersion: {
      groupVersion: `${name}/${versions[0]}`,
      version: versions[0],
    },
  };
}

export function apiGroupList(registry: ResourceRegistry) {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: registry.groups().map(g => apiGroup(g.name, g.versions)),
  };
}

export function apiGroupDocument(registry: ResourceRegistry, name: string) {
  const g = registry.groups().find(x => x.name === name);
  return g
    ? { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(g.name, g.versions) }
    : undefined;
}

export function apiVersions(serverAddress: string) {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}
