import {
  fluxSourceRefs,
  KubeObject,
} from '@progressive-delivery/plugin-progressive-delivery-common';
import { loadFixtureDocuments } from '../__testUtils__/fixtures';
import { EventHistory } from '../watch/EventHistory';
import { ObjectStore } from '../watch/ObjectStore';
import { EntityResolver } from './EntityResolver';
import { EntitySelection } from './entitySelection';
import { fluxSourcesOf } from './fluxLinks';

/*
 * The links the resolver follows, over the upstream fixtures of the common package (origins in
 * its src/__fixtures__/upstream/README.md): each test names the objects a link must reach, so a
 * broken link fails here, not only as a blank on the page.
 */

const CLUSTER = 'aks-eu-1';

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value));

const upstream = (file: string) => loadFixtureDocuments(`upstream/${file}`);

function storeOf(objects: KubeObject[]): ObjectStore {
  const store = new ObjectStore();
  for (const kind of new Set(objects.map(o => o.kind ?? ''))) {
    store.replace(
      CLUSTER,
      kind,
      objects.filter(o => o.kind === kind),
    );
  }
  return store;
}

function resolverOf(objects: KubeObject[]): EntityResolver {
  return new EntityResolver(
    storeOf(objects),
    new EventHistory(Number.MAX_SAFE_INTEGER),
    'istio-system',
  );
}

const refs = (objects: Array<KubeObject | undefined>) =>
  objects.map(
    o => o && `${o.kind} ${o.metadata?.namespace}/${o.metadata?.name}`,
  );

function withMetadata(object: KubeObject, metadata: object): KubeObject {
  const copy = clone(object);
  copy.metadata = { ...copy.metadata, ...metadata };
  return copy;
}

const find = (objects: KubeObject[], kind: string, name?: string) =>
  objects.find(o => o.kind === kind && (!name || o.metadata?.name === name))!;

const selection = (fields: Partial<EntitySelection>): EntitySelection => ({
  canaries: [],
  invalid: [],
  ...fields,
});

describe('EntityResolver', () => {
  describe("a Gateway API canary's HTTPRoute", () => {
    const objects = upstream('gatewayapi-canary-progressing.yaml');
    const canary = find(objects, 'Canary');

    it('is the route owned by the canary', () => {
      const route = find(objects, 'HTTPRoute');
      const resolved = resolverOf([
        canary,
        // Owned, whatever its name.
        withMetadata(route, { name: 'podinfo-owned' }),
        // Another canary's route in the namespace is not this canary's.
        withMetadata(route, {
          name: 'other',
          ownerReferences: [{ kind: 'Canary', name: 'other' }],
        }),
      ]).resolveCanary(CLUSTER, canary);
      expect(refs(resolved.httpRoutes)).toEqual([
        'HTTPRoute test/podinfo-owned',
      ]);
      expect(resolved.virtualService).toBeUndefined();
    });

    it('is found by the apex service name when Flagger set no owner references', () => {
      const route = withMetadata(find(objects, 'HTTPRoute'), {
        ownerReferences: undefined,
      });
      const resolved = resolverOf([canary, route]).resolveCanary(
        CLUSTER,
        canary,
      );
      expect(refs(resolved.httpRoutes)).toEqual(['HTTPRoute test/podinfo']);
    });

    it('is found whatever Gateway API version Flagger wrote it through (v1beta1)', () => {
      const linkerd = upstream('flagger-linkerd-canary.yaml');
      const resolved = resolverOf(linkerd).resolveCanary(
        CLUSTER,
        find(linkerd, 'Canary'),
      );
      expect(refs(resolved.httpRoutes)).toEqual(['HTTPRoute test/podinfo']);
      expect(resolved.httpRoutes[0].apiVersion).toBe(
        'gateway.networking.k8s.io/v1beta1',
      );
    });
  });

  describe('a canary targeting a DaemonSet', () => {
    const objects = upstream('flagger-daemonset-canary.yaml');

    it('resolves its DaemonSet and the primary Flagger made of it', () => {
      const resolved = resolverOf(objects).resolveCanary(
        CLUSTER,
        find(objects, 'Canary'),
      );
      expect(refs([resolved.target, resolved.primary])).toEqual([
        'DaemonSet test/podinfo-ds',
        'DaemonSet test/podinfo-ds-primary',
      ]);
    });

    it('is found from an entity that selects the DaemonSet, with both workloads', () => {
      const daemonSet = withMetadata(find(objects, 'DaemonSet', 'podinfo-ds'), {
        labels: { 'backstage.io/kubernetes-id': 'podinfo-ds' },
      });
      const resolver = resolverOf([
        ...objects.filter(o => o !== find(objects, 'DaemonSet', 'podinfo-ds')),
        daemonSet,
      ]);
      const resolved = resolver.resolve(
        selection({ kubernetesId: 'podinfo-ds' }),
        CLUSTER,
      );
      expect(refs(resolved.canaries.map(c => c.canary))).toEqual([
        'Canary test/podinfo-ds',
      ]);
      expect(refs(resolved.workloads)).toEqual([
        'DaemonSet test/podinfo-ds',
        'DaemonSet test/podinfo-ds-primary',
      ]);
      expect(
        resolver.kubernetesIdsOfCanary(CLUSTER, 'test', 'podinfo-ds'),
      ).toEqual(['podinfo-ds']);
    });
  });

  describe("a canary's MetricTemplates and AlertProviders", () => {
    const objects = upstream('flagger-metrictemplate-alertprovider-refs.yaml');
    const canary = find(objects, 'Canary');

    it('are those its metrics and alerts name, in their namespaces', () => {
      const resolved = resolverOf(objects).resolveCanary(CLUSTER, canary);
      // "404s (canary namespace)" names test/not-found-percentage, which does not exist.
      expect(refs(resolved.metricTemplates)).toEqual([
        'MetricTemplate istio-system/not-found-percentage',
        'MetricTemplate flagger/my-metric',
      ]);
      // "qa Discord" names test/qa-discord, which does not exist.
      expect(refs(resolved.alertProviders)).toEqual([
        'AlertProvider flagger/on-call',
        'AlertProvider test/dev-msteams',
      ]);
    });

    it("default a missing or empty namespace to the canary's", () => {
      const inCanaryNamespace = withMetadata(
        find(objects, 'MetricTemplate', 'not-found-percentage'),
        { namespace: 'test' },
      );
      const discord = withMetadata(find(objects, 'AlertProvider', 'on-call'), {
        name: 'qa-discord',
        namespace: 'test',
      });
      const emptyNamespace = clone(canary);
      (emptyNamespace.spec as any).analysis.alerts[0].providerRef.namespace =
        '';
      (emptyNamespace.spec as any).analysis.alerts[0].providerRef.name =
        'qa-discord';
      const resolver = resolverOf([...objects, inCanaryNamespace, discord]);
      expect(
        refs(resolver.resolveCanary(CLUSTER, canary).metricTemplates),
      ).toContain('MetricTemplate test/not-found-percentage');
      expect(
        refs(resolver.resolveCanary(CLUSTER, emptyNamespace).alertProviders),
      ).toEqual([
        'AlertProvider test/qa-discord',
        'AlertProvider test/dev-msteams',
      ]);
    });
  });

  describe('Flux sources', () => {
    const sources = upstream('flux-helmchart-bucket-externalartifact.yaml');
    const ociStatic = upstream('flux-helmrepository-oci-static.yaml');
    const gitRevision = upstream('flux-ocirepository-git-revision.yaml');
    const store = storeOf([...sources, ...ociStatic, ...gitRevision]);
    const sourcesOf = (kind: string, name: string) =>
      refs(
        fluxSourcesOf(
          store,
          CLUSTER,
          find([...sources, ...gitRevision], kind, name),
        ),
      );

    it('HelmRelease chartRef -> HelmChart -> HelmRepository', () => {
      expect(sourcesOf('HelmRelease', 'podinfo')).toEqual([
        'HelmChart default/podinfo',
        'HelmRepository default/podinfo',
      ]);
    });

    it('Kustomization -> Bucket, ExternalArtifact (not its producer) or OCIRepository', () => {
      expect(sourcesOf('Kustomization', 'minio-apps')).toEqual([
        'Bucket default/minio-bucket',
      ]);
      expect(sourcesOf('Kustomization', 'external-apps')).toEqual([
        'ExternalArtifact flux-system/my-artifact',
      ]);
      expect(sourcesOf('Kustomization', 'app')).toEqual([
        'OCIRepository flux-system/app-config',
      ]);
    });

    it('HelmRelease chart template -> its HelmRepository and the HelmChart named in status.helmChart', () => {
      const release: KubeObject = {
        apiVersion: 'helm.toolkit.fluxcd.io/v2',
        kind: 'HelmRelease',
        metadata: { name: 'podinfo', namespace: 'apps' },
        spec: {
          chart: {
            spec: {
              chart: 'podinfo',
              sourceRef: {
                kind: 'HelmRepository',
                name: 'podinfo',
                namespace: 'default',
              },
            },
          },
        },
        status: { helmChart: 'default/apps-podinfo' },
      };
      const chart = withMetadata(find(sources, 'HelmChart'), {
        name: 'apps-podinfo',
      });
      const chartStore = storeOf([...sources, ...ociStatic, chart]);
      expect(fluxSourceRefs(release).chartRef).toEqual({
        kind: 'HelmChart',
        namespace: 'default',
        name: 'apps-podinfo',
      });
      expect(refs(fluxSourcesOf(chartStore, CLUSTER, release))).toEqual([
        'HelmRepository default/podinfo',
        'HelmChart default/apps-podinfo',
      ]);
      // Before helm-controller wrote the status: the name it gives the chart.
      const fresh = { ...release, status: {} };
      expect(fluxSourceRefs(fresh).chartRef).toEqual(
        fluxSourceRefs(release).chartRef,
      );
      // A release that names its chart with chartRef has no chart template.
      expect(
        fluxSourceRefs(find(sources, 'HelmRelease')).chartRef,
      ).toBeUndefined();
    });

    it('are resolved for an entity through its HelmRelease', () => {
      const release = withMetadata(find(sources, 'HelmRelease'), {
        labels: { 'backstage.io/kubernetes-id': 'podinfo' },
      });
      const resolved = resolverOf([
        ...sources.filter(o => o.kind !== 'HelmRelease'),
        ...ociStatic,
        release,
      ]).resolve(selection({ kubernetesId: 'podinfo' }), CLUSTER);
      expect(refs(resolved.flux)).toEqual([
        'HelmRelease default/podinfo',
        'HelmChart default/podinfo',
        'HelmRepository default/podinfo',
      ]);
    });
  });
});
