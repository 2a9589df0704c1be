import { Clock } from '../clock';
import { ObjectStore } from '../api/ObjectStore';
import { EventRecorder, EventType } from '../util/EventRecorder';
import { KubeObject } from '../types';
import { condition, conditionsOf, setCondition } from './conditions';
import { SourceHub } from './GitRemote';
import { API_OF, FluxKind, REQUESTED_AT } from './kinds';

/** What every Flux reconciler works with. */
export interface FluxReconcilerDeps {
  store: ObjectStore;
  clock: Clock;
  /** The simulated Git/OCI remotes sources fetch from. */
  hub: SourceHub;
  events: EventRecorder;
}

/**
 * One Flux kind's reconcile loop, as one of Flux's controllers runs it. The
 * FluxController decides when it runs; the reconciler says when to come back.
 */
export abstract class FluxReconciler {
  protected readonly store: ObjectStore;

  constructor(
    readonly kind: FluxKind,
    /** The controller named as the source of its events. */
    private readonly component: string,
    protected readonly deps: FluxReconcilerDeps,
  ) {
    this.store = deps.store;
  }

  /** Reconciles `obj`; returns ms until the next run, or undefined for `spec.interval`. */
  abstract reconcile(obj: KubeObject): number | undefined;

  protected get now(): number {
    return this.deps.clock.now();
  }

  /** Writes status, answering requestedAt with lastHandledReconcileAt. */
  protected writeStatus(
    obj: KubeObject,
    fn: (status: Record<string, unknown>) => void,
  ): void {
    this.store.mutate(
      API_OF[this.kind],
      this.kind,
      obj.metadata.namespace,
      obj.metadata.name,
      o => {
        const status = { ...((o.status as Record<string, unknown>) ?? {}) };
        fn(status);
        const requested = o.metadata.annotations?.[REQUESTED_AT];
        if (requested) status.lastHandledReconcileAt = requested;
        o.status = status;
      },
    );
  }

  /** Sets only Ready=False (the object cannot be reconciled yet). */
  protected markNotReady(
    obj: KubeObject,
    reason: string,
    message: string,
    generation: number | undefined,
  ): void {
    const now = this.now;
    this.writeStatus(obj, status => {
      status.conditions = setCondition(
        conditionsOf(status),
        condition('Ready', 'False', reason, message, generation),
        now,
      );
    });
  }

  /** A `flux reconcile` request not yet answered. */
  protected requestedPending(obj: KubeObject): boolean {
    const requested = obj.metadata.annotations?.[REQUESTED_AT];
    return (
      !!requested &&
      (obj.status as { lastHandledReconcileAt?: string } | undefined)
        ?.lastHandledReconcileAt !== requested
    );
  }

  protected recordEvent(
    obj: KubeObject,
    type: EventType,
    reason: string,
    message: string,
  ): void {
    this.deps.events.record(obj, type, reason, message, this.component);
  }
}
