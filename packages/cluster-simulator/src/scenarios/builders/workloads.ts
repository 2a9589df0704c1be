import { KubeObject } from '../../types';
import { Health, healthAnnotations } from '../../util/simulatedHealth';
import { KUBERNETES_ID_LABEL, kubeObject } from './objects';

/** An application's Deployment, its ConfigMap and autoscaler. */

export interface AppOptions {
  namespace: string;
  name: string;
  kubernetesId: string;
  image: string;
  tag: string;
  port: number;
  /** Replicas of the primary (as an autoscaler keeps them); manifests leave replicas unset. */
  replicas?: number;
  health: Health;
  /** Data of a `<name>-config` ConfigMap the pods read through envFrom (tracked by Flagger). */
  config?: Record<string, string>;
}

export function appConfigMap(o: AppOptions): KubeObject {
  return kubeObject(
    'v1',
    'ConfigMap',
    {
      name: `${o.name}-config`,
      namespace: o.namespace,
      labels: { app: o.name, [KUBERNETES_ID_LABEL]: o.kubernetesId },
    },
    { data: o.config ?? {} },
  );
}

/** The application Deployment a Canary targets. */
export function appDeployment(o: AppOptions): KubeObject {
  const labels = {
    app: o.name,
    [KUBERNETES_ID_LABEL]: o.kubernetesId,
    'app.kubernetes.io/name': o.name,
  };
  const metadata = {
    name: o.name,
    namespace: o.namespace,
    labels: { ...labels, 'app.kubernetes.io/version': o.tag },
  };
  // No replicas: Flagger scales the target, and Flux must not revert it.
  return kubeObject('apps/v1', 'Deployment', metadata, {
    spec: {
      selector: { matchLabels: { app: o.name } },
      template: {
        metadata: {
          labels,
          annotations: {
            'prometheus.io/scrape': 'true',
            'prometheus.io/port': String(o.port),
            ...healthAnnotations(o.health),
          },
        },
        spec: {
          containers: [
            {
              name: o.name,
              image: `${o.image}:${o.tag}`,
              ports: [{ name: 'http', containerPort: o.port, protocol: 'TCP' }],
              ...(o.config
                ? { envFrom: [{ configMapRef: { name: `${o.name}-config` } }] }
                : {}),
              readinessProbe: { httpGet: { path: '/readyz', port: o.port } },
              resources: {
                requests: { cpu: '100m', memory: '64Mi' },
                limits: { cpu: '500m', memory: '256Mi' },
              },
            },
          ],
        },
      },
    },
  });
}

export function horizontalPodAutoscaler(
  ns: string,
  name: string,
  kubernetesId: string,
): KubeObject {
  const metadata = {
    name,
    namespace: ns,
    labels: { app: name, [KUBERNETES_ID_LABEL]: kubernetesId },
  };
  return kubeObject('autoscaling/v2', 'HorizontalPodAutoscaler', metadata, {
    spec: {
      scaleTargetRef: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: `${name}-primary`,
      },
      minReplicas: 2,
      maxReplicas: 6,
      metrics: [
        {
          type: 'Resource',
          resource: {
            name: 'cpu',
            target: { type: 'Utilization', averageUtilization: 75 },
          },
        },
      ],
    },
    status: { currentReplicas: 2, desiredReplicas: 2 },
  });
}
