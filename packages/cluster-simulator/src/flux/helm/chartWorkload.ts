import { ObjectStore } from '../../api/ObjectStore';
import { applyMergePatch } from '../../api/patch';
import { KubeObject } from '../../types';

/** One install or upgrade of a chart. */
export interface ChartRelease {
  release: string;
  namespace: string;
  chart: string;
  version: string;
  values: Record<string, unknown>;
}

/**
 * What the chart renders: a Deployment and a Service with Helm's and Flux's
 * labels, created or updated in place.
 */
export function installChartWorkload(
  store: ObjectStore,
  hr: KubeObject,
  r: ChartRelease,
): void {
  const name = r.release.includes(r.chart)
    ? r.release
    : `${r.release}-${r.chart}`;
  const labels = {
    'app.kubernetes.io/name': r.chart,
    'app.kubernetes.io/instance': r.release,
    'app.kubernetes.io/managed-by': 'Helm',
    'helm.sh/chart': `${r.chart}-${r.version}`,
    'helm.toolkit.fluxcd.io/name': hr.metadata.name,
    'helm.toolkit.fluxcd.io/namespace': hr.metadata.namespace ?? '',
  };
  const selector = {
    'app.kubernetes.io/name': r.chart,
    'app.kubernetes.io/instance': r.release,
  };
  const port = Number(r.values.port ?? 6379);
  const service: KubeObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: r.namespace, labels },
    spec: {
      type: 'ClusterIP',
      selector,
      ports: [{ name: 'tcp', port, targetPort: 'tcp', protocol: 'TCP' }],
    },
  };
  const deployment = chartDeployment(r, { name, labels, selector, port });
  for (const obj of [deployment, service]) {
    const existing = store.getByKind(
      obj.apiVersion,
      obj.kind,
      r.namespace,
      name,
    );
    if (existing) store.update(applyMergePatch(existing, obj) as KubeObject);
    else store.create(obj);
  }
}

function chartDeployment(
  r: ChartRelease,
  rendered: {
    name: string;
    labels: Record<string, string>;
    selector: Record<string, string>;
    port: number;
  },
): KubeObject {
  const image = r.values.image as
    | { repository?: string; tag?: string }
    | undefined;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: rendered.name,
      namespace: r.namespace,
      labels: rendered.labels,
      annotations: {
        'meta.helm.sh/release-name': r.release,
        'meta.helm.sh/release-namespace': r.namespace,
      },
    },
    spec: {
      replicas: Number(r.values.replicaCount ?? 1),
      selector: { matchLabels: rendered.selector },
      template: {
        metadata: {
          labels: {
            ...rendered.selector,
            'helm.sh/chart': `${r.chart}-${r.version}`,
          },
        },
        spec: {
          containers: [
            {
              name: r.chart,
              image: `${image?.repository ?? `docker.io/library/${r.chart}`}:${
                image?.tag ?? r.version
              }`,
              ports: [{ name: 'tcp', containerPort: rendered.port }],
            },
          ],
        },
      },
    },
  };
}
