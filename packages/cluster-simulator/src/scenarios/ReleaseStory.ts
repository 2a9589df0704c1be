import { TimerHandle } from '../clock';
import { SimulatedCluster } from '../cluster/SimulatedCluster';
import { GitRemote } from '../flux/GitRemote';
import { isoTime } from '../util/time';
import { ClusterComponent, KubeObject } from '../types';
import { Health, healthAnnotations } from '../util/simulatedHealth';

/** One application whose team keeps releasing. */
export interface StoryApp {
  namespace: string;
  name: string;
  remote: GitRemote;
  /** File in the remote holding the app's manifests. */
  file: string;
  /** The GitRepository to poke (as a Flux Receiver would on a push). */
  source: { namespace: string; name: string };
  firstAtMs: number;
  everyMs: number;
  /** Health of the n-th new release (0-based). */
  health: (release: number) => Health;
}

const IDLE_PHASES = ['Succeeded', 'Failed', 'Initialized'];
const BUSY_RECHECK_MS = 30_000;

function bumpPatch(tag: string): string {
  const parts = tag.split('.');
  const last = Number(parts[parts.length - 1]);
  parts[parts.length - 1] = String(Number.isFinite(last) ? last + 1 : 1);
  return parts.join('.');
}

/**
 * Makes new revisions arrive: when an app's canary is idle, commits the next
 * image tag (with the health that release will show) to its Git remote and
 * requests a reconcile of the GitRepository, like a push webhook. Flux
 * applies it, Flagger analyses it.
 */
export class ReleaseStory implements ClusterComponent {
  /** The pending timer per app (`namespace/name`). */
  private readonly timers = new Map<string, TimerHandle>();
  private readonly releases = new Map<string, number>();

  constructor(
    private readonly cluster: SimulatedCluster,
    private readonly apps: StoryApp[],
  ) {}

  start(): void {
    for (const app of this.apps) this.at(app, app.firstAtMs);
  }

  stop(): void {
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
  }

  private at(app: StoryApp, delay: number): void {
    this.timers.set(
      `${app.namespace}/${app.name}`,
      this.cluster.clock.schedule(delay, () => this.tick(app)),
    );
  }

  private tick(app: StoryApp): void {
    const canary = this.cluster.store.getByKind(
      'flagger.app/v1beta1',
      'Canary',
      app.namespace,
      app.name,
    );
    const phase =
      (canary?.status as { phase?: string } | undefined)?.phase ?? '';
    if (canary && !IDLE_PHASES.includes(phase)) {
      this.at(app, BUSY_RECHECK_MS);
      return;
    }
    this.release(app);
    this.at(app, app.everyMs);
  }

  /** Commits the next release of `app` and asks Flux to fetch it now. */
  release(app: StoryApp): string {
    const key = `${app.namespace}/${app.name}`;
    const n = this.releases.get(key) ?? 0;
    this.releases.set(key, n + 1);
    const health = app.health(n);
    let tag = '';
    const now = this.cluster.clock.now();
    app.remote.commit(
      `Release ${app.name} ${this.nextTag(app)}`,
      files => {
        const deployment = (files[app.file] ?? []).find(
          o => o.kind === 'Deployment',
        );
        if (deployment) tag = this.bump(deployment, health);
      },
      now,
    );
    this.cluster.store.mutate(
      'source.toolkit.fluxcd.io/v1',
      'GitRepository',
      app.source.namespace,
      app.source.name,
      r => {
        r.metadata.annotations = {
          ...(r.metadata.annotations ?? {}),
          'reconcile.fluxcd.io/requestedAt': isoTime(now),
        };
      },
    );
    return tag;
  }

  private nextTag(app: StoryApp): string {
    const deployment = (app.remote.head().files[app.file] ?? []).find(
      o => o.kind === 'Deployment',
    );
    const image = this.image(deployment);
    return bumpPatch(image?.split(':').pop() ?? '0.0.0');
  }

  private image(deployment: KubeObject | undefined): string | undefined {
    const spec = deployment?.spec as
      | { template: { spec: { containers: Array<{ image?: string }> } } }
      | undefined;
    return spec?.template.spec.containers[0]?.image;
  }

  private bump(deployment: KubeObject, health: Health): string {
    const spec = deployment.spec as {
      template: {
        metadata: { annotations?: Record<string, string> };
        spec: { containers: Array<{ image?: string }> };
      };
    };
    const container = spec.template.spec.containers[0];
    const [repo, tag] = (container.image ?? 'image:0.0.0').split(/:(?=[^:]*$)/);
    const next = bumpPatch(tag ?? '0.0.0');
    container.image = `${repo}:${next}`;
    deployment.metadata.labels = {
      ...(deployment.metadata.labels ?? {}),
      'app.kubernetes.io/version': next,
    };
    spec.template.metadata.annotations = {
      ...(spec.template.metadata.annotations ?? {}),
      ...healthAnnotations(health),
    };
    return next;
  }
}
