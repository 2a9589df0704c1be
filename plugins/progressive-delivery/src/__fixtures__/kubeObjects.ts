// Kubernetes objects of the demo tenants, shaped after the project's reference examples
// (Flagger v1.44, Flux v2.9 and Istio 1.30 CRDs and status blocks; see README.md here).
import {
  KubeEvent,
  KubeObject,
} from '@progressive-delivery/plugin-progressive-delivery-common';

interface CanaryOptions {
  namespace: string;
  name: string;
  interval: string;
  threshold: number;
  analysis: Record<string, unknown>;
  gates?: Array<{ name: string; type: string }>;
  status: Record<string, unknown>;
}

export function canary(options: CanaryOptions): KubeObject {
  const loadtester = `http://flagger-loadtester.${options.namespace}`;
  return {
    apiVersion: 'flagger.app/v1beta1',
    kind: 'Canary',
    metadata: {
      name: options.name,
      namespace: options.namespace,
      labels: {
        'backstage.io/kubernetes-id': options.name,
        'kustomize.toolkit.fluxcd.io/name': `${options.namespace}-apps`,
        'kustomize.toolkit.fluxcd.io/namespace': 'flux-system',
      },
    },
    spec: {
      targetRef: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: options.name,
      },
      service: { port: 9898 },
      analysis: {
        interval: options.interval,
        threshold: options.threshold,
        ...options.analysis,
        metrics: [
          {
            name: 'request-success-rate',
            thresholdRange: { min: 99 },
            interval: '1m',
          },
          {
            name: 'latency',
            templateRef: { name: 'latency', namespace: 'istio-system' },
            thresholdRange: { max: 500 },
            interval: '30s',
          },
        ],
        webhooks: [
          ...(options.gates ?? []).map(gate => ({
            name: gate.name,
            type: gate.type,
            url: `${loadtester}/${
              gate.type === 'rollback' ? 'rollback' : 'gate'
            }/check`,
          })),
          {
            name: 'load-test',
            type: 'rollout',
            url: `${loadtester}/`,
            metadata: {
              cmd: `hey -z 1m -q 10 -c 2 http://${options.name}-canary.${options.namespace}:9898/`,
            },
          },
        ],
      },
    },
    status: options.status,
  };
}

export function kustomization(options: {
  name: string;
  source: string;
  status: Record<string, unknown>;
  suspend?: boolean;
}): KubeObject {
  return {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: { name: options.name, namespace: 'flux-system', generation: 4 },
    spec: {
      interval: '10m',
      sourceRef: { kind: 'GitRepository', name: options.source },
      path: './apps',
      prune: true,
      ...(options.suspend && { suspend: true }),
    },
    status: options.status,
  };
}

export function readyConditions(revision: string, at: string) {
  return {
    observedGeneration: 4,
    lastAppliedRevision: revision,
    lastAttemptedRevision: revision,
    lastHandledReconcileAt: at,
    conditions: [
      {
        type: 'Ready',
        status: 'True',
        reason: 'ReconciliationSucceeded',
        message: `Applied revision: ${revision}`,
        observedGeneration: 4,
        lastTransitionTime: at,
      },
      {
        type: 'Healthy',
        status: 'True',
        reason: 'Succeeded',
        message: 'Health check passed in 3.1s',
        observedGeneration: 4,
        lastTransitionTime: at,
      },
    ],
  };
}

export function gitRepository(
  name: string,
  url: string,
  revision: string,
  at: string,
): KubeObject {
  return {
    apiVersion: 'source.toolkit.fluxcd.io/v1',
    kind: 'GitRepository',
    metadata: { name, namespace: 'flux-system', generation: 1 },
    spec: { interval: '1m', url, ref: { branch: 'main' } },
    status: {
      observedGeneration: 1,
      artifact: { revision, lastUpdateTime: at },
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'Succeeded',
          message: `stored artifact for revision '${revision}'`,
          observedGeneration: 1,
          lastTransitionTime: at,
        },
      ],
    },
  };
}

export function virtualService(
  namespace: string,
  name: string,
  canaryWeight: number,
): KubeObject {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: { name, namespace },
    spec: {
      hosts: [name],
      gateways: ['mesh'],
      http: [
        {
          route: [
            {
              destination: { host: `${name}-primary` },
              weight: 100 - canaryWeight,
            },
            { destination: { host: `${name}-canary` }, weight: canaryWeight },
          ],
        },
      ],
    },
  };
}

export function destinationRules(
  namespace: string,
  name: string,
): KubeObject[] {
  return ['primary', 'canary'].map(suffix => ({
    apiVersion: 'networking.istio.io/v1',
    kind: 'DestinationRule',
    metadata: { name: `${name}-${suffix}`, namespace },
    spec: { host: `${name}-${suffix}` },
  }));
}

export function peerAuthentication(
  namespace: string,
  mode: string,
): KubeObject {
  return {
    apiVersion: 'security.istio.io/v1',
    kind: 'PeerAuthentication',
    metadata: { name: 'default', namespace },
    spec: { mtls: { mode } },
  };
}

export function authorizationPolicy(namespace: string): KubeObject {
  return {
    apiVersion: 'security.istio.io/v1',
    kind: 'AuthorizationPolicy',
    metadata: { name: 'allow-same-tenant', namespace },
    spec: {
      action: 'ALLOW',
      rules: [
        { from: [{ source: { namespaces: [namespace, 'istio-system'] } }] },
      ],
    },
  };
}

export function deployment(
  namespace: string,
  name: string,
  image: string,
): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: {
      replicas: 2,
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'app', image }] },
      },
    },
    status: { replicas: 2, readyReplicas: 2, updatedReplicas: 2 },
  };
}

/** Flagger events, oldest first as `kubectl get events` lists them; messages as Flagger writes them. */
export function flaggerEvents(
  namespace: string,
  name: string,
  entries: Array<[time: string, message: string, type?: 'Warning']>,
): KubeEvent[] {
  return entries.map(([time, message, type], index) => ({
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `${name}.${index}`, namespace },
    involvedObject: {
      apiVersion: 'flagger.app/v1beta1',
      kind: 'Canary',
      name,
      namespace,
    },
    reason: 'Synced',
    message,
    type: type ?? 'Normal',
    count: 1,
    firstTimestamp: time,
    lastTimestamp: time,
    source: { component: 'flagger' },
  }));
}
