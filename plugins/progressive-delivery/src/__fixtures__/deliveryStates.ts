// Delivery states as the backend assembles them: the demo's Kubernetes objects run through the
// same derivations (from -common) that the backend uses.
import {
  CanaryState,
  CanarySummary,
  ClusterDeliveryState,
  EntityDeliveryState,
  FluxResource,
  KubeObject,
  currentRolloutEvents,
  deriveCanaryEvents,
  deriveCanaryProgress,
  deriveFluxReadiness,
  deriveIstioRouting,
  deriveWorkloadSummary,
} from '@internal/plugin-progressive-delivery-common';
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
