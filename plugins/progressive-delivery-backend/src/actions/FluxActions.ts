import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  ActionResponse,
  FluxActionName,
  fluxSourceRef,
  KubeObject,
} from '@progressive-delivery/plugin-progressive-delivery-common';
import { WATCHED_KINDS, WatchedKind } from '../watch/kinds';
import { ObjectStore } from '../watch/ObjectStore';
import { ClusterActionClient } from './ClusterActionClient';
import { checkingOutcome } from './outcomeUnknown';

/** Flux's request annotation, answered by `status.lastHandledReconcileAt` (fluxcd/pkg/apis/meta). */
export const RECONCILE_REQUESTED_AT = 'reconcile.fluxcd.io/requestedAt';

export type FluxActionResult = Omit<ActionResponse, 'entityRef'>;

function kindOf(kind: string): WatchedKind {
  const watched = WATCHED_KINDS.find(k => k.kind === kind);
  if (!watched) {
    throw new Error(`${kind} is not a watched kind`);
  }
  return watched;
}

const isSuspended = (object: KubeObject) =>
  (object.spec as { suspend?: unknown } | undefined)?.suspend === true;

/** What to look at when a patch's outcome is unknown. */
function whatToCheck(
  cluster: string,
  ref: { kind: string; namespace: string; name: string },
  check: string,
): string {
  return `Check the object before trying again (its Flux state on the Delivery tab, or in cluster ${cluster}: kubectl -n ${
    ref.namespace
  } get ${ref.kind.toLowerCase()} ${ref.name} -o yaml): ${check}.`;
}

/** The patch, with what to check should its outcome be unknown. */
function patchChecking(
  client: ClusterActionClient,
  cluster: string,
  ref: { kind: string; namespace: string; name: string },
  patch: object,
  check: string,
): Promise<KubeObject> {
  return checkingOutcome(
    client.mergePatch(kindOf(ref.kind), ref.namespace, ref.name, patch),
    whatToCheck(cluster, ref, check),
  );
}

/**
 * Reconcile, suspend and resume Flux objects with merge patches, as the flux CLI does:
 * `reconcile.fluxcd.io/requestedAt` to request a reconciliation, `spec.suspend` to pause.
 */
export class FluxActions {
  constructor(
    private readonly store: ObjectStore,
    private readonly clientFor: (cluster: string) => ClusterActionClient,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async run(
    cluster: string,
    object: KubeObject,
    action: FluxActionName,
    options: { withSource?: boolean } = {},
  ): Promise<FluxActionResult> {
    const kind = object.kind ?? '';
    const namespace = object.metadata?.namespace ?? '';
    const name = object.metadata?.name ?? '';
    const ref = { cluster, kind, namespace, name };
    const id = `${kind} ${namespace}/${name} in ${cluster}`;
    const client = this.clientFor(cluster);
    const requestedAt = this.now().toISOString();
    const requestPatch = {
      metadata: { annotations: { [RECONCILE_REQUESTED_AT]: requestedAt } },
    };

    if (action === 'suspend' || action === 'resume') {
      const suspend = action === 'suspend';
      // Resuming also requests a reconciliation, as `flux resume` does.
      await patchChecking(
        client,
        cluster,
        ref,
        { ...(suspend ? {} : requestPatch), spec: { suspend } },
        `whether spec.suspend is ${suspend}`,
      );
      return {
        action,
        ref,
        suspended: suspend,
        ...(suspend ? {} : { requestedAt }),
        message: suspend
          ? `Suspended ${id}: Flux stops reconciling it until it is resumed.`
          : `Resumed ${id} and requested a reconciliation.`,
      };
    }

    if (isSuspended(object)) {
      throw new ConflictError(
        `${id} is suspended (spec.suspend: true), so Flux would ignore a reconcile request. Resume it first.`,
      );
    }
    const source = options.withSource
      ? await this.reconcileSource(cluster, object, id, requestPatch)
      : undefined;
    await patchChecking(
      client,
      cluster,
      ref,
      requestPatch,
      `whether metadata.annotations["${RECONCILE_REQUESTED_AT}"] is ${requestedAt}, then whether status.lastHandledReconcileAt reaches it`,
    );
    return {
      action,
      ref,
      requestedAt,
      ...(source ? { source } : {}),
      message: source
        ? `Requested a reconciliation of ${source.kind} ${source.namespace}/${source.name}, then of ${id}.`
        : `Requested a reconciliation of ${id}.`,
    };
  }

  /** Requests a reconciliation of the object's source, which must exist and not be suspended. */
  private async reconcileSource(
    cluster: string,
    object: KubeObject,
    id: string,
    requestPatch: object,
  ): Promise<FluxActionResult['source']> {
    const sourceRef = fluxSourceRef(object);
    if (!sourceRef) {
      throw new ConflictError(
        `${id} has no source (spec.sourceRef or chart) to reconcile first`,
      );
    }
    const what = `The source ${sourceRef.kind} ${sourceRef.namespace}/${sourceRef.name} of ${id}`;
    const sourceObject = this.store.get(
      cluster,
      sourceRef.kind,
      sourceRef.namespace,
      sourceRef.name,
    );
    if (!sourceObject) {
      throw new NotFoundError(`${what} is not in the cluster`);
    }
    if (isSuspended(sourceObject)) {
      throw new ConflictError(
        `${what} is suspended. Resume it first, or reconcile without the source.`,
      );
    }
    await patchChecking(
      this.clientFor(cluster),
      cluster,
      sourceRef,
      requestPatch,
      `whether its metadata.annotations["${RECONCILE_REQUESTED_AT}"] was set; ${id} itself was not asked to reconcile yet`,
    );
    return sourceRef;
  }
}
