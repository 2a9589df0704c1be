import { KubeObject } from '../../types';
import { condition, conditionsOf, setConditions } from '../conditions';
import { SourceReconciler } from './SourceReconciler';

/** Why fetching from a remote failed, in the controller's words. */
export interface FetchFailure {
  reason: string;
  message: string;
}

/**
 * Git and OCI sources: fetch the head of their simulated remote every
 * interval and store it; a remote that does not exist is a fetch failure.
 */
export abstract class RemoteSourceReconciler extends SourceReconciler {
  protected abstract fetchFailure(url: string): FetchFailure;

  reconcile(source: KubeObject): undefined {
    const { url } = source.spec as { url: string };
    const remote = this.deps.hub.get(url);
    if (!remote) {
      this.failFetch(source, this.fetchFailure(url));
      return undefined;
    }
    const head = remote.head();
    this.storeArtifact(source, remote.revision(head), head.message);
    return undefined;
  }

  private failFetch(source: KubeObject, { reason, message }: FetchFailure) {
    const now = this.now;
    const generation = source.metadata.generation;
    this.writeStatus(source, status => {
      status.conditions = setConditions(
        conditionsOf(status),
        [
          condition('Ready', 'False', reason, message, generation),
          condition('FetchFailed', 'True', reason, message, generation),
        ],
        now,
      );
    });
    this.recordEvent(source, 'Warning', reason, message);
  }
}
