import { KubeObject, OwnerReference, ParentReference } from '../types';

/**
 * Canary spec/status types and the objects Flagger (mesh provider istio)
 * generates, following fluxcd/flagger v1.44 (pkg/apis/flagger/v1beta1,
 * pkg/router/istio.go, pkg/router/kubernetes_default.go, pkg/canary/).
 */

export type CanaryPhase =
  | ''
  | 'Initializing'
  | 'Initialized'
  | 'Waiting'
  | 'Progressing'
  | 'WaitingPromotion'
  | 'Promoting'
  | 'Finalising'
  | 'Succeeded'
  | 'Failed';

export interface CanaryWebhook {
  name: string;
  type?: string;
  url: string;
  timeout?: string;
  metadata?: Record<string, string>;
}

export interface CanaryMetric {
  name: string;
  interval?: string;
  thresholdRange?: { min?: number; max?: number };
  templateRef?: { name: string; namespace?: string };
  templateVariables?: Record<string, string>;
}

export interface CanaryAnalysis {
  interval?: string;
  threshold?: number;
  maxWeight?: number;
  stepWeight?: number;
  stepWeights?: number[];
  stepWeightPromotion?: number;
  iterations?: number;
  match?: unknown[];
  mirror?: boolean;
  metrics?: CanaryMetric[];
  webhooks?: CanaryWebhook[];
}

/** Istio's header operations (`service.headers.request|response`). */
export interface HeaderOperations {
  add?: Record<string, string>;
  set?: Record<string, string>;
  remove?: string[];
}

export interface CanaryServiceSpec {
  name?: string;
  port: number;
  targetPort?: number | string;
  portName?: string;
  gateways?: string[];
  /** Gateway API parentRefs (providers gatewayapi:v1 and gatewayapi:v1beta1). */
  gatewayRefs?: ParentReference[];
  hosts?: string[];
  match?: unknown[];
  retries?: unknown;
  timeout?: string;
  backendTimeout?: string;
  headers?: { request?: HeaderOperations; response?: HeaderOperations };
  trafficPolicy?: unknown;
  apex?: {
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  primary?: {
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  canary?: {
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
}

export interface CanarySpec {
  provider?: string;
  targetRef: { apiVersion: string; kind: string; name: string };
  progressDeadlineSeconds?: number;
  service: CanaryServiceSpec;
  analysis?: CanaryAnalysis;
  skipAnalysis?: boolean;
  suspend?: boolean;
}

export interface CanaryCondition {
  type: 'Promoted';
  status: 'True' | 'False' | 'Unknown';
  lastUpdateTime: string;
  lastTransitionTime: string;
  reason: string;
  message: string;
}

export interface CanaryStatus {
  phase?: CanaryPhase;
  canaryWeight?: number;
  failedChecks?: number;
  iterations?: number;
  lastAppliedSpec?: string;
  lastPromotedSpec?: string;
  lastTransitionTime?: string;
  trackedConfigs?: Record<string, string>;
  conditions?: CanaryCondition[];
}

export interface Canary extends KubeObject {
  spec: CanarySpec;
  status?: CanaryStatus;
}

export const FLAGGER_API_VERSION = 'flagger.app/v1beta1';
/** The Istio API version Flagger's client writes. */
export const ISTIO_NETWORKING_VERSION = 'networking.istio.io/v1beta1';

/** apex, primary and canary service names (Canary.GetServiceNames). */
export function serviceNames(canary: Canary) {
  const apex = canary.spec.service.name || canary.spec.targetRef.name;
  return { apex, primary: `${apex}-primary`, canary: `${apex}-canary` };
}

export function controllerRef(canary: Canary): OwnerReference {
  return {
    apiVersion: FLAGGER_API_VERSION,
    kind: 'Canary',
    name: canary.metadata.name,
    uid: canary.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** Labels and annotations Flagger keeps off generated objects (Flux ownership). */
export function withoutToolkitKeys(
  map: Record<string, string> | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(map ?? {})) {
    if (!k.includes('toolkit.fluxcd.io')) out[k] = v;
  }
  return out;
}

/** The label whose value selects the target's pods (Flagger's default: app). */
export const SELECTOR_LABEL = 'app';

type Deployment = KubeObject & {
  spec: {
    replicas?: number;
    selector: { matchLabels: Record<string, string> };
    template: {
      metadata: {
        labels?: Record<string, string>;
        annotations?: Record<string, string>;
      };
      spec: unknown;
    };
  };
};

/** `<target>-primary`: the target's template with the selector label rewritten. */
export function primaryDeployment(
  canary: Canary,
  target: KubeObject,
  replicas?: number,
): KubeObject {
  const t = target as Deployment;
  const primaryName = `${t.metadata.name}-primary`;
  const template = structuredClone(t.spec.template);
  template.metadata.labels = {
    ...(template.metadata.labels ?? {}),
    [SELECTOR_LABEL]: primaryName,
  };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: primaryName,
      namespace: canary.metadata.namespace,
      labels: {
        ...withoutToolkitKeys(t.metadata.labels),
        [SELECTOR_LABEL]: primaryName,
      },
      annotations: withoutToolkitKeys(t.metadata.annotations),
      ownerReferences: [controllerRef(canary)],
    },
    spec: {
      replicas: replicas ?? (t.spec.replicas || 1),
      selector: { matchLabels: { [SELECTOR_LABEL]: primaryName } },
      template,
      strategy: {
        type: 'RollingUpdate',
        rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' },
      },
      progressDeadlineSeconds: 600,
      revisionHistoryLimit: 10,
    },
  };
}

function service(
  canary: Canary,
  name: string,
  selectorValue: string,
  extra:
    | { labels?: Record<string, string>; annotations?: Record<string, string> }
    | undefined,
): KubeObject {
  const svc = canary.spec.service;
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name,
      namespace: canary.metadata.namespace,
      labels: { ...withoutToolkitKeys(extra?.labels), [SELECTOR_LABEL]: name },
      ...(extra?.annotations
        ? { annotations: withoutToolkitKeys(extra.annotations) }
        : {}),
      ownerReferences: [controllerRef(canary)],
    },
    spec: {
      type: 'ClusterIP',
      selector: { [SELECTOR_LABEL]: selectorValue },
      ports: [
        {
          name: svc.portName ?? 'http',
          port: svc.port,
          protocol: 'TCP',
          targetPort: svc.targetPort ?? svc.port,
        },
      ],
    },
  };
}

/** Apex, primary and canary Services (kubernetes_default.go). */
export function generatedServices(canary: Canary): KubeObject[] {
  const names = serviceNames(canary);
  const target = canary.spec.targetRef.name;
  const svc = canary.spec.service;
  return [
    service(canary, names.apex, `${target}-primary`, svc.apex),
    service(canary, names.primary, `${target}-primary`, svc.primary),
    service(canary, names.canary, target, svc.canary),
  ];
}

/** `<apex>-primary` and `<apex>-canary` DestinationRules (istio.go). */
export function generatedDestinationRules(canary: Canary): KubeObject[] {
  const names = serviceNames(canary);
  return [names.canary, names.primary].map(host => ({
    apiVersion: ISTIO_NETWORKING_VERSION,
    kind: 'DestinationRule',
    metadata: {
      name: host,
      namespace: canary.metadata.namespace,
      ownerReferences: [controllerRef(canary)],
    },
    spec: {
      host,
      ...(canary.spec.service.trafficPolicy
        ? { trafficPolicy: canary.spec.service.trafficPolicy }
        : {}),
    },
  }));
}

/** One weighted HTTP route to the primary and canary service hosts. */
export function weightedRoutes(
  canary: Canary,
  primaryWeight: number,
  canaryWeight: number,
): unknown[] {
  const names = serviceNames(canary);
  const svc = canary.spec.service;
  const route = (match: unknown[] | undefined, destinations: unknown[]) => ({
    ...(match && match.length ? { match } : {}),
    ...(svc.timeout ? { timeout: svc.timeout } : {}),
    ...(svc.retries ? { retries: svc.retries } : {}),
    route: destinations,
  });
  const dest = (host: string, weight: number) => ({
    destination: { host },
    weight,
  });
  const abMatch = canary.spec.analysis?.match;
  if (abMatch && abMatch.length > 0) {
    return [
      route(abMatch, [
        dest(names.primary, primaryWeight),
        dest(names.canary, canaryWeight),
      ]),
      route(svc.match, [dest(names.primary, primaryWeight)]),
    ];
  }
  return [
    route(svc.match, [
      dest(names.primary, primaryWeight),
      dest(names.canary, canaryWeight),
    ]),
  ];
}

/** The VirtualService `<apex>` (istio.go reconcileVirtualService). */
export function generatedVirtualService(
  canary: Canary,
  primaryWeight = 100,
  canaryWeight = 0,
): KubeObject {
  const names = serviceNames(canary);
  const svc = canary.spec.service;
  const hosts = [...(svc.hosts ?? [])];
  if (!hosts.includes(names.apex) && !hosts.includes('*'))
    hosts.push(names.apex);
  const gateways = [...(svc.gateways ?? [])];
  if (gateways.length === 0) gateways.push('mesh');
  return {
    apiVersion: ISTIO_NETWORKING_VERSION,
    kind: 'VirtualService',
    metadata: {
      name: names.apex,
      namespace: canary.metadata.namespace,
      labels: withoutToolkitKeys(svc.apex?.labels),
      annotations: withoutToolkitKeys(svc.apex?.annotations),
      ownerReferences: [controllerRef(canary)],
    },
    spec: {
      hosts,
      gateways,
      http: weightedRoutes(canary, primaryWeight, canaryWeight),
    },
  };
}

/** Reads (primary, canary) weights the way Flagger's GetRoutes does. */
export function readRoutes(
  canary: Canary,
  virtualService: KubeObject | undefined,
): { primary: number; canary: number } {
  const names = serviceNames(canary);
  const http =
    (
      virtualService?.spec as {
        http?: Array<{
          route?: Array<{ destination: { host: string }; weight?: number }>;
        }>;
      }
    )?.http ?? [];
  const route = http.find(h =>
    (h.route ?? []).some(r => r.destination.host === names.canary),
  );
  let primary = 0;
  let canaryWeight = 0;
  for (const r of route?.route ?? []) {
    if (r.destination.host === names.primary) primary = r.weight ?? 0;
    if (r.destination.host === names.canary) canaryWeight = r.weight ?? 0;
  }
  return { primary, canary: canaryWeight };
}
