import { KubeObject } from '../../types';
import { FluxReconcilerDeps } from '../FluxReconciler';
import { FetchFailure, RemoteSourceReconciler } from './RemoteSourceReconciler';

/** GitRepository: clones the simulated remote's head commit. */
export class GitRepositoryReconciler extends RemoteSourceReconciler {
  constructor(deps: FluxReconcilerDeps) {
    super('GitRepository', deps);
  }

  protected fetchFailure(url: string): FetchFailure {
    return {
      reason: 'GitOperationFailed',
      message: `failed to checkout and determine revision: unable to clone '${url}': repository not found`,
    };
  }

  protected newArtifactMessage(
    source: KubeObject,
    revision: string,
    commitMessage: string | undefined,
  ): string {
    return commitMessage
      ? `stored artifact for commit '${commitMessage}'`
      : super.newArtifactMessage(source, revision, commitMessage);
  }
}
