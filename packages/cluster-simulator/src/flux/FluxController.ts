import { Clock, TimerHandle } from '../clock';
import { ObjectStore } from '../api/ObjectStore';
import { EventRecorder } from '../util/EventRecorder';
import { ClusterComponent, KubeObject, StoreEvent } from '../types';
import { parseDuration } from '../util/time';
import { SourceHub } from './GitRemote';
import { FluxReconciler, FluxReconcilerDeps } from './FluxReconciler';
import { HelmReleaseReconciler } from './helm/HelmReleaseReconciler';
import {
  API_OF,
  artifactRevision,
  FluxKind,
  KIND_OF_KEY,
  REQUESTED_AT,
} from './kinds';
import { KustomizationReconciler } from './kustomize/KustomizationReconciler';
import { GitRepositoryReconciler } from './sources/GitRepositoryReconciler';
import { HelmRepositoryReconciler } from './sources/HelmRepositoryReconciler';
import { OCIRepositoryReconciler } from './sources/OCIRepositoryReconciler';

const DEFAULT_INTERVAL_MS = 600_000;

export interface FluxControllerOptions {
  store: ObjectStore;
  clock: Clock;
  /** The simulated Git/OCI remotes sources fetch from. */
  hub: SourceHub;
  events: EventRecorder;
}

/**
 * Plays Flux's source-, kustomize- and helm-controller: decides when each
 * object reconciles — every `spec.interval`, at once when its generation or
 * `reconcile.fluxcd.io/requestedAt` changes, and (Kustomizations) when their
 * source stores a new artifact — and hands it to its kind's reconciler;
 * `spec.suspend` stops all of it. Conditions, revisions, inventory, history
 * and events follow the upstream controllers (see the shared reference
 * examples).
 */
export class FluxController implements ClusterComponent {
  private readonly store: ObjectStore;
  private readonly clock: Clock;
  private readonly timers = new Map<string, TimerHandle>();
  private readonly reconcilers: Record<FluxKind, FluxReconciler>;
  private readonly kustomizations: KustomizationReconciler;
  private unsubscribe: (() => void) | undefined;

  constructor(options: FluxControllerOptions) {
    this.store = options.store;
    this.clock = options.clock;
    const deps: FluxReconcilerDeps = options;
    this.kustomizations = new KustomizationReconciler(deps);
    this.reconcilers = {
      GitRepository: new GitRepositoryReconciler(deps),
      OCIRepository: new OCIRepositoryReconciler(deps),
      HelmRepository: new HelmRepositoryReconciler(deps),
      Kustomization: this.kustomizations,
      HelmRelease: new HelmReleaseReconciler(deps),
    };
  }

  start(): void {
    for (const kind of Object.keys(API_OF) as FluxKind[]) {
      for (const obj of this.store.listObjects(API_OF[kind], kind)) {
        // Never reconciled: now; settled: at the next interval.
        const settled = (
          obj.status as { observedGeneration?: number } | undefined
        )?.observedGeneration;
        this.scheduleNext(kind, obj, settled === undefined ? 0 : undefined);
      }
    }
    this.unsubscribe = this.store.subscribe(e => this.onEvent(e));
  }

  stop(): void {
    this.unsubscribe?.();
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
  }

  reconcile(kind: FluxKind, namespace: string, name: string): void {
    const obj = this.store.getByKind(API_OF[kind], kind, namespace, name);
    if (!obj) return;
    if ((obj.spec as { suspend?: boolean }).suspend) {
      // Suspended objects are not reconciled until resumed (a generation change).
      return;
    }
    const delayMs = this.reconcilers[kind].reconcile(obj);
    const current = this.store.getByKind(API_OF[kind], kind, namespace, name);
    if (current) this.scheduleNext(kind, current, delayMs);
  }

  /** Reconciles `obj` after `delayMs` (replacing any pending run). */
  private schedule(
    kind: FluxKind,
    namespace: string,
    name: string,
    delayMs: number,
  ): void {
    const key = timerKey(kind, namespace, name);
    this.timers.get(key)?.cancel();
    this.timers.set(
      key,
      this.clock.schedule(delayMs, () => {
        this.timers.delete(key);
        this.reconcile(kind, namespace, name);
      }),
    );
  }

  /** Reconciles `obj` after `overrideMs`, or else its `spec.interval`. */
  private scheduleNext(
    kind: FluxKind,
    obj: KubeObject,
    overrideMs?: number,
  ): void {
    const interval = parseDuration(
      (obj.spec as { interval?: string })?.interval,
      DEFAULT_INTERVAL_MS,
    );
    this.schedule(
      kind,
      obj.metadata.namespace ?? '',
      obj.metadata.name,
      overrideMs ?? interval,
    );
  }

  private onEvent(event: StoreEvent): void {
    const kind = KIND_OF_KEY[event.resourceKey];
    if (!kind) return;
    if (event.type === 'DELETED') {
      const key = timerKey(kind, event.namespace, event.name);
      this.timers.get(key)?.cancel();
      this.timers.delete(key);
      return;
    }
    const prev = event.previous;
    const next = event.object;
    const requested = (o?: KubeObject) =>
      o?.metadata.annotations?.[REQUESTED_AT];
    const triggered =
      event.type === 'ADDED' ||
      prev?.metadata.generation !== next.metadata.generation ||
      requested(prev) !== requested(next);
    if (triggered) {
      this.schedule(kind, event.namespace, event.name, 0);
    }
    // A new source revision makes the Kustomizations using it reconcile now.
    if (kind === 'Kustomization' || kind === 'HelmRelease') return;
    const revision = artifactRevision(next);
    if (artifactRevision(prev) !== revision && revision) {
      for (const ks of this.kustomizations.usersOf(kind, next)) {
        this.schedule(
          'Kustomization',
          ks.metadata.namespace ?? '',
          ks.metadata.name,
          0,
        );
      }
    }
  }
}

function timerKey(kind: FluxKind, namespace: string, name: string): string {
  return `${kind}/${namespace}/${name}`;
}
