// Delivery states as the backend assembles them: the demo's Kubernetes objects run through the
// same derivations (from -common) that the backend uses.
import {
  CanaryProgress,
  CanaryState,
  CanarySummary,
  ClusterDeliveryState,
  EntityDeliveryState,
  FluxReadiness,
  FluxResource,
  IstioRoute,
  IstioRouting,
  KubeObject,
  ObjectRef,
  WorkloadSummary,
  currentRolloutEvents,
  deriveCanaryEvents,
  deriveCanaryProgress,
  deriveFluxReadiness,
  deriveIstioRouting,
  deriveWorkloadSummary,
} from '@progressive-delivery/plugin-progressive-delivery-common';
import {
  authorizationPolicy,
  canary,
  deployment,
  destinationRules,
  flaggerEvents,
  gitRepository,
  kustomization,
  peerAuthentication,
  readyConditions,
  virtualService,
} from './kubeObjects';
import {
  abTestingCanary,
  analysisRefsCanary,
  blueGreenLastIterationCanary,
  daemonSetCanary,
  failedPromotionCanary,
  gatewayApiCanary,
  mirroringCanary,
  nginxCanary,
  NOT_FOUND_QUERY,
  sessionAffinityCanary,
} from './upstreamCanaries';

export const NOW = new Date('2026-11-22T10:00:00Z');
const REVISION_A = 'main@sha1:4f2e9c1a7b3d5e6f8091a2b3c4d5e6f708192a3b';
const REVISION_B = 'main@sha1:9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c';

function fluxResource(cluster: string, object: KubeObject): FluxResource {
  const spec = object.spec as {
    sourceRef?: { kind: string; name: string };
    url?: string;
  };
  const namespace = object.metadata?.namespace ?? '';
  return {
    ref: {
      cluster,
      kind: object.kind ?? '',
      namespace,
      name: object.metadata?.name ?? '',
    },
    apiVersion: object.apiVersion ?? '',
    ...(spec.sourceRef && {
      sourceRef: {
        cluster,
        kind: spec.sourceRef.kind,
        namespace,
        name: spec.sourceRef.name,
      },
    }),
    ...(spec.url && { url: spec.url }),
    readiness: deriveFluxReadiness(object),
  };
}

function canaryState(
  cluster: string,
  object: KubeObject,
  options: {
    events: ReturnType<typeof flaggerEvents>;
    canaryWeight: number;
    mtls: string;
  },
): CanaryState {
  const namespace = object.metadata?.namespace ?? '';
  const name = object.metadata?.name ?? '';
  const events = deriveCanaryEvents([...options.events].reverse());
  return {
    ref: { cluster, kind: 'Canary', namespace, name },
    target: { kind: 'Deployment', name },
    progress: deriveCanaryProgress(object, { events, now: NOW }),
    fluxOwner: {
      cluster,
      kind: 'Kustomization',
      namespace: 'flux-system',
      name: `${namespace}-apps`,
    },
    routing: deriveIstioRouting({
      canary: object,
      virtualService: virtualService(namespace, name, options.canaryWeight),
      destinationRules: destinationRules(namespace, name),
      workloadLabels: { app: `${name}-primary` },
      peerAuthentications: [peerAuthentication(namespace, options.mtls)],
      authorizationPolicies: [authorizationPolicy(namespace)],
    }),
    events: currentRolloutEvents(events),
  };
}

/** An entity found in one healthy cluster. */
function inOneCluster(
  entityRef: string,
  cluster: ClusterDeliveryState['cluster'],
  parts: Pick<ClusterDeliveryState, 'canaries' | 'workloads' | 'flux'>,
): EntityDeliveryState {
  return {
    entityRef,
    generatedAt: NOW.toISOString(),
    clusters: [
      { cluster, state: 'synced', errors: [], notInstalled: [], ...parts },
    ],
  };
}

const PODINFO_STEPS: Array<[string, string]> = [
  [
    '2026-11-22T09:55:00Z',
    'New revision detected! Scaling up podinfo.tenant-a',
  ],
  ['2026-11-22T09:56:00Z', 'Starting canary analysis for podinfo.tenant-a'],
  ['2026-11-22T09:57:00Z', 'Advance podinfo.tenant-a canary weight 5'],
  ['2026-11-22T09:58:00Z', 'Advance podinfo.tenant-a canary weight 10'],
  ['2026-11-22T09:59:00Z', 'Advance podinfo.tenant-a canary weight 15'],
  ['2026-11-22T10:00:00Z', 'Advance podinfo.tenant-a canary weight 20'],
];

/**
 * podinfo in prod-eu-1 (tenant-a, production profile: 60s interval, 5% steps to 20%, a
 * confirm-promotion gate), at the given canary weight; `waitingPromotion` is the state after the
 * last step, halted at the gate. `approvedRollout` adds a confirm-rollout gate that a person
 * opened before the analysis started; `suspended` suspends its Kustomization.
 */
export function podinfoState(
  options: {
    canaryWeight?: number;
    waitingPromotion?: boolean;
    failedChecks?: number;
    approvedRollout?: boolean;
    suspended?: boolean;
  } = {},
): EntityDeliveryState {
  const canaryWeight = options.waitingPromotion
    ? 20
    : options.canaryWeight ?? 10;
  const cluster = 'prod-eu-1';
  const steps = PODINFO_STEPS.slice(0, 2 + canaryWeight / 5);
  const entries: Array<[string, string, 'Warning'?]> = [...steps];
  if (options.approvedRollout) {
    entries.splice(
      1,
      0,
      [
        '2026-11-22T09:55:00Z',
        'Halt podinfo.tenant-a advancement waiting for approval rollout-gate',
        'Warning',
      ],
      ['2026-11-22T09:56:00Z', 'Confirm-rollout check rollout-gate passed'],
    );
  }
  if (options.waitingPromotion) {
    entries.push([
      '2026-11-22T10:01:00Z',
      'Halt podinfo.tenant-a advancement waiting for promotion approval promotion-gate',
      'Warning',
    ]);
  }
  const object = canary({
    namespace: 'tenant-a',
    name: 'podinfo',
    interval: '60s',
    threshold: 5,
    analysis: { stepWeight: 5, maxWeight: 20 },
    gates: [
      ...(options.approvedRollout
        ? [{ name: 'rollout-gate', type: 'confirm-rollout' }]
        : []),
      { name: 'promotion-gate', type: 'confirm-promotion' },
      { name: 'rollback-gate', type: 'rollback' },
    ],
    status: {
      phase: options.waitingPromotion ? 'WaitingPromotion' : 'Progressing',
      canaryWeight,
      failedChecks: options.failedChecks ?? 0,
      iterations: 0,
      lastAppliedSpec: '7c9d8f6b5',
      lastPromotedSpec: '5f4d7c8b9',
      lastTransitionTime: '2026-11-22T09:58:00Z',
      conditions: [
        {
          type: 'Promoted',
          status: 'Unknown',
          reason: 'Progressing',
          message: 'New revision detected, progressing canary analysis.',
          lastTransitionTime: '2026-11-22T09:55:00Z',
        },
      ],
    },
  });
  const prod: ClusterDeliveryState = {
    cluster,
    state: 'synced',
    errors: [],
    notInstalled: [],
    canaries: [
      canaryState(cluster, object, {
        events: flaggerEvents('tenant-a', 'podinfo', entries),
        canaryWeight,
        mtls: 'STRICT',
      }),
    ],
    workloads: [
      deriveWorkloadSummary(
        cluster,
        deployment('tenant-a', 'podinfo', 'ghcr.io/stefanprodan/podinfo:6.7.1'),
      ),
      deriveWorkloadSummary(
        cluster,
        deployment(
          'tenant-a',
          'podinfo-primary',
          'ghcr.io/stefanprodan/podinfo:6.7.0',
        ),
      ),
    ],
    flux: [
      fluxResource(
        cluster,
        kustomization({
          name: 'tenant-a-apps',
          source: 'tenant-a',
          status: readyConditions(REVISION_A, '2026-11-22T09:54:30Z'),
          suspend: options.suspended,
        }),
      ),
      fluxResource(
        cluster,
        gitRepository(
          'tenant-a',
          'https://git.example.com/tenant-a/gitops.git',
          REVISION_A,
          '2026-11-22T09:54:00Z',
        ),
      ),
    ],
  };
  return {
    entityRef: 'component:default/podinfo',
    generatedAt: new Date(NOW.getTime() + canaryWeight * 1000).toISOString(),
    clusters: [prod],
  };
}

/** podinfo with a second cluster that cannot be reached. */
export function podinfoWithUnreachableCluster(): EntityDeliveryState {
  const state = podinfoState();
  state.clusters.push({
    cluster: 'dev-eu-1',
    state: 'error',
    errors: [
      {
        errorType: 'UNREACHABLE',
        message: 'connect ECONNREFUSED 127.0.0.1:6444',
        kind: 'Canary',
        verb: 'list',
      },
    ],
    notInstalled: [],
    canaries: [],
    workloads: [],
    flux: [],
  });
  return state;
}

/** checkout in dev-eu-1 (tenant-b, development profile: 30s interval, 10% steps to 50%). */
export function checkoutState(): EntityDeliveryState {
  const cluster = 'dev-eu-1';
  const object = canary({
    namespace: 'tenant-b',
    name: 'checkout',
    interval: '30s',
    threshold: 2,
    analysis: { stepWeight: 10, maxWeight: 50 },
    status: {
      phase: 'Progressing',
      canaryWeight: 30,
      failedChecks: 1,
      iterations: 0,
      lastAppliedSpec: '6d5c4b3a2',
      lastPromotedSpec: '1a2b3c4d5',
      lastTransitionTime: '2026-11-22T09:59:00Z',
    },
  });
  return inOneCluster('component:default/checkout', cluster, {
    canaries: [
      canaryState(cluster, object, {
        events: flaggerEvents('tenant-b', 'checkout', [
          [
            '2026-11-22T09:58:00Z',
            'New revision detected! Scaling up checkout.tenant-b',
          ],
          [
            '2026-11-22T09:58:30Z',
            'Advance checkout.tenant-b canary weight 10',
          ],
          [
            '2026-11-22T09:59:00Z',
            'Advance checkout.tenant-b canary weight 20',
          ],
          [
            '2026-11-22T09:59:30Z',
            'Advance checkout.tenant-b canary weight 30',
          ],
          [
            '2026-11-22T10:00:00Z',
            'Halt checkout.tenant-b advancement latency 712.00 > 500',
            'Warning',
          ],
        ]),
        canaryWeight: 30,
        mtls: 'PERMISSIVE',
      }),
    ],
    workloads: [],
    flux: [
      fluxResource(
        cluster,
        kustomization({
          name: 'tenant-b-apps',
          source: 'tenant-b',
          status: readyConditions(REVISION_B, '2026-11-22T09:57:00Z'),
        }),
      ),
      fluxResource(
        cluster,
        gitRepository(
          'tenant-b',
          'https://git.example.com/tenant-b/gitops.git',
          REVISION_B,
          '2026-11-22T09:56:00Z',
        ),
      ),
    ],
  });
}

/** payments in dev-eu-1: analysis failed and rolled back; the Kustomization's health check fails. */
export function paymentsState(): EntityDeliveryState {
  const cluster = 'dev-eu-1';
  const object = canary({
    namespace: 'tenant-b',
    name: 'payments',
    interval: '30s',
    threshold: 2,
    analysis: { stepWeight: 10, maxWeight: 50 },
    status: {
      phase: 'Failed',
      canaryWeight: 0,
      failedChecks: 2,
      iterations: 0,
      lastAppliedSpec: '8e7f6a5b4',
      lastPromotedSpec: '3c2d1e0f9',
      lastTransitionTime: '2026-11-22T09:59:00Z',
    },
  });
  return inOneCluster('component:default/payments', cluster, {
    canaries: [
      canaryState(cluster, object, {
        events: flaggerEvents('tenant-b', 'payments', [
          [
            '2026-11-22T09:57:00Z',
            'New revision detected! Scaling up payments.tenant-b',
          ],
          [
            '2026-11-22T09:57:30Z',
            'Advance payments.tenant-b canary weight 10',
          ],
          [
            '2026-11-22T09:58:00Z',
            'Halt payments.tenant-b advancement success rate 69.17% < 99%',
            'Warning',
          ],
          [
            '2026-11-22T09:58:30Z',
            'Halt payments.tenant-b advancement success rate 71.02% < 99%',
            'Warning',
          ],
          [
            '2026-11-22T09:59:00Z',
            'Rolling back payments.tenant-b failed checks threshold reached 2',
            'Warning',
          ],
          [
            '2026-11-22T09:59:00Z',
            'Canary failed! Scaling down payments.tenant-b',
            'Warning',
          ],
        ]),
        canaryWeight: 0,
        mtls: 'STRICT',
      }),
    ],
    workloads: [],
    flux: [
      fluxResource(
        cluster,
        kustomization({
          name: 'tenant-b-apps',
          source: 'tenant-b',
          status: {
            observedGeneration: 4,
            lastAppliedRevision: REVISION_A,
            lastAttemptedRevision: REVISION_B,
            conditions: [
              {
                type: 'Ready',
                status: 'False',
                reason: 'HealthCheckFailed',
                message:
                  "health check failed after 1m0.01s: timeout waiting for: [Deployment/tenant-b/payments status: 'InProgress']",
                observedGeneration: 4,
                lastTransitionTime: '2026-11-22T09:59:30Z',
              },
              {
                type: 'Healthy',
                status: 'False',
                reason: 'HealthCheckFailed',
                message:
                  "timeout waiting for: [Deployment/tenant-b/payments status: 'InProgress']",
                observedGeneration: 4,
                lastTransitionTime: '2026-11-22T09:59:30Z',
              },
            ],
          },
        }),
      ),
    ],
  });
}

/** A blue/green canary (Kubernetes provider, 10 iterations) at iteration 3. */
export function blueGreenState(): EntityDeliveryState {
  const cluster = 'prod-eu-1';
  const object = canary({
    namespace: 'tenant-a',
    name: 'frontend',
    interval: '30s',
    threshold: 3,
    analysis: { iterations: 10 },
    status: {
      phase: 'Progressing',
      canaryWeight: 0,
      failedChecks: 0,
      iterations: 3,
      lastAppliedSpec: 'a1b2c3d4e',
      lastPromotedSpec: 'e4d3c2b1a',
    },
  });
  return inOneCluster('component:default/frontend', cluster, {
    canaries: [
      canaryState(cluster, object, {
        events: flaggerEvents('tenant-a', 'frontend', [
          [
            '2026-11-22T09:58:00Z',
            'New revision detected! Scaling up frontend.tenant-a',
          ],
        ]),
        canaryWeight: 0,
        mtls: 'STRICT',
      }),
    ],
    workloads: [],
    flux: [],
  });
}

/** An entity without any resolving annotation. */
export function noAnnotationsState(): EntityDeliveryState {
  return {
    entityRef: 'component:default/legacy-batch',
    generatedAt: NOW.toISOString(),
    explanation: {
      reason: 'noAnnotations',
      message:
        'The entity has none of the annotations that link it to cluster objects.',
      annotations: [
        'backstage.io/kubernetes-id',
        'backstage.io/kubernetes-label-selector',
        'progressive-delivery/canary',
      ],
    },
    clusters: [],
  };
}

function summaries(state: EntityDeliveryState): CanarySummary[] {
  return state.clusters.flatMap(c =>
    c.canaries.map(item => ({
      ref: item.ref,
      entityRefs: [state.entityRef],
      target: item.target,
      progress: item.progress,
    })),
  );
}

/** The fleet: every demo canary. */
export function fleetCanaries(): CanarySummary[] {
  return [
    ...summaries(podinfoState()),
    ...summaries(blueGreenState()),
    ...summaries(checkoutState()),
    ...summaries(paymentsState()),
  ];
}

// States of the common package's upstream fixtures (src/__fixtures__/upstream/<file>.yaml there;
// each file's header names its origin and the reading a correct UI must show). The progress comes
// from the same derivation the backend runs, fed with the router's weights as the backend does; the
// routing and the resolved references are written out as the derivations read those files.

const UPSTREAM_CLUSTER = 'prod-eu-1';

/** A destination of a route; the role follows Flagger's `-primary` / `-canary` service names. */
function destination(
  host: string,
  weight: number,
): IstioRoute['destinations'][number] {
  let role: IstioRoute['destinations'][number]['role'] = 'other';
  if (host.endsWith('-primary')) role = 'primary';
  else if (host.endsWith('-canary')) role = 'canary';
  return { host, weight, role };
}

/** A route to the primary and the canary service of `podinfo`. */
function podinfoRoute(
  primary: number,
  canaryShare: number,
  extra: Partial<IstioRoute> = {},
): IstioRoute {
  return {
    protocol: 'http',
    match: false,
    matches: [],
    destinations: [
      destination('podinfo-primary', primary),
      destination('podinfo-canary', canaryShare),
    ],
    ...extra,
  };
}

function httpRoute(namespace: string): IstioRouting['router'] {
  return {
    kind: 'HTTPRoute',
    apiVersion: 'gateway.networking.k8s.io/v1',
    namespace,
    name: 'podinfo',
    hosts: ['www.example.com'],
    gateways: ['istio-ingress/gateway'],
  };
}

function virtualServiceRouter(
  gateways: string[] = ['mesh'],
  hosts: string[] = ['podinfo'],
): IstioRouting['router'] {
  return {
    kind: 'VirtualService',
    apiVersion: 'networking.istio.io/v1',
    namespace: 'test',
    name: 'podinfo',
    hosts,
    gateways,
  };
}

/** Routing with the default route's weights taken from the route that carries no match. */
function routingOf(
  parts: Pick<IstioRouting, 'router' | 'routes'> & Partial<IstioRouting>,
): IstioRouting {
  const weighted =
    parts.routes.find(r => !r.match && !r.sticky) ?? parts.routes[0];
  const weightOf = (role: string) =>
    weighted?.destinations.find(d => d.role === role)?.weight ?? 0;
  return {
    primaryWeight: weightOf('primary'),
    canaryWeight: weightOf('canary'),
    mirrored: false,
    destinationRules: [
      { name: 'podinfo-primary', host: 'podinfo-primary' },
      { name: 'podinfo-canary', host: 'podinfo-canary' },
    ],
    mtlsMode: 'STRICT',
    mtlsSource: 'namespace',
    policies: [],
    problems: [],
    ...parts,
  };
}

/** One canary of an upstream fixture as the backend assembles it. */
function upstreamState(
  entity: string,
  object: KubeObject,
  options: {
    routing?: IstioRouting;
    progress?: Partial<CanaryProgress>;
    workloads?: WorkloadSummary[];
    flux?: FluxResource[];
    fluxOwner?: ObjectRef;
    events?: Array<[string, string, 'Warning'?]>;
  } = {},
): EntityDeliveryState {
  const { routing } = options;
  const namespace = object.metadata?.namespace ?? '';
  const name = object.metadata?.name ?? '';
  const spec = object.spec as {
    provider?: string;
    targetRef: { kind: string; name: string };
  };
  const events = deriveCanaryEvents(
    [...flaggerEvents(namespace, name, options.events ?? [])].reverse(),
  );
  const derived = deriveCanaryProgress(object, {
    events,
    now: NOW,
    mirrored: routing?.mirrored,
    routedWeights: routing && {
      primary: routing.primaryWeight,
      canary: routing.canaryWeight,
    },
  });
  const upstreamCanary: CanaryState = {
    ref: { cluster: UPSTREAM_CLUSTER, kind: 'Canary', namespace, name },
    target: { kind: spec.targetRef.kind, name: spec.targetRef.name },
    progress: {
      provider: spec.provider,
      ...derived,
      ...options.progress,
    },
    fluxOwner: options.fluxOwner,
    routing,
    events: currentRolloutEvents(events),
  };
  return inOneCluster(`component:default/${entity}`, UPSTREAM_CLUSTER, {
    canaries: [upstreamCanary],
    workloads: options.workloads ?? [],
    flux: options.flux ?? [],
  });
}

/** gatewayapi-canary-progressing.yaml: primary 80 / canary 20 read from HTTPRoute test/podinfo. */
export function gatewayApiState(): EntityDeliveryState {
  return upstreamState('podinfo-gateway', gatewayApiCanary, {
    routing: routingOf({
      router: httpRoute('test'),
      routes: [podinfoRoute(80, 20)],
    }),
  });
}

/**
 * gatewayapi-ab-testing.yaml: requests with header x-canary = insider go to the canary (rule 0),
 * all others to the primary (rule 1); iteration 4 of 10.
 */
export function abTestingState(): EntityDeliveryState {
  return upstreamState('podinfo-ab', abTestingCanary, {
    routing: routingOf({
      router: httpRoute('ab-test'),
      routes: [
        podinfoRoute(0, 100, {
          match: true,
          matches: ['header x-canary = insider'],
        }),
        {
          protocol: 'http',
          match: false,
          matches: [],
          destinations: [destination('podinfo-primary', 100)],
        },
      ],
      canaryMatches: ['header x-canary = insider'],
    }),
  });
}

/**
 * gatewayapi-session-affinity.yaml: primary 90 / canary 10 from the weighted rule; the sticky
 * rules (canary and primary cookie) are not the split.
 */
export function sessionAffinityState(): EntityDeliveryState {
  return upstreamState('podinfo-sticky', sessionAffinityCanary, {
    routing: routingOf({
      router: httpRoute('sa-test'),
      routes: [
        podinfoRoute(0, 100, {
          match: true,
          sticky: true,
          matches: ['cookie ~ .*canary-flagger-cookie.*LpsIaLdoNZ.*'],
        }),
        podinfoRoute(100, 0, {
          match: true,
          sticky: true,
          matches: ['cookie ~ .*primary-flagger-cookie.*ApvLdqCoMF.*'],
        }),
        podinfoRoute(90, 10),
      ],
      sessionAffinity: { cookieName: 'canary-flagger-cookie' },
    }),
  });
}

/** istio-mirroring.yaml: live split 100/0 while 100% of requests are mirrored; iteration 3 of 10. */
export function mirroringState(): EntityDeliveryState {
  return upstreamState('podinfo-mirror', mirroringCanary, {
    routing: routingOf({
      router: virtualServiceRouter(
        ['istio-system/public-gateway'],
        ['app.example.com', 'podinfo'],
      ),
      routes: [
        podinfoRoute(100, 0, {
          mirror: { host: 'podinfo-canary', percentage: 100 },
        }),
      ],
      mirrored: true,
      mirrorPercentage: 100,
    }),
  });
}

/** istio-bluegreen-last-iteration.yaml: all traffic switched to the canary, status.iterations 6 of 5. */
export function blueGreenLastIterationState(): EntityDeliveryState {
  return upstreamState('podinfo-bluegreen', blueGreenLastIterationCanary, {
    routing: routingOf({
      router: virtualServiceRouter(),
      routes: [podinfoRoute(0, 100)],
    }),
    events: [
      ['2026-08-10T10:00:50Z', 'Advance podinfo.test canary iteration 5/5'],
      ['2026-08-10T10:01:00Z', 'Routing all traffic to canary'],
    ],
  });
}

/** istio-failed-promotion.yaml: Failed, with all traffic left on the canary (primary not ready). */
export function failedPromotionState(): EntityDeliveryState {
  return upstreamState('podinfo-failed-promotion', failedPromotionCanary, {
    routing: routingOf({
      router: virtualServiceRouter(),
      routes: [podinfoRoute(0, 100)],
    }),
    events: [
      [
        '2026-08-10T10:03:00Z',
        'Copying podinfo.test template spec to podinfo-primary.test',
      ],
      [
        '2026-08-10T10:04:00Z',
        'Promotion of podinfo.test failed, primary not ready: podinfo-primary.test not ready: deployment "podinfo-primary" exceeded its progress deadline',
        'Warning',
      ],
    ],
  });
}

/** flagger-nginx-canary.yaml: no router object is read; the split comes from status.canaryWeight. */
export function nginxState(): EntityDeliveryState {
  return upstreamState('podinfo-nginx', nginxCanary);
}

/** flagger-daemonset-canary.yaml: a DaemonSet target, provider kubernetes, iteration 2 of 5. */
export function daemonSetState(): EntityDeliveryState {
  const workload = (name: string, image: string): WorkloadSummary => ({
    ref: {
      cluster: UPSTREAM_CLUSTER,
      kind: 'DaemonSet',
      namespace: 'test',
      name,
    },
    replicas: 3,
    readyReplicas: 3,
    updatedReplicas: 3,
    images: [image],
  });
  return upstreamState('podinfo-ds', daemonSetCanary, {
    workloads: [
      workload('podinfo-ds', 'ghcr.io/stefanprodan/podinfo:6.0.1'),
      workload('podinfo-ds-primary', 'ghcr.io/stefanprodan/podinfo:6.0.0'),
    ],
  });
}

/**
 * flagger-metrictemplate-alertprovider-refs.yaml: the templates and providers resolved, the
 * template and provider in the canary's namespace missing.
 */
export function analysisRefsState(): EntityDeliveryState {
  const derived = deriveCanaryProgress(analysisRefsCanary, { now: NOW });
  const template: Record<
    string,
    CanaryProgress['metrics'][number]['template']
  > = {
    '404s percentage': {
      found: true,
      provider: 'prometheus',
      address: 'http://prometheus.istio-system:9090',
      query: NOT_FOUND_QUERY,
    },
    'my metric': {
      found: true,
      provider: 'prometheus',
      address: 'http://prometheus.linkerd-viz:9090',
    },
    '404s (canary namespace)': { found: false },
  };
  return upstreamState('podinfo-analysis', analysisRefsCanary, {
    routing: routingOf({
      router: virtualServiceRouter(),
      routes: [podinfoRoute(90, 10)],
    }),
    progress: {
      metrics: derived.metrics.map(metric => ({
        ...metric,
        ...(template[metric.name] && { template: template[metric.name] }),
      })),
      alerts: [
        {
          name: 'on-call Slack',
          severity: 'error',
          providerRef: { name: 'on-call', namespace: 'flagger' },
          provider: {
            type: 'slack',
            channel: 'on-call-alerts',
            username: 'flagger',
          },
        },
        {
          name: 'qa Discord',
          severity: 'warn',
          providerRef: { name: 'qa-discord', namespace: 'test' },
        },
        {
          name: 'dev MS Teams',
          severity: 'info',
          providerRef: { name: 'dev-msteams', namespace: 'test' },
          provider: { type: 'msteams' },
        },
      ],
    },
  });
}

/**
 * istio-destinationrule-tls-conflict.yaml, istio-port-level-mtls.yaml and
 * istio-root-namespace-authz.yaml, read for one workload: DestinationRules whose TLS settings
 * defeat STRICT mTLS, a port left in plain text, and a root-namespace policy that selects it.
 */
export function istioPoliciesState(): EntityDeliveryState {
  return upstreamState('podinfo-mesh', gatewayApiCanary, {
    routing: routingOf({
      router: virtualServiceRouter(),
      routes: [podinfoRoute(80, 20)],
      destinationRules: [
        {
          name: 'podinfo-primary',
          host: 'podinfo-primary',
          tlsMode: 'DISABLE',
        },
        { name: 'podinfo-canary', host: 'podinfo-canary', tlsMode: 'DISABLE' },
        { name: 'podinfo-simple-tls', host: 'podinfo', tlsMode: 'SIMPLE' },
      ],
      mtlsPortOverrides: [{ port: 9797, mode: 'DISABLE' }],
      policies: [
        {
          kind: 'PeerAuthentication',
          namespace: 'test',
          name: 'default',
          scope: 'namespace',
          summary: 'mTLS STRICT',
        },
        {
          kind: 'AuthorizationPolicy',
          namespace: 'istio-system',
          name: 'podinfo-deny-headers',
          scope: 'mesh',
          summary: 'DENY, 1 rule',
        },
      ],
      problems: [
        {
          field: 'spec.trafficPolicy.tls.mode',
          message:
            "DestinationRule test/podinfo-primary sets tls.mode DISABLE: it sends plaintext to podinfo-primary, which requires STRICT mTLS (namespace policy), so in-mesh calls through it fail. Flagger copies it from the Canary's spec.service.trafficPolicy: set ISTIO_MUTUAL or remove tls there.",
        },
        {
          field: 'spec.trafficPolicy.tls.mode',
          message:
            'DestinationRule test/podinfo-simple-tls sets tls.mode SIMPLE: it originates TLS without a client certificate to podinfo.test.svc.cluster.local, which requires STRICT mTLS (namespace policy), so in-mesh calls through it fail. Use ISTIO_MUTUAL or remove tls.',
        },
      ],
    }),
  });
}

/** istio-tcp-route.yaml: a TCP route, primary 80 / canary 20 from spec.tcp[0].route. */
export function tcpRouteState(): EntityDeliveryState {
  return upstreamState('tcp-service', gatewayApiCanary, {
    progress: { provider: 'istio' },
    routing: routingOf({
      router: virtualServiceRouter(
        ['istio-system/public-gateway'],
        ['tcp-service'],
      ),
      routes: [
        {
          protocol: 'tcp',
          match: false,
          matches: [],
          destinations: [
            destination('tcp-service-primary', 80),
            destination('tcp-service-canary', 20),
          ],
        },
      ],
    }),
  });
}

/** A ready Flux object of the upstream Flux fixtures. */
function readyFlux(
  ref: Omit<ObjectRef, 'cluster'>,
  apiVersion: string,
  readiness: Partial<FluxReadiness>,
  links: Partial<Pick<FluxResource, 'sourceRef' | 'chartRef' | 'url'>> = {},
): FluxResource {
  return {
    ref: { cluster: UPSTREAM_CLUSTER, ...ref },
    apiVersion,
    ...links,
    readiness: {
      status: 'ready',
      ready: 'True',
      stalled: false,
      reconciling: false,
      suspended: false,
      revisionPending: false,
      stale: false,
      problems: [],
      ...readiness,
    },
  };
}

function fluxRef(kind: string, namespace: string, name: string): ObjectRef {
  return { cluster: UPSTREAM_CLUSTER, kind, namespace, name };
}

/**
 * flux-helmchart-bucket-externalartifact.yaml and flux-ocirepository-git-revision.yaml: a canary
 * installed by a HelmRelease from a HelmChart (chartRef), and Kustomizations reading an OCI
 * artifact that carries its Git commit, a Bucket and an ExternalArtifact.
 */
export function fluxSourcesState(): EntityDeliveryState {
  const digest =
    '8d6a0b3@sha256:b7e5a3c1d9f2e4a6b8c0d2e4f6a8b0c2d4e6f8a0b2c4d6e8f0a2b4c6d8e0f2a4';
  const origin = 'main@sha1:8d6a0b3c9e1f2a4b5c6d7e8f9a0b1c2d3e4f5a6b';
  const bucket =
    'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
  const external =
    'v1.0.0@sha256:35d47c9db0eee6ffe08a404dfb416bee31b2b79eabc3f2eb26749163ce487f52';
  return upstreamState('podinfo-helm', gatewayApiCanary, {
    fluxOwner: fluxRef('HelmRelease', 'default', 'podinfo'),
    flux: [
      readyFlux(
        { kind: 'HelmRelease', namespace: 'default', name: 'podinfo' },
        'helm.toolkit.fluxcd.io/v2',
        { status: 'unknown', ready: undefined },
        { chartRef: fluxRef('HelmChart', 'default', 'podinfo') },
      ),
      readyFlux(
        { kind: 'Kustomization', namespace: 'flux-system', name: 'app' },
        'kustomize.toolkit.fluxcd.io/v1',
        {
          appliedRevision: digest,
          attemptedRevision: digest,
          originRevision: origin,
        },
        { sourceRef: fluxRef('OCIRepository', 'flux-system', 'app-config') },
      ),
      readyFlux(
        { kind: 'Kustomization', namespace: 'default', name: 'minio-apps' },
        'kustomize.toolkit.fluxcd.io/v1',
        { appliedRevision: bucket, attemptedRevision: bucket },
        { sourceRef: fluxRef('Bucket', 'default', 'minio-bucket') },
      ),
      readyFlux(
        {
          kind: 'Kustomization',
          namespace: 'flux-system',
          name: 'external-apps',
        },
        'kustomize.toolkit.fluxcd.io/v1',
        { appliedRevision: external, attemptedRevision: external },
        {
          sourceRef: fluxRef('ExternalArtifact', 'flux-system', 'my-artifact'),
        },
      ),
      readyFlux(
        { kind: 'HelmChart', namespace: 'default', name: 'podinfo' },
        'source.toolkit.fluxcd.io/v1',
        { appliedRevision: '5.2.1', readyReason: 'ChartPullSucceeded' },
        { sourceRef: fluxRef('HelmRepository', 'default', 'podinfo') },
      ),
      readyFlux(
        { kind: 'HelmRepository', namespace: 'default', name: 'podinfo' },
        'source.toolkit.fluxcd.io/v1',
        {},
        { url: 'oci://ghcr.io/stefanprodan/charts' },
      ),
      readyFlux(
        { kind: 'OCIRepository', namespace: 'flux-system', name: 'app-config' },
        'source.toolkit.fluxcd.io/v1',
        { appliedRevision: digest, originRevision: origin },
        { url: 'oci://ghcr.io/org/app-config' },
      ),
      readyFlux(
        { kind: 'Bucket', namespace: 'default', name: 'minio-bucket' },
        'source.toolkit.fluxcd.io/v1',
        { appliedRevision: bucket },
        { url: 'minio.minio.svc.cluster.local:9000' },
      ),
      readyFlux(
        {
          kind: 'ExternalArtifact',
          namespace: 'flux-system',
          name: 'my-artifact',
        },
        'source.toolkit.fluxcd.io/v1',
        { appliedRevision: external },
      ),
    ],
  });
}
