import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

/** A column kubectl prints for a kind (CRD `additionalPrinterColumns`). */
export interface PrinterColumn {
  name: string;
  type: string;
  jsonPath: string;
  priority?: number;
  description?: string;
}

/** One servable resource: a kind at a group, with the versions it is served at. */
export interface ResourceType {
  group: string;
  versions: string[];
  /** The version objects are stored in; served at every version of `versions`. */
  storageVersion: string;
  kind: string;
  listKind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: string[];
  printerColumns: PrinterColumn[];
  /** openAPIV3Schema per version, for CRDs. */
  schemas: Record<string, unknown>;
  /** The CRD document itself, served at apiextensions.k8s.io. */
  crd?: Record<string, unknown>;
}

const ALL_VERBS = [
  'create',
  'delete',
  'deletecollection',
  'get',
  'list',
  'patch',
  'update',
  'watch',
];
const READ_VERBS = ['get', 'list', 'watch'];

function builtin(
  group: string,
  versions: string[],
  kind: string,
  plural: string,
  options: {
    namespaced?: boolean;
    shortNames?: string[];
    categories?: string[];
    verbs?: string[];
  } = {},
): ResourceType {
  return {
    group,
    versions,
    storageVersion: versions[0],
    kind,
    listKind: `${kind}List`,
    plural,
    singular: kind.toLowerCase(),
    namespaced: options.namespaced ?? true,
    shortNames: options.shortNames ?? [],
    categories: options.categories ?? [],
    verbs: options.verbs ?? ALL_VERBS,
    printerColumns: [],
    schemas: {},
  };
}

/** Kubernetes' own kinds the plugins and the Backstage Kubernetes plugin read. */
export const BUILTIN_RESOURCES: ResourceType[] = [
  builtin('', ['v1'], 'Namespace', 'namespaces', {
    namespaced: false,
    shortNames: ['ns'],
  }),
  builtin('', ['v1'], 'Pod', 'pods', {
    shortNames: ['po'],
    categories: ['all'],
  }),
  builtin('', ['v1'], 'Service', 'services', {
    shortNames: ['svc'],
    categories: ['all'],
  }),
  builtin('', ['v1'], 'Event', 'events', { shortNames: ['ev'] }),
  builtin('', ['v1'], 'ConfigMap', 'configmaps', { shortNames: ['cm'] }),
  builtin('', ['v1'], 'Secret', 'secrets'),
  builtin('', ['v1'], 'ServiceAccount', 'serviceaccounts', {
    shortNames: ['sa'],
  }),
  builtin('', ['v1'], 'ResourceQuota', 'resourcequotas', {
    shortNames: ['quota'],
  }),
  builtin('', ['v1'], 'LimitRange', 'limitranges', { shortNames: ['limits'] }),
  builtin('apps', ['v1'], 'Deployment', 'deployments', {
    shortNames: ['deploy'],
    categories: ['all'],
  }),
  builtin('apps', ['v1'], 'ReplicaSet', 'replicasets', {
    shortNames: ['rs'],
    categories: ['all'],
  }),
  builtin('apps', ['v1'], 'StatefulSet', 'statefulsets', {
    shortNames: ['sts'],
    categories: ['all'],
  }),
  builtin('apps', ['v1'], 'DaemonSet', 'daemonsets', {
    shortNames: ['ds'],
    categories: ['all'],
  }),
  builtin(
    'autoscaling',
    ['v2', 'v1'],
    'HorizontalPodAutoscaler',
    'horizontalpodautoscalers',
    { shortNames: ['hpa'], categories: ['all'] },
  ),
  builtin('batch', ['v1'], 'Job', 'jobs', { categories: ['all'] }),
  builtin('batch', ['v1'], 'CronJob', 'cronjobs', {
    shortNames: ['cj'],
    categories: ['all'],
  }),
  builtin('networking.k8s.io', ['v1'], 'Ingress', 'ingresses', {
    shortNames: ['ing'],
  }),
  builtin('networking.k8s.io', ['v1'], 'NetworkPolicy', 'networkpolicies', {
    shortNames: ['netpol'],
  }),
  builtin('rbac.authorization.k8s.io', ['v1'], 'RoleBinding', 'rolebindings'),
  builtin(
    'apiextensions.k8s.io',
    ['v1'],
    'CustomResourceDefinition',
    'customresourcedefinitions',
    { namespaced: false, shortNames: ['crd', 'crds'], verbs: READ_VERBS },
  ),
];

/** The directory of the vendored upstream CRDs. */
// The package runs from source (tsx, jest) and is never bundled, so __dirname is reliable.
// eslint-disable-next-line no-restricted-syntax
export const CRD_DIR = path.resolve(__dirname, '..', '..', 'crds');

interface CrdVersion {
  name: string;
  served?: boolean;
  storage?: boolean;
  schema?: { openAPIV3Schema?: unknown };
  additionalPrinterColumns?: PrinterColumn[];
}

interface CrdDocument {
  kind?: string;
  metadata?: { name?: string };
  spec?: {
    group: string;
    scope: string;
    names: {
      kind: string;
      listKind?: string;
      plural: string;
      singular?: string;
      shortNames?: string[];
      categories?: string[];
    };
    versions: CrdVersion[];
  };
}

/** Turns one CRD manifest into a servable resource. */
export function resourceFromCrd(doc: Record<string, unknown>): ResourceType {
  const crd = doc as CrdDocument;
  if (crd.kind !== 'CustomResourceDefinition' || !crd.spec) {
    throw new Error(`not a CustomResourceDefinition: ${crd.metadata?.name}`);
  }
  const { group, names, scope } = crd.spec;
  const served = crd.spec.versions.filter(v => v.served !== false);
  const storage = served.find(v => v.storage) ?? served[0];
  // Kubernetes lists served versions by priority: GA before beta before alpha.
  const versions = served.map(v => v.name).sort(compareKubeVersions);
  const schemas: Record<string, unknown> = {};
  for (const v of served) {
    schemas[v.name] = v.schema?.openAPIV3Schema;
  }
  return {
    group,
    versions,
    storageVersion: storage.name,
    kind: names.kind,
    listKind: names.listKind ?? `${names.kind}List`,
    plural: names.plural,
    singular: names.singular ?? names.kind.toLowerCase(),
    namespaced: scope === 'Namespaced',
    shortNames: names.shortNames ?? [],
    categories: names.categories ?? [],
    verbs: ALL_VERBS,
    printerColumns: storage.additionalPrinterColumns ?? [],
    schemas,
    crd: doc,
  };
}

/** Orders versions as Kubernetes discovery does: v1 > v1beta2 > v1beta1 > v1alpha1. */
export function compareKubeVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return [0, 0, 0];
    const stability = { alpha: 1, beta: 2 }[m[2] ?? ''] ?? 3;
    return [stability, Number(m[1]), Number(m[3] ?? 0)];
  };
  const pa = parse(a);
  const pb = parse(b);
  for (let i = 0; i < 3; i++) {
    if (pa[i] !== pb[i]) return pb[i] - pa[i];
  }
  return a.localeCompare(b);
}

let crdCache: ResourceType[] | undefined;

/** Loads every vendored CRD (parsed once per process). */
export function loadCrdResources(dir: string = CRD_DIR): ResourceType[] {
  if (dir === CRD_DIR && crdCache) return crdCache;
  const result: ResourceType[] = [];
  for (const file of fs.readdirSync(dir).sort()) {
    if (!file.endsWith('.yaml')) continue;
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    for (const doc of parseAllDocuments(text)) {
      const value = doc.toJSON() as Record<string, unknown> | null;
      if (value?.kind === 'CustomResourceDefinition') {
        result.push(resourceFromCrd(value));
      }
    }
  }
  if (dir === CRD_DIR) crdCache = result;
  return result;
}

/** Looks up resources by group, version and plural, or by kind. */
export class ResourceRegistry {
  private readonly byGroupPlural = new Map<string, ResourceType>();
  private readonly byKind = new Map<string, ResourceType>();

  static create(): ResourceRegistry {
    return new ResourceRegistry([...BUILTIN_RESOURCES, ...loadCrdResources()]);
  }

  constructor(readonly all: ResourceType[]) {
    for (const r of all) {
      this.byGroupPlural.set(resourceKey(r), r);
      this.byKind.set(`${r.group}/${r.kind}`, r);
    }
  }

  find(
    group: string,
    version: string,
    plural: string,
  ): ResourceType | undefined {
    const r = this.byGroupPlural.get(`${group}/${plural}`);
    return r && r.versions.includes(version) ? r : undefined;
  }

  /** Finds the resource of an apiVersion + kind pair, e.g. `apps/v1` `Deployment`. */
  forKind(apiVersion: string, kind: string): ResourceType {
    const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
    const r = this.byKind.get(`${group}/${kind}`);
    if (!r) throw new Error(`unknown kind ${apiVersion} ${kind}`);
    return r;
  }

  /** The groups in discovery order: the core group is served at /api, not here. */
  groups(): Array<{ name: string; versions: string[] }> {
    const groups = new Map<string, Set<string>>();
    for (const r of this.all) {
      if (r.group === '') continue;
      const set = groups.get(r.group) ?? new Set<string>();
      r.versions.forEach(v => set.add(v));
      groups.set(r.group, set);
    }
    return [...groups.entries()].map(([name, versions]) => ({
      name,
      versions: [...versions].sort(compareKubeVersions),
    }));
  }

  inGroupVersion(group: string, version: string): ResourceType[] {
    return this.all.filter(
      r => r.group === group && r.versions.includes(version),
    );
  }
}

/** The store key of a resource: version-independent. */
export function resourceKey(r: Pick<ResourceType, 'group' | 'plural'>): string {
  return `${r.group}/${r.plural}`;
}

export function groupVersion(group: string, version: string): string {
  return group ? `${group}/${version}` : version;
}
