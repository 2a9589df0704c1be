import { KubeObject } from '../../types';
import { conditionsOf } from '../conditions';
import { FluxReconciler, FluxReconcilerDeps } from '../FluxReconciler';
import { artifactRevision, FluxKind } from '../kinds';
import { sourceArtifact, sourceReadyConditions } from './artifacts';

/** A source-controller reconciler: fetches and stores an artifact. */
export abstract class SourceReconciler extends FluxReconciler {
  constructor(kind: FluxKind, deps: FluxReconcilerDeps) {
    super(kind, 'source-controller', deps);
  }

  /** Stores `revision` as the source's artifact; a new one gets a NewArtifact event. */
  protected storeArtifact(
    source: KubeObject,
    revision: string,
    commitMessage?: string,
  ): void {
    const now = this.now;
    const previous = artifactRevision(source);
    const generation = source.metadata.generation;
    this.writeStatus(source, status => {
      status.conditions = sourceReadyConditions(
        conditionsOf(status),
        this.kind,
        revision,
        generation,
        now,
      );
      status.observedGeneration = generation;
      if (previous !== revision)
        status.artifact = sourceArtifact(source, revision, now);
    });
    if (previous !== revision) {
      this.recordEvent(
        source,
        'Normal',
        'NewArtifact',
        this.newArtifactMessage(source, revision, commitMessage),
      );
    }
  }

  protected newArtifactMessage(
    source: KubeObject,
    revision: string,
    _commitMessage: string | undefined,
  ): string {
    return `stored artifact with revision '${revision}' from '${
      (source.spec as { url: string }).url
    }'`;
  }
}
