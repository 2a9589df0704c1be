import { Clock } from '../clock';
import { ObjectStore } from '../api/ObjectStore';
import { computeSpecHash, fnv32a } from '../util/hash';
import { isoTime } from '../util/time';
import { ClusterComponent, KubeObject, StoreEvent } from '../types';

interface DeploymentSpec {
  replicas?: number;
  selector?: { matchLabels?: Record<string, string> };
  template: {
    metadata?: {
      labels?: Record<string, string>;
      annotations?: Record<string, string>;
    };
    spec: { containers?: Array<{ name: string; image?: string }> };
  };
}

type Deployment = KubeObject & { spec: DeploymentSpec };

export interface WorkloadControllerOptions {
  store: ObjectStore;
  clock: Clock;
  /** Simulated time from pod creation to Ready. */
  podStartupMs?: number;
}

/** Pod-template annotation that keeps pods from ever becoming ready (image pull failure). */
export const NEVER_READY = 'simulator.progressive-delivery.io/never-ready';

const SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

function podSuffix(seed: string): string {
  let n = fnv32a(seed);
  let out = '';
  for (let i = 0; i < 5; i++) {
    out += SUFFIX_ALPHABET[n % SUFFIX_ALPHABET.length];
    n = Math.floor(n / SUFFIX_ALPHABET.length);
  }
  return out;
}

/**
 * Plays the Deployment and ReplicaSet controllers and the kubelet: one
 * ReplicaSet per pod template (`<deployment>-<pod-template-hash>`), pods that
 * become Ready after `podStartupMs`, and Deployment status as Kubernetes
 * reports it (what Flagger's readiness checks read).
 */
export class WorkloadController implements ClusterComponent {
  private readonly store: ObjectStore;
  private readonly clock: Clock;
  private readonly podStartupMs: number;
  private unsubscribe: (() => void) | undefined;
  private readonly pending = new Set<string>();
  /** While true, pods start Ready: a scenario's initial workloads are settled. */
  private settling = false;

  constructor(options: WorkloadControllerOptions) {
    this.store = options.store;
    this.clock = options.clock;
    this.podStartupMs = options.podStartupMs ?? 10_000;
  }

  start(): void {
    this.settling = true;
    for (const d of this.store.listObjects('apps/v1', 'Deployment')) {
      this.reconcile(d.metadata.namespace ?? '', d.metadata.name);
    }
    this.settling = false;
    this.unsubscribe = this.store.subscribe(e => this.onEvent(e));
  }

  stop(): void {
    this.unsubscribe?.();
  }

  private onEvent(event: StoreEvent): void {
    if (event.resourceKey !== 'apps/deployments' || event.type === 'DELETED')
      return;
    // Status-only writes (our own) need no reaction.
    const prev = event.previous as Deployment | undefined;
    const next = event.object as Deployment;
    if (
      prev &&
      prev.metadata.generation === next.metadata.generation &&
      JSON.stringify(prev.spec) === JSON.stringify(next.spec)
    ) {
      return;
    }
    this.enqueue(event.namespace, event.name, 0);
  }

  private enqueue(namespace: string, name: string, delayMs: number): void {
    const key = `${namespace}/${name}@${delayMs}`;
    if (delayMs === 0 && this.pending.has(key)) return;
    this.pending.add(key);
    this.clock.schedule(delayMs, () => {
      this.pending.delete(key);
      this.reconcile(namespace, name);
    });
  }

  /** Brings ReplicaSets, pods and status of one Deployment up to date. */
  reconcile(namespace: string, name: string): void {
    const dep = this.store.getByKind(
      'apps/v1',
      'Deployment',
      namespace,
      name,
    ) as Deployment | undefined;
    if (!dep) return;
    const now = this.clock.now();
    const hash = computeSpecHash(dep.spec.template);
    const rsName = `${name}-${hash}`;
    const desired = dep.spec.replicas ?? 1;

    this.scaleDownOldReplicaSets(dep, rsName, now);
    let rs = this.store.getByKind('apps/v1', 'ReplicaSet', namespace, rsName);
    let revision =
      dep.metadata.annotations?.['deployment.kubernetes.io/revision'];
    if (!rs) {
      revision = String(Number(revision ?? 0) + 1);
      rs = this.store.create(newReplicaSet(dep, hash, desired, revision));
    }
    const ready = this.scaleReplicaSet(rs, desired, now);

    const current = this.store.getByKind(
      'apps/v1',
      'Deployment',
      namespace,
      name,
    ) as Deployment;
    this.store.mutate('apps/v1', 'Deployment', namespace, name, d => {
      if (revision) {
        d.metadata.annotations = {
          ...(d.metadata.annotations ?? {}),
          'deployment.kubernetes.io/revision': revision,
        };
      }
      d.status = this.deploymentStatus(current, rsName, desired, ready, now);
    });
    const broken =
      dep.spec.template.metadata?.annotations?.[NEVER_READY] === 'true';
    if (ready < desired && !broken) {
      this.enqueue(namespace, name, this.podStartupMs);
    }
  }

  /** Old ReplicaSets of the Deployment scale to zero; their pods go away. */
  private scaleDownOldReplicaSets(
    dep: Deployment,
    current: string,
    now: number,
  ): void {
    for (const rs of this.store.listObjects(
      'apps/v1',
      'ReplicaSet',
      dep.metadata.namespace ?? '',
    )) {
      const owner = rs.metadata.ownerReferences?.[0];
      if (owner?.uid !== dep.metadata.uid || rs.metadata.name === current)
        continue;
      this.scaleReplicaSet(rs, 0, now);
    }
  }

  /** Creates/deletes pods to `replicas`, marks started pods Ready; returns ready count. */
  private scaleReplicaSet(
    rs: KubeObject,
    replicas: number,
    now: number,
  ): number {
    const ns = rs.metadata.namespace ?? '';
    const pods = this.store
      .listObjects('v1', 'Pod', ns)
      .filter(p => p.metadata.ownerReferences?.[0]?.uid === rs.metadata.uid);
    for (const pod of pods.slice(replicas)) {
      this.store.delete(
        this.store.registry.forKind('v1', 'Pod'),
        ns,
        pod.metadata.name,
      );
    }
    const template = (rs.spec as DeploymentSpec).template;
    for (let i = pods.length; i < replicas; i++) {
      this.store.create(this.makePod(rs, template, i, now));
    }
    let ready = 0;
    for (const pod of this.store
      .listObjects('v1', 'Pod', ns)
      .filter(p => p.metadata.ownerReferences?.[0]?.uid === rs.metadata.uid)) {
      const created = Date.parse(pod.metadata.creationTimestamp ?? '');
      const isReady = (pod.status as { phase?: string })?.phase === 'Running';
      const broken = pod.metadata.annotations?.[NEVER_READY] === 'true';
      if (!isReady && !broken && now - created >= this.podStartupMs) {
        this.store.mutate('v1', 'Pod', ns, pod.metadata.name, p => {
          p.status = this.podStatus(p, true, now);
        });
        ready++;
      } else if (isReady) {
        ready++;
      }
    }
    const status =
      replicas === 0
        ? { replicas: 0, observedGeneration: rs.metadata.generation }
        : {
            replicas,
            fullyLabeledReplicas: replicas,
            readyReplicas: ready,
            availableReplicas: ready,
            observedGeneration: rs.metadata.generation,
          };
    const current = this.store.getByKind(
      'apps/v1',
      'ReplicaSet',
      ns,
      rs.metadata.name,
    )!;
    // Skip the copy-and-compare of a write when nothing changed (most reconciles).
    if (
      (current.spec as DeploymentSpec).replicas !== replicas ||
      JSON.stringify(current.status) !== JSON.stringify(status)
    ) {
      this.store.mutate('apps/v1', 'ReplicaSet', ns, rs.metadata.name, r => {
        (r.spec as DeploymentSpec).replicas = replicas;
        r.status = status;
      });
    }
    return ready;
  }

  private makePod(
    rs: KubeObject,
    template: DeploymentSpec['template'],
    index: number,
    now: number,
  ): KubeObject {
    const name = `${rs.metadata.name}-${podSuffix(
      `${rs.metadata.uid}/${index}/${now}`,
    )}`;
    const pod: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name,
        namespace: rs.metadata.namespace,
        labels: { ...(template.metadata?.labels ?? {}) },
        annotations: { ...(template.metadata?.annotations ?? {}) },
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'ReplicaSet',
            name: rs.metadata.name,
            uid: rs.metadata.uid ?? '',
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
        creationTimestamp: isoTime(now),
      },
      spec: {
        ...structuredClone(template.spec),
        nodeName: `sim-node-${(fnv32a(name) % 3) + 1}`,
        restartPolicy: 'Always',
        serviceAccountName: 'default',
      },
    };
    const broken = template.metadata?.annotations?.[NEVER_READY] === 'true';
    pod.status = this.podStatus(
      pod,
      !broken && (this.settling || this.podStartupMs === 0),
      now,
    );
    return pod;
  }

  private podStatus(pod: KubeObject, ready: boolean, now: number) {
    const containers =
      (pod.spec as { containers?: Array<{ name: string; image?: string }> })
        .containers ?? [];
    const created = pod.metadata.creationTimestamp ?? isoTime(now);
    const since = ready ? isoTime(now) : created;
    const ip = fnv32a(pod.metadata.name);
    const condition = (type: string, status: boolean) => ({
      type,
      status: status ? 'True' : 'False',
      lastProbeTime: null,
      lastTransitionTime: type === 'PodScheduled' ? created : since,
    });
    return {
      phase: ready ? 'Running' : 'Pending',
      conditions: [
        condition('Initialized', true),
        condition('Ready', ready),
        condition('ContainersReady', ready),
        condition('PodScheduled', true),
      ],
      hostIP: `10.0.0.${(ip % 3) + 11}`,
      podIP: `10.244.${(ip >> 8) % 250}.${ip % 250}`,
      startTime: created,
      qosClass: 'Burstable',
      containerStatuses: containers.map(c => ({
        name: c.name,
        image: c.image,
        imageID: `${c.image}@sha256:${fnv32a(c.image ?? '')
          .toString(16)
          .padStart(64, '0')}`,
        ready,
        started: ready,
        restartCount: 0,
        state: this.containerState(pod, c.image, ready, since),
      })),
    };
  }

  private containerState(
    pod: KubeObject,
    image: string | undefined,
    ready: boolean,
    since: string,
  ) {
    if (ready) return { running: { startedAt: since } };
    if (pod.metadata.annotations?.[NEVER_READY] === 'true') {
      return {
        waiting: {
          reason: 'ImagePullBackOff',
          message: `Back-off pulling image "${image}"`,
        },
      };
    }
    return { waiting: { reason: 'ContainerCreating' } };
  }

  private deploymentStatus(
    dep: Deployment,
    rsName: string,
    desired: number,
    ready: number,
    now: number,
  ) {
    const old = (dep.status ?? {}) as {
      conditions?: Array<Record<string, string>>;
    };
    const keep = (type: string, status: string) => {
      const c = old.conditions?.find(x => x.type === type);
      return c && c.status === status ? c.lastTransitionTime : isoTime(now);
    };
    const available = ready >= desired;
    const conditions = [
      {
        type: 'Available',
        status: available || desired === 0 ? 'True' : 'False',
        reason:
          available || desired === 0
            ? 'MinimumReplicasAvailable'
            : 'MinimumReplicasUnavailable',
        message:
          available || desired === 0
            ? 'Deployment has minimum availability.'
            : 'Deployment does not have minimum availability.',
        lastUpdateTime: isoTime(now),
        lastTransitionTime: keep(
          'Available',
          available || desired === 0 ? 'True' : 'False',
        ),
      },
      {
        type: 'Progressing',
        status: 'True',
        reason: available ? 'NewReplicaSetAvailable' : 'ReplicaSetUpdated',
        message: available
          ? `ReplicaSet "${rsName}" has successfully progressed.`
          : `ReplicaSet "${rsName}" is progressing.`,
        lastUpdateTime: isoTime(now),
        lastTransitionTime: keep('Progressing', 'True'),
      },
    ];
    if (desired === 0) {
      return { observedGeneration: dep.metadata.generation, conditions };
    }
    return {
      observedGeneration: dep.metadata.generation,
      replicas: desired,
      updatedReplicas: desired,
      readyReplicas: ready,
      availableReplicas: ready,
      ...(ready < desired ? { unavailableReplicas: desired - ready } : {}),
      conditions,
    };
  }
}

/** The ReplicaSet `<deployment>-<hash>` for the Deployment's pod template. */
function newReplicaSet(
  dep: Deployment,
  hash: string,
  desired: number,
  revision: string,
): KubeObject {
  const templateLabels = dep.spec.template.metadata?.labels ?? {};
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${dep.metadata.name}-${hash}`,
      namespace: dep.metadata.namespace,
      labels: { ...templateLabels, 'pod-template-hash': hash },
      annotations: {
        'deployment.kubernetes.io/desired-replicas': String(desired),
        'deployment.kubernetes.io/max-replicas': String(desired + 1),
        'deployment.kubernetes.io/revision': revision,
      },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: dep.metadata.name,
          uid: dep.metadata.uid ?? '',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: {
      replicas: desired,
      selector: {
        matchLabels: {
          ...(dep.spec.selector?.matchLabels ?? {}),
          'pod-template-hash': hash,
        },
      },
      template: {
        ...dep.spec.template,
        metadata: {
          ...(dep.spec.template.metadata ?? {}),
          labels: { ...templateLabels, 'pod-template-hash': hash },
        },
      },
    },
    status: { replicas: 0, observedGeneration: 1 },
  };
}
