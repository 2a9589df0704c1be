import { SimulatedCluster } from '../cluster/SimulatedCluster';
import { GitRemote, SourceHub } from '../flux/GitRemote';
import { KubeObject } from '../types';
import {
  flaggerPlatform,
  gitRepository,
  kustomization,
  loadtester,
  tenantBaseline,
} from './builders';
import { kustomizeOwnerLabels } from '../flux/kustomize/ownerLabels';
import {
  CanaryAppOptions,
  appManifests,
  installBootstrap,
  installSettledApp,
  installSynced,
  withLabels,
} from './platform';

/** A tenant on a cluster: its namespace, Git repository and canary apps. */
export interface TenantDefinition {
  namespace: string;
  gitUrl: string;
  path: string;
  apps: CanaryAppOptions[];
  /** Where the tenant's ingress gateway runs (default istio-system). */
  ingressNamespace?: string;
}

export interface PlatformDefinition {
  environment: string;
  domain: string;
  platformGitUrl: string;
  tenants: TenantDefinition[];
}

export interface InstalledPlatform {
  hub: SourceHub;
  platformRemote: GitRemote;
  tenantRemotes: Map<string, GitRemote>;
}

/**
 * Installs a settled multi-tenant platform: flux-system syncing the tenants
 * from the platform repository, each tenant namespace syncing its apps from
 * its own repository (flux2-multi-tenancy layout), Istio and Flagger objects.
 */
export function installPlatform(
  cluster: SimulatedCluster,
  def: PlatformDefinition,
): InstalledPlatform {
  const hub = new SourceHub();
  installBootstrap(cluster.store, def.domain, flaggerPlatform());
  const platformRemote = installTenantsSync(cluster, def, hub);
  const tenantRemotes = new Map<string, GitRemote>();
  for (const t of def.tenants) {
    tenantRemotes.set(t.namespace, installTenantApps(cluster, t, hub));
  }
  return { hub, platformRemote, tenantRemotes };
}

/** flux-system/tenants: applies each tenant's baseline from the platform repository. */
function installTenantsSync(
  cluster: SimulatedCluster,
  def: PlatformDefinition,
  hub: SourceHub,
): GitRemote {
  const { store } = cluster;
  const now = cluster.clock.now();
  const tenantsPath = `./tenants/${def.environment}`;
  const platformFiles: Record<string, KubeObject[]> = {};
  for (const t of def.tenants) {
    platformFiles[`${tenantsPath}/${t.namespace}`] = tenantBaseline(
      t.namespace,
      t.gitUrl,
      t.path,
      t.ingressNamespace,
    );
  }
  const platformRemote = hub.add(
    new GitRemote(def.platformGitUrl, 'main', platformFiles, now),
  );
  const ownerLabels = kustomizeOwnerLabels('tenants', 'flux-system');
  const baseline = platformRemote
    .manifestsAt(tenantsPath)
    .map(o => withLabels(o, ownerLabels));
  for (const obj of baseline) store.upsert(obj);
  installSynced(
    store,
    {
      source: gitRepository(
        'flux-system',
        'flux-system',
        def.platformGitUrl,
        'main',
        '1m',
      ),
      kustomization: kustomization(
        'flux-system',
        'tenants',
        { kind: 'GitRepository', name: 'flux-system' },
        tenantsPath,
      ),
      revision: platformRemote.revision(),
      applied: baseline,
    },
    now,
  );
  return platformRemote;
}

/** A tenant's repository (loadtester and apps), applied and settled. */
function installTenantApps(
  cluster: SimulatedCluster,
  t: TenantDefinition,
  hub: SourceHub,
): GitRemote {
  const { store } = cluster;
  const now = cluster.clock.now();
  const files: Record<string, KubeObject[]> = {
    [`${t.path}/loadtester`]: loadtester(t.namespace),
  };
  for (const app of t.apps) files[`${t.path}/${app.name}`] = appManifests(app);
  const remote = hub.add(new GitRemote(t.gitUrl, 'main', files, now));
  const owner = { name: t.namespace, namespace: t.namespace };
  const applied: KubeObject[] = [];
  for (const [path, manifests] of Object.entries(remote.head().files)) {
    const app = t.apps.find(a => path === `${t.path}/${a.name}`);
    installSettledApp(store, manifests, owner, now, app?.replicas);
    applied.push(...manifests);
  }
  installSynced(
    store,
    {
      source: store.getByKind(
        'source.toolkit.fluxcd.io/v1',
        'GitRepository',
        t.namespace,
        t.namespace,
      ),
      kustomization: store.getByKind(
        'kustomize.toolkit.fluxcd.io/v1',
        'Kustomization',
        t.namespace,
        t.namespace,
      ),
      revision: remote.revision(),
      applied,
    },
    now,
  );
  return remote;
}
