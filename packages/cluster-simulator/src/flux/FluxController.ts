import { TimerHandle } from '../clock';
import { ObjectStore } from '../api/ObjectStore';
import { applyMergePatch } from '../api/patch';
import { EventRecorder } from '../util/EventRecorder';
import {
  ClusterComponent,
  SimulatedCluster,
} from '../cluster/SimulatedCluster';
import { Condition, KubeObject, StoreEvent } from '../types';
import { SourceHub } from './GitRemote';
import { goDuration, isoTime, parseDuration } from '../util/time';
import {
  inventoryEntry,
  appliedConditions,
  removeCondition,
  sourceReadyConditions,
  condition,
  setCondition,
  sha256Hex,
  sourceArtifact,
} from './status';

const SOURCE_API = 'source.toolkit.fluxcd.io/v1';
const KUSTOMIZE_API = 'kustomize.toolkit.fluxcd.io/v1';
const HELM_API = 'helm.toolkit.fluxcd.io/v2';
const REQUESTED_AT = 'reconcile.fluxcd.io/requestedAt';
/** How often a Kustomization re-checks health while its checks run. */
const HEALTH_POLL_MS = 5_000;

type FluxKind =
  | 'GitRepository'
  | 'OCIRepository'
  | 'HelmRepository'
  | 'Kustomization'
  | 'HelmRelease';

const API_OF: Record<FluxKind, string> = {
  GitRepository: SOURCE_API,
  OCIRepository: SOURCE_API,
  HelmRepository: SOURCE_API,
  Kustomization: KUSTOMIZE_API,
  HelmRelease: HELM_API,
};

const KIND_OF_KEY: Record<string, FluxKind> = {
  'source.toolkit.fluxcd.io/gitrepositories': 'GitRepository',
  'source.toolkit.fluxcd.io/ocirepositories': 'OCIRepository',
  'source.toolkit.fluxcd.io/helmrepositories': 'HelmRepository',
  'kustomize.toolkit.fluxcd.io/kustomizations': 'Kustomization',
  'helm.toolkit.fluxcd.io/helmreleases': 'HelmRelease',
};

interface KustomizationSpec {
  interval?: string;
  retryInterval?: string;
  timeout?: string;
  suspend?: boolean;
  prune?: boolean;
  wait?: boolean;
  path?: string;
  targetNamespace?: string;
  sourceRef: { kind: string; name: string; namespace?: string };
  healthChecks?: Array<{
    apiVersion?: string;
    kind: string;
    name: string;
    namespace?: string;
  }>;
}

interface HelmReleaseSpec {
  interval?: string;
  suspend?: boolean;
  releaseName?: string;
  targetNamespace?: string;
  storageNamespace?: string;
  chart: {
    spec: {
      chart: string;
      version?: string;
      sourceRef: { kind: string; name: string; namespace?: string };
    };
  };
  test?: { enable?: boolean };
  values?: Record<string, unknown>;
}

interface HealthRun {
  revision: string;
  started: number;
  timeoutMs: number;
}

/**
 * Plays Flux's source-, kustomize- and helm-controller: sources fetch the
 * simulated remotes every `spec.interval` (or on `reconcile.fluxcd.io/
 * requestedAt`), Kustomizations apply the manifests of their source's
 * revision with owner labels, run health checks and prune, HelmReleases
 * install and upgrade a chart's workload; `spec.suspend` stops all of it.
 * Conditions, revisions, inventory, history and events follow the upstream
 * controllers (see the shared reference examples).
 */
export class FluxController implements ClusterComponent {
  private readonly store: ObjectStore;
  private readonly timers = new Map<string, TimerHandle>();
  private readonly health = new Map<string, HealthRun>();
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly cluster: SimulatedCluster,
    private readonly hub: SourceHub,
    private readonly events: EventRecorder,
  ) {
    this.store = cluster.store;
  }

  private get now(): number {
    return this.cluster.clock.now();
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

  private key(
    kind: FluxKind,
    obj: { metadata: { namespace?: string; name: string } },
  ) {
    return `${kind}/${obj.metadata.namespace}/${obj.metadata.name}`;
  }

  /** Reconciles `obj` after `delayMs` (replacing any pending run). */
  private schedule(
    kind: FluxKind,
    namespace: string,
    name: string,
    delayMs: number,
  ): void {
    const key = `${kind}/${namespace}/${name}`;
    this.timers.get(key)?.cancel();
    this.timers.set(
      key,
      this.cluster.clock.schedule(delayMs, () => {
        this.timers.delete(key);
        this.reconcile(kind, namespace, name);
      }),
    );
  }

  private scheduleNext(
    kind: FluxKind,
    obj: KubeObject,
    overrideMs?: number,
  ): void {
    const interval = parseDuration(
      (obj.spec as { interval?: string })?.interval,
      600_000,
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
      this.timers.get(this.key(kind, event.object))?.cancel();
      this.timers.delete(this.key(kind, event.object));
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
    if (kind !== 'Kustomization' && kind !== 'HelmRelease') {
      const revision = (o?: KubeObject) =>
        (o?.status as { artifact?: { revision?: string } } | undefined)
          ?.artifact?.revision;
      if (revision(prev) !== revision(next) && revision(next)) {
        for (const ks of this.store.listObjects(
          KUSTOMIZE_API,
          'Kustomization',
        )) {
          const ref = (ks.spec as KustomizationSpec).sourceRef;
          if (
            ref.kind === kind &&
            ref.name === next.metadata.name &&
            (ref.namespace ?? ks.metadata.namespace) === next.metadata.namespace
          ) {
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
  }

  reconcile(kind: FluxKind, namespace: string, name: string): void {
    const obj = this.store.getByKind(API_OF[kind], kind, namespace, name);
    if (!obj) return;
    if ((obj.spec as { suspend?: boolean }).suspend) {
      // Suspended objects are not reconciled until resumed (a generation change).
      return;
    }
    switch (kind) {
      case 'GitRepository':
      case 'OCIRepository':
      case 'HelmRepository':
        this.reconcileSource(kind, obj);
        break;
      case 'Kustomization':
        this.reconcileKustomization(obj);
        return; // schedules itself
      case 'HelmRelease':
        this.reconcileHelmRelease(obj);
        break;
      default:
        break;
    }
    const current = this.store.getByKind(API_OF[kind], kind, namespace, name);
    if (current) this.scheduleNext(kind, current);
  }

  /** Writes status, answering requestedAt with lastHandledReconcileAt. */
  private writeStatus(
    kind: FluxKind,
    obj: KubeObject,
    fn: (status: Record<string, unknown>) => void,
  ) {
    return this.store.mutate(
      API_OF[kind],
      kind,
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

  private conditionsOf(status: Record<string, unknown>): Condition[] {
    return (status.conditions as Condition[] | undefined) ?? [];
  }

  private reconcileSource(kind: FluxKind, source: KubeObject): void {
    const now = this.now;
    const generation = source.metadata.generation;
    const spec = source.spec as { url: string; ref?: { tag?: string } };
    if (kind === 'HelmRepository') {
      const revision = `sha256:${sha256Hex(`${spec.url}`)}`;
      this.writeSourceArtifact(kind, source, revision, now, undefined);
      return;
    }
    const remote = this.hub.get(spec.url);
    if (!remote) {
      const reason =
        kind === 'OCIRepository'
          ? 'OCIArtifactPullFailed'
          : 'GitOperationFailed';
      const message =
        kind === 'OCIRepository'
          ? `failed to determine artifact digest: GET ${spec.url}: MANIFEST_UNKNOWN: manifest unknown`
          : `failed to checkout and determine revision: unable to clone '${spec.url}': repository not found`;
      this.writeStatus(kind, source, status => {
        let conditions = this.conditionsOf(status);
        conditions = setCondition(
          conditions,
          condition('Ready', 'False', reason, message, generation),
          now,
        );
        conditions = setCondition(
          conditions,
          condition('FetchFailed', 'True', reason, message, generation),
          now,
        );
        status.conditions = conditions;
      });
      this.events.record(
        source,
        'Warning',
        reason,
        message,
        'source-controller',
      );
      return;
    }
    const head = remote.head();
    const revision = remote.revision(head);
    this.writeSourceArtifact(kind, source, revision, now, head.message);
  }

  private writeSourceArtifact(
    kind: FluxKind,
    source: KubeObject,
    revision: string,
    now: number,
    commitMessage: string | undefined,
  ): void {
    const previous = (
      source.status as { artifact?: { revision?: string } } | undefined
    )?.artifact?.revision;
    const generation = source.metadata.generation;
    const kindPath = kind.toLowerCase();
    this.writeStatus(kind, source, status => {
      const conditions = sourceReadyConditions(
        this.conditionsOf(status),
        kind,
        revision,
        generation,
        now,
      );
      status.conditions = conditions;
      status.observedGeneration = generation;
      if (previous !== revision)
        status.artifact = sourceArtifact(source, revision, now, kindPath);
    });
    if (previous !== revision) {
      const eventMessage =
        kind === 'GitRepository' && commitMessage
          ? `stored artifact for commit '${commitMessage}'`
          : `stored artifact with revision '${revision}' from '${
              (source.spec as { url: string }).url
            }'`;
      this.events.record(
        source,
        'Normal',
        'NewArtifact',
        eventMessage,
        'source-controller',
      );
    }
  }

  private healthStatus(check: {
    apiVersion?: string;
    kind: string;
    name: string;
    namespace?: string;
  }): string {
    let obj: KubeObject | undefined;
    try {
      obj = this.store.getByKind(
        check.apiVersion ?? 'apps/v1',
        check.kind,
        check.namespace,
        check.name,
      );
    } catch {
      return 'NotFound';
    }
    if (!obj) return 'NotFound';
    if (check.kind === 'Deployment') {
      const spec = obj.spec as { replicas?: number };
      const status = (obj.status ?? {}) as {
        observedGeneration?: number;
        availableReplicas?: number;
        updatedReplicas?: number;
      };
      const desired = spec.replicas ?? 1;
      if ((status.observedGeneration ?? 0) < (obj.metadata.generation ?? 1))
        return 'InProgress';
      return (status.availableReplicas ?? 0) >= desired &&
        (status.updatedReplicas ?? 0) >= desired
        ? 'Current'
        : 'InProgress';
    }
    if (check.kind === 'Canary') {
      const phase = (obj.status as { phase?: string } | undefined)?.phase ?? '';
      if (phase === 'Failed') return 'Failed';
      return ['Initialized', 'Succeeded'].includes(phase)
        ? 'Current'
        : 'InProgress';
    }
    return 'Current';
  }

  private reconcileKustomization(ks: KubeObject): void {
    const spec = ks.spec as KustomizationSpec;
    const now = this.now;
    const generation = ks.metadata.generation;
    const ns = ks.metadata.namespace ?? '';
    const interval = parseDuration(spec.interval, 600_000);
    const retry = parseDuration(spec.retryInterval, interval);
    const ref = spec.sourceRef;
    const sourceKind = ref.kind as FluxKind;
    const source = API_OF[sourceKind]
      ? this.store.getByKind(
          API_OF[sourceKind],
          ref.kind,
          ref.namespace ?? ns,
          ref.name,
        )
      : undefined;
    const revision = (
      source?.status as { artifact?: { revision?: string } } | undefined
    )?.artifact?.revision;
    const remote = source
      ? this.hub.get((source.spec as { url: string }).url)
      : undefined;
    const commit = revision ? remote?.commitFor(revision) : undefined;
    if (!source || !revision || !commit || !remote) {
      const message = `Source artifact not found, retrying in ${goDuration(
        30_000,
      )}`;
      this.writeStatus('Kustomization', ks, status => {
        status.conditions = setCondition(
          this.conditionsOf(status),
          condition('Ready', 'False', 'ArtifactFailed', message, generation),
          now,
        );
      });
      this.scheduleNext('Kustomization', ks, 30_000);
      return;
    }

    const status = (ks.status ?? {}) as {
      lastAttemptedRevision?: string;
      lastAppliedRevision?: string;
      observedGeneration?: number;
      inventory?: { entries: Array<{ id: string; v: string }> };
    };
    const run = this.health.get(this.key('Kustomization', ks));
    const upToDate =
      status.lastAppliedRevision === revision &&
      status.observedGeneration === generation;
    if (upToDate && !run && !this.requestedPending(ks)) {
      // Nothing new: a periodic run that finds no drift only refreshes status.
      this.writeStatus('Kustomization', ks, () => {});
      this.scheduleNext('Kustomization', ks);
      return;
    }

    if (!run || run.revision !== revision) {
      this.apply(
        ks,
        spec,
        remote.manifestsAt(spec.path ?? './', commit),
        revision,
        status.inventory?.entries ?? [],
      );
      this.health.set(this.key('Kustomization', ks), {
        revision,
        started: now,
        timeoutMs: parseDuration(spec.timeout, interval),
      });
    }
    const current = this.health.get(this.key('Kustomization', ks))!;
    const checks = spec.healthChecks ?? [];
    const pending = checks
      .map(c => ({
        c,
        s: this.healthStatus({ ...c, namespace: c.namespace ?? ns }),
      }))
      .filter(x => x.s !== 'Current');
    const elapsed = now - current.started;
    if (pending.length === 0) {
      this.health.delete(this.key('Kustomization', ks));
      this.markApplied(ks, revision, checks.length > 0 || !!spec.wait, elapsed);
      this.scheduleNext('Kustomization', ks);
      return;
    }
    const waitingFor = pending
      .map(
        ({ c, s }) => `${c.kind}/${c.namespace ?? ns}/${c.name} status: '${s}'`,
      )
      .join(', ');
    if (elapsed >= current.timeoutMs) {
      this.health.delete(this.key('Kustomization', ks));
      const healthMessage = `timeout waiting for: [${waitingFor}]`;
      const readyMessage = `health check failed after ${goDuration(
        elapsed + 12,
      )}: ${healthMessage}`;
      this.writeStatus('Kustomization', ks, st => {
        let conditions = this.conditionsOf(st);
        conditions = setCondition(
          conditions,
          condition(
            'Reconciling',
            'True',
            'ProgressingWithRetry',
            `Running health checks for revision ${revision} with a timeout of ${goDuration(
              current.timeoutMs,
            )}`,
            generation,
          ),
          now,
        );
        conditions = setCondition(
          conditions,
          condition(
            'Ready',
            'False',
            'HealthCheckFailed',
            readyMessage,
            generation,
          ),
          now,
        );
        conditions = setCondition(
          conditions,
          condition(
            'Healthy',
            'False',
            'HealthCheckFailed',
            healthMessage,
            generation,
          ),
          now,
        );
        st.conditions = conditions;
        st.lastAttemptedRevision = revision;
        this.pushHistory(st, revision, 'HealthCheckFailed', elapsed, now);
      });
      this.events.record(
        ks,
        'Warning',
        'HealthCheckFailed',
        readyMessage,
        'kustomize-controller',
      );
      this.scheduleNext('Kustomization', ks, retry);
      return;
    }
    this.writeStatus('Kustomization', ks, st => {
      let conditions = this.conditionsOf(st);
      const message = `Running health checks for revision ${revision} with a timeout of ${goDuration(
        current.timeoutMs,
      )}`;
      conditions = setCondition(
        conditions,
        condition('Reconciling', 'True', 'Progressing', message, generation),
        now,
      );
      conditions = setCondition(
        conditions,
        condition(
          'Ready',
          'Unknown',
          'Progressing',
          'Reconciliation in progress',
          generation,
        ),
        now,
      );
      conditions = setCondition(
        conditions,
        condition('Healthy', 'Unknown', 'Progressing', message, generation),
        now,
      );
      st.conditions = conditions;
      st.lastAttemptedRevision = revision;
    });
    this.scheduleNext('Kustomization', ks, HEALTH_POLL_MS);
  }

  private requestedPending(obj: KubeObject): boolean {
    const requested = obj.metadata.annotations?.[REQUESTED_AT];
    return (
      !!requested &&
      (obj.status as { lastHandledReconcileAt?: string } | undefined)
        ?.lastHandledReconcileAt !== requested
    );
  }

  /** Server-side-apply-like: fields in the manifest win, fields only in the cluster stay. */
  private apply(
    ks: KubeObject,
    spec: KustomizationSpec,
    manifests: KubeObject[],
    revision: string,
    previousInventory: Array<{ id: string; v: string }>,
  ): void {
    const ownerLabels = {
      'kustomize.toolkit.fluxcd.io/name': ks.metadata.name,
      'kustomize.toolkit.fluxcd.io/namespace': ks.metadata.namespace ?? '',
    };
    const changes: string[] = [];
    const applied: KubeObject[] = [];
    for (const m of manifests) {
      const resource = this.store.resourceFor(m);
      const obj: KubeObject = {
        ...m,
        metadata: {
          ...m.metadata,
          namespace: resource.namespaced
            ? spec.targetNamespace ??
              m.metadata.namespace ??
              ks.metadata.namespace
            : undefined,
          labels: { ...(m.metadata.labels ?? {}), ...ownerLabels },
        },
      };
      applied.push(obj);
      const existing = this.store.get(
        resource,
        obj.metadata.namespace,
        obj.metadata.name,
      );
      const id = `${obj.kind}/${
        obj.metadata.namespace ? `${obj.metadata.namespace}/` : ''
      }${obj.metadata.name}`;
      if (!existing) {
        this.store.create(obj);
        changes.push(`${id} created`);
        continue;
      }
      const { status: _s, ...desired } = obj;
      const merged = applyMergePatch(existing, desired) as KubeObject;
      const updated = this.store.update(merged);
      if (updated !== existing) changes.push(`${id} configured`);
    }
    if (spec.prune !== false) {
      const keep = new Set(applied.map(o => inventoryEntry(o).id));
      for (const entry of previousInventory) {
        if (keep.has(entry.id)) continue;
        const [namespace, name, group, kind] = entry.id.split('_');
        try {
          const resource = this.store.registry.forKind(
            group ? `${group}/${entry.v}` : entry.v,
            kind,
          );
          if (this.store.get(resource, namespace || undefined, name)) {
            this.store.delete(resource, namespace || undefined, name);
            changes.push(
              `${kind}/${namespace ? `${namespace}/` : ''}${name} deleted`,
            );
          }
        } catch {
          // an unknown kind cannot have been applied here
        }
      }
    }
    this.writeStatus('Kustomization', ks, st => {
      st.inventory = { entries: applied.map(inventoryEntry) };
      st.lastAttemptedRevision = revision;
    });
    if (changes.length > 0) {
      this.events.record(
        ks,
        'Normal',
        'Progressing',
        changes.join('\n'),
        'kustomize-controller',
      );
    }
  }

  private pushHistory(
    st: Record<string, unknown>,
    revision: string,
    result: string,
    durationMs: number,
    now: number,
  ): void {
    const history = [...((st.history as Array<Record<string, unknown>>) ?? [])];
    const digest = `sha256:${sha256Hex(`${revision}/${result}`)}`;
    const existing = history.find(h => h.digest === digest);
    if (existing) {
      existing.lastReconciled = isoTime(now);
      existing.lastReconciledDuration = goDuration(durationMs);
      existing.totalReconciliations =
        Number(existing.totalReconciliations ?? 0) + 1;
    } else {
      history.unshift({
        digest,
        firstReconciled: isoTime(now),
        lastReconciled: isoTime(now),
        lastReconciledDuration: goDuration(durationMs),
        lastReconciledStatus: result,
        totalReconciliations: 1,
        metadata: { revision },
      });
    }
    st.history = history.slice(0, 5);
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
    this.writeStatus('Kustomization', ks, st => {
      const conditions = appliedConditions(
        this.conditionsOf(st),
        revision,
        healthChecked ? duration : undefined,
        generation,
        now,
      );
      st.conditions = conditions;
      st.observedGeneration = generation;
      st.lastAppliedRevision = revision;
      st.lastAttemptedRevision = revision;
      this.pushHistory(st, revision, 'ReconciliationSucceeded', elapsed, now);
    });
    const spec = ks.spec as KustomizationSpec;
    this.events.record(
      ks,
      'Normal',
      'ReconciliationSucceeded',
      `Reconciliation finished in ${duration}, next run in ${goDuration(
        parseDuration(spec.interval, 600_000),
      )}`,
      'kustomize-controller',
    );
  }

  private reconcileHelmRelease(hr: KubeObject): void {
    const spec = hr.spec as HelmReleaseSpec;
    const now = this.now;
    const ns = hr.metadata.namespace ?? '';
    const generation = hr.metadata.generation ?? 1;
    const status = (hr.status ?? {}) as {
      observedGeneration?: number;
      history?: Array<Record<string, unknown>>;
    };
    const chartRef = spec.chart.spec;
    const repoNs = chartRef.sourceRef.namespace ?? ns;
    const repo = this.store.getByKind(
      SOURCE_API,
      'HelmRepository',
      repoNs,
      chartRef.sourceRef.name,
    );
    const releaseName = spec.releaseName ?? hr.metadata.name;
    const targetNs = spec.targetNamespace ?? ns;
    const chartVersion = /^[\d.]+(-[\w.]+)?$/.test(chartRef.version ?? '')
      ? chartRef.version!
      : '1.0.0';
    const chartId = `${chartRef.chart}@${chartVersion}`;
    if (!repo) {
      const message = `HelmChart '${repoNs}/${ns}-${hr.metadata.name}' is not ready: latest generation of object has not been reconciled`;
      this.writeStatus('HelmRelease', hr, st => {
        st.conditions = setCondition(
          this.conditionsOf(st),
          condition('Ready', 'False', 'ArtifactFailed', message, generation),
          now,
        );
      });
      return;
    }
    const history = status.history ?? [];
    const needsRelease =
      status.observedGeneration !== generation ||
      history.length === 0 ||
      this.requestedPending(hr);
    if (!needsRelease) {
      this.writeStatus('HelmRelease', hr, () => {});
      return;
    }
    this.upsertHelmChart(hr, repoNs, chartRef.chart, chartVersion, now);
    const version = Number(history[0]?.version ?? 0) + 1;
    const action = history.length === 0 ? 'install' : 'upgrade';
    this.installChartWorkload(
      hr,
      releaseName,
      targetNs,
      chartRef.chart,
      chartVersion,
      spec.values ?? {},
    );
    const verb = action === 'install' ? 'install' : 'upgrade';
    const reason =
      action === 'install' ? 'InstallSucceeded' : 'UpgradeSucceeded';
    const message = `Helm ${verb} succeeded for release ${targetNs}/${releaseName}.v${version} with chart ${chartId}`;
    const appVersion =
      (spec.values?.image as { tag?: string } | undefined)?.tag ?? chartVersion;
    this.writeStatus('HelmRelease', hr, st => {
      let conditions = removeCondition(this.conditionsOf(st), 'Reconciling');
      conditions = setCondition(
        conditions,
        condition('Ready', 'True', reason, message, generation),
        now,
      );
      conditions = setCondition(
        conditions,
        condition('Released', 'True', reason, message, generation),
        now,
      );
      if (spec.test?.enable) {
        conditions = setCondition(
          conditions,
          condition(
            'TestSuccess',
            'True',
            'TestSucceeded',
            `Helm test succeeded for release ${targetNs}/${releaseName}.v${version} with chart ${chartId}: no test hooks`,
            generation,
          ),
          now,
        );
      }
      st.conditions = conditions;
      st.observedGeneration = generation;
      st.lastAttemptedGeneration = generation;
      st.lastAttemptedRevision = chartVersion;
      st.lastAttemptedConfigDigest = `sha256:${sha256Hex(
        JSON.stringify(spec.values ?? {}),
      )}`;
      st.lastAttemptedReleaseAction = action;
      st.helmChart = `${repoNs}/${ns}-${hr.metadata.name}`;
      st.storageNamespace = spec.storageNamespace ?? targetNs;
      st.history = [
        {
          appVersion,
          chartName: chartRef.chart,
          chartVersion,
          configDigest: `sha256:${sha256Hex(
            JSON.stringify(spec.values ?? {}),
          )}`,
          digest: `sha256:${sha256Hex(`${releaseName}/${version}/${chartId}`)}`,
          firstDeployed:
            (history[history.length - 1]?.firstDeployed as string) ??
            isoTime(now),
          lastDeployed: isoTime(now),
          name: releaseName,
          namespace: targetNs,
          status: 'deployed',
          version,
        },
        ...history.slice(0, 4).map(h => ({ ...h, status: 'superseded' })),
      ];
    });
    this.events.record(hr, 'Normal', reason, message, 'helm-controller');
  }

  private upsertHelmChart(
    hr: KubeObject,
    repoNs: string,
    chart: string,
    version: string,
    now: number,
  ): void {
    const name = `${hr.metadata.namespace}-${hr.metadata.name}`;
    const spec = (hr.spec as HelmReleaseSpec).chart.spec;
    const existing = this.store.getByKind(
      SOURCE_API,
      'HelmChart',
      repoNs,
      name,
    );
    const base: KubeObject = existing ?? {
      apiVersion: SOURCE_API,
      kind: 'HelmChart',
      metadata: { name, namespace: repoNs },
      spec: {},
    };
    const revision = version;
    const message = `packaged '${chart}' chart with version '${version}'`;
    const obj: KubeObject = {
      ...base,
      spec: {
        chart,
        version: spec.version ?? '*',
        sourceRef: { kind: 'HelmRepository', name: spec.sourceRef.name },
        interval: '10m',
        reconcileStrategy: 'ChartVersion',
      },
    };
    const stored = existing ? this.store.update(obj) : this.store.create(obj);
    this.store.mutate(SOURCE_API, 'HelmChart', repoNs, name, c => {
      let conditions: Condition[] = [];
      conditions = setCondition(
        conditions,
        condition(
          'Ready',
          'True',
          'ChartPullSucceeded',
          message,
          stored.metadata.generation,
        ),
        now,
      );
      conditions = setCondition(
        conditions,
        condition(
          'ArtifactInStorage',
          'True',
          'Succeeded',
          message,
          stored.metadata.generation,
        ),
        now,
      );
      c.status = {
        observedGeneration: stored.metadata.generation,
        observedChartName: chart,
        artifact: sourceArtifact(stored, revision, now, 'helmchart'),
        conditions,
      };
    });
  }

  /** What the chart renders: a Deployment and a Service with Helm's and Flux's labels. */
  private installChartWorkload(
    hr: KubeObject,
    release: string,
    namespace: string,
    chart: string,
    version: string,
    values: Record<string, unknown>,
  ): void {
    const name = release.includes(chart) ? release : `${release}-${chart}`;
    const labels = {
      'app.kubernetes.io/name': chart,
      'app.kubernetes.io/instance': release,
      'app.kubernetes.io/managed-by': 'Helm',
      'helm.sh/chart': `${chart}-${version}`,
      'helm.toolkit.fluxcd.io/name': hr.metadata.name,
      'helm.toolkit.fluxcd.io/namespace': hr.metadata.namespace ?? '',
    };
    const selector = {
      'app.kubernetes.io/name': chart,
      'app.kubernetes.io/instance': release,
    };
    const image = values.image as
      | { repository?: string; tag?: string }
      | undefined;
    const port = Number(values.port ?? 6379);
    const deployment: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name,
        namespace,
        labels,
        annotations: {
          'meta.helm.sh/release-name': release,
          'meta.helm.sh/release-namespace': namespace,
        },
      },
      spec: {
        replicas: Number(values.replicaCount ?? 1),
        selector: { matchLabels: selector },
        template: {
          metadata: {
            labels: { ...selector, 'helm.sh/chart': `${chart}-${version}` },
          },
          spec: {
            containers: [
              {
                name: chart,
                image: `${image?.repository ?? `docker.io/library/${chart}`}:${
                  image?.tag ?? version
                }`,
                ports: [{ name: 'tcp', containerPort: port }],
              },
            ],
          },
        },
      },
    };
    const service: KubeObject = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace, labels },
      spec: {
        type: 'ClusterIP',
        selector,
        ports: [{ name: 'tcp', port, targetPort: 'tcp', protocol: 'TCP' }],
      },
    };
    for (const obj of [deployment, service]) {
      const existing = this.store.getByKind(
        obj.apiVersion,
        obj.kind,
        namespace,
        name,
      );
      if (existing)
        this.store.update(applyMergePatch(existing, obj) as KubeObject);
      else this.store.create(obj);
    }
  }
}
