import { SimulatedCluster } from '../cluster/SimulatedCluster';
import { GitRemote, SourceHub } from '../flux/GitRemote';
import { KubeObject } from '../types';
import {
  flaggerPlatform,
  gitRepository,
  istioPlatform,
  kustomization,
  kustomizeOwnerLabels,
  loadtester,
  namespace,
  tenantBaseline,
} from './builders';
import {
  CanaryAppOptions,
  appManifests,
  installSettledApp,
  readyKustomization,
  readySource,
} from './platform';

/** A tenant on a cluster: its namespace, Git repository and canary apps. */
export interface TenantDefinition {
  namespace: string;
  gitUrl: string;
  path: string;
  apps: CanaryAppOptions[];
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

function labelled(
  objs: KubeObject[],
  labels: Record<string, string>,
): KubeObject[] {
  return objs.map(o => ({
    ...o,
    metadata: {
      ...o.metadata,
      labels: { ...(o.metadata.labels ?? {}), ...labels },
    },
  }));
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
  const { store } = cluster;
  const now = cluster.clock.now();
  const hub = new SourceHub();

  for (const obj of [
    namespace('flux-system'),
    ...istioPlatform(def.domain),
    ...flaggerPlatform(),
  ]) {
    store.upsert(obj);
  }

  const tenantsPath = `./tenants/${def.environment}`;
  const platformFiles: Record<string, KubeObject[]> = {};
  for (const t of def.tenants) {
    platformFiles[`${tenantsPath}/${t.namespace}`] = tenantBaseline(
      t.namespace,
      t.gitUrl,
      t.path,
    );
  }
  const platformRemote = hub.add(
    new GitRemote(def.platformGitUrl, 'main', platformFiles, now),
  );
  const platformRevision = platformRemote.revision();
  const tenantsKs = kustomization(
    'flux-system',
    'tenants',
    { kind: 'GitRepository', name: 'flux-system' },
    tenantsPath,
  );
  const baseline = labelled(
    platformRemote.manifestsAt(tenantsPath),
    kustomizeOwnerLabels('tenants', 'flux-system'),
  );
  for (const obj of baseline) store.upsert(obj);
  store.upsert(
    readySource(
      gitRepository(
        'flux-system',
        'flux-system',
        def.platformGitUrl,
        'main',
        '1m',
      ),
      platformRevision,
      now,
    ),
  );
  store.upsert(readyKustomization(tenantsKs, platformRevision, baseline, now));

  const tenantRemotes = new Map<string, GitRemote>();
  for (const t of def.tenants) {
    const files: Record<string, KubeObject[]> = {
      [`${t.path}/loadtester`]: loadtester(t.namespace),
    };
    for (const app of t.apps)
      files[`${t.path}/${app.name}`] = appManifests(app);
    const remote = hub.add(new GitRemote(t.gitUrl, 'main', files, now));
    tenantRemotes.set(t.namespace, remote);
    const revision = remote.revision();
    const owner = { name: t.namespace, namespace: t.namespace };
    const applied: KubeObject[] = [];
    for (const [path, manifests] of Object.entries(remote.head().files)) {
      const app = t.apps.find(a => path === `${t.path}/${a.name}`);
      installSettledApp(store, manifests, owner, now, app?.replicas);
      applied.push(...manifests);
    }
    const source = store.getByKind(
      'source.toolkit.fluxcd.io/v1',
      'GitRepository',
      t.namespace,
      t.namespace,
    );
    if (source) store.upsert(readySource(source, revision, now));
    const ks = store.getByKind(
      'kustomize.toolkit.fluxcd.io/v1',
      'Kustomization',
      t.namespace,
      t.namespace,
    );
    if (ks) store.upsert(readyKustomization(ks, revision, applied, now));
  }
  return { hub, platformRemote, tenantRemotes };
}
