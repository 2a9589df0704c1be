import { KubeObject } from '../../types';
import { goDuration, parseDuration } from '../../util/time';
import { conditionsOf } from '../conditions';
import { FluxReconciler, FluxReconcilerDeps } from '../FluxReconciler';
import { GitCommit, GitRemote } from '../GitRemote';
import {
  API_OF,
  artifactRevision,
  FluxKind,
  KUSTOMIZE_API,
  SourceRef,
} from '../kinds';
import {
  appliedConditions,
  healthCheckFailedConditions,
  healthCheckingConditions,
} from './conditions';
import { HealthCheck, healthStatus } from './healthChecks';
import { recordHistory } from './history';
import { InventoryEntry, inventoryEntry } from './inventory';
import { ManifestApplier } from './ManifestApplier';

/** How often a Kustomization re-checks health while its checks run. */
const HEALTH_POLL_MS = 5_000;
/** When a Kustomization whose source has no artifact tries again. */
const ARTIFACT_RETRY_MS = 30_000;
const DEFAULT_INTERVAL_MS = 600_000;

interface KustomizationSpec {
  interval?: string;
  retryInterval?: string;
  timeout?: string;
  suspend?: boolean;
  prune?: boolean;
  wait?: boolean;
  path?: string;
  targetNamespace?: string;
  sourceRef: SourceRef;
  healthChecks?: HealthCheck[];
}

interface KustomizationStatus {
  lastAttemptedRevision?: string;
  lastAppliedRevision?: string;
  observedGeneration?: number;
  inventory?: { entries: InventoryEntry[] };
}

/** The source revision a Kustomization applies. */
interface FetchedArtifact {
  revision: string;
  remote: GitRemote;
  commit: GitCommit;
}

/** Health checks running for one applied revision. */
interface HealthRun {
  revision: string;
  started: number;
  timeoutMs: number;
}

/**
 * kustomize-controller: applies the manifests under `spec.path` of the
 * source's artifact, prunes, then waits for `healthChecks` within
 * `spec.timeout` before it records the revision as applied.
 */
export class KustomizationReconciler extends FluxReconciler {
  private readonly health = new Map<string, HealthRun>();
  private readonly applier: ManifestApplier;

  constructor(deps: FluxReconcilerDeps) {
    super('Kustomization', 'kustomize-controller', deps);
    this.applier = new ManifestApplier(deps.store);
  }

  /** The Kustomizations that apply `source`, to run when it has a new artifact. */
  usersOf(sourceKind: FluxKind, source: KubeObject): KubeObject[] {
    return this.store.listObjects(KUSTOMIZE_API, 'Kustomization').filter(ks => {
      const ref = (ks.spec as KustomizationSpec).sourceRef;
      return (
        ref.kind === sourceKind &&
        ref.name === source.metadata.name &&
        (ref.namespace ?? ks.metadata.namespace) === source.metadata.namespace
      );
    });
  }

  reconcile(ks: KubeObject): number | undefined {
    const fetched = this.fetchArtifact(ks);
    if (!fetched) return this.artifactMissing(ks);
    const key = runKey(ks);
    const status = (ks.status ?? {}) as KustomizationStatus;
    const run = this.health.get(key);
    const upToDate =
      status.lastAppliedRevision === fetched.revision &&
      status.observedGeneration === ks.metadata.generation;
    if (upToDate && !run && !this.requestedPending(ks)) {
      // Nothing new: a periodic run that finds no drift only refreshes status.
      this.writeStatus(ks, () => {});
      return undefined;
    }
    if (!run || run.revision !== fetched.revision) {
      this.applyRevision(ks, fetched, status.inventory?.entries ?? []);
      this.health.set(key, {
        revision: fetched.revision,
        started: this.now,
        timeoutMs: parseDuration(spec(ks).timeout, interval(ks)),
      });
    }
    return this.checkHealth(ks, this.health.get(key)!);
  }

  private fetchArtifact(ks: KubeObject): FetchedArtifact | undefined {
    const ref = spec(ks).sourceRef;
    const sourceApi = API_OF[ref.kind as FluxKind];
    const source = sourceApi
      ? this.store.getByKind(
          sourceApi,
          ref.kind,
          ref.namespace ?? ks.metadata.namespace ?? '',
          ref.name,
        )
      : undefined;
    const revision = artifactRevision(source);
    const remote = source
      ? this.deps.hub.get((source.spec as { url: string }).url)
      : undefined;
    const commit = revision ? remote?.commitFor(revision) : undefined;
    if (!source || !revision || !commit || !remote) return undefined;
    return { revision, remote, commit };
  }

  private artifactMissing(ks: KubeObject): number {
    const message = `Source artifact not found, retrying in ${goDuration(
      ARTIFACT_RETRY_MS,
    )}`;
    this.markNotReady(ks, 'ArtifactFailed', message, ks.metadata.generation);
    return ARTIFACT_RETRY_MS;
  }

  private applyRevision(
    ks: KubeObject,
    { revision, remote, commit }: FetchedArtifact,
    previousInventory: InventoryEntry[],
  ): void {
    const { applied, changes } = this.applier.apply({
      kustomization: ks,
      manifests: remote.manifestsAt(spec(ks).path ?? './', commit),
      targetNamespace: spec(ks).targetNamespace,
      prune: spec(ks).prune !== false,
      previousInventory,
    });
    this.writeStatus(ks, st => {
      st.inventory = { entries: applied.map(inventoryEntry) };
      st.lastAttemptedRevision = revision;
    });
    if (changes.length > 0) {
      this.recordEvent(ks, 'Normal', 'Progressing', changes.join('\n'));
    }
  }

  private checkHealth(ks: KubeObject, run: HealthRun): number | undefined {
    const ns = ks.metadata.namespace ?? '';
    const checks = spec(ks).healthChecks ?? [];
    const pending = checks
      .map(c => ({
        c,
        s: healthStatus(this.store, { ...c, namespace: c.namespace ?? ns }),
      }))
      .filter(x => x.s !== 'Current');
    const elapsed = this.now - run.started;
    if (pending.length === 0) {
      this.health.delete(runKey(ks));
      this.markApplied(
        ks,
        run.revision,
        checks.length > 0 || !!spec(ks).wait,
        elapsed,
      );
      return undefined;
    }
    if (elapsed >= run.timeoutMs) {
      this.health.delete(runKey(ks));
      const waitingFor = pending
        .map(
          ({ c, s }) =>
            `${c.kind}/${c.namespace ?? ns}/${c.name} status: '${s}'`,
        )
        .join(', ');
      this.failHealthChecks(ks, run, elapsed, waitingFor);
      return parseDuration(spec(ks).retryInterval, interval(ks));
    }
    const now = this.now;
    this.writeStatus(ks, st => {
      st.conditions = healthCheckingConditions(
        conditionsOf(st),
        run.revision,
        run.timeoutMs,
        ks.metadata.generation,
        now,
      );
      st.lastAttemptedRevision = run.revision;
    });
    return HEALTH_POLL_MS;
  }

  private failHealthChecks(
    ks: KubeObject,
    run: HealthRun,
    elapsed: number,
    waitingFor: string,
  ): void {
    const now = this.now;
    const healthMessage = `timeout waiting for: [${waitingFor}]`;
    const readyMessage = `health check failed after ${goDuration(
      elapsed + 12,
    )}: ${healthMessage}`;
    this.writeStatus(ks, st => {
      st.conditions = healthCheckFailedConditions(
        conditionsOf(st),
        {
          revision: run.revision,
          timeoutMs: run.timeoutMs,
          readyMessage,
          healthMessage,
        },
        ks.metadata.generation,
        now,
      );
      st.lastAttemptedRevision = run.revision;
      recordHistory(st, run.revision, 'HealthCheckFailed', elapsed, now);
    });
    this.recordEvent(ks, 'Warning', 'HealthCheckFailed', readyMessage);
  }

  private markApplied(
    ks: KubeObject,
    revision: string,
    healthChecked: boolean,
    elapsed: number,
  ): void {
    const now = this.now;
    const generation = ks.metadata.generation;
    const duration = goDuration(Math.max(elapsed, 1) + 1234);
    this.writeStatus(ks, st => {
      st.conditions = appliedConditions(
        conditionsOf(st),
        revision,
        healthChecked ? duration : undefined,
        generation,
        now,
      );
      st.observedGeneration = generation;
      st.lastAppliedRevision = revision;
      st.lastAttemptedRevision = revision;
      recordHistory(st, revision, 'ReconciliationSucceeded', elapsed, now);
    });
    this.recordEvent(
      ks,
      'Normal',
      'ReconciliationSucceeded',
      `Reconciliation finished in ${duration}, next run in ${goDuration(
        interval(ks),
      )}`,
    );
  }
}

function spec(ks: KubeObject): KustomizationSpec {
  return ks.spec as KustomizationSpec;
}

function interval(ks: KubeObject): number {
  return parseDuration(spec(ks).interval, DEFAULT_INTERVAL_MS);
}

function runKey(ks: KubeObject): string {
  return `${ks.metadata.namespace}/${ks.metadata.name}`;
}
