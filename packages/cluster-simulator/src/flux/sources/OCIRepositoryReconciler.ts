import { FluxReconcilerDeps } from '../FluxReconciler';
import { FetchFailure, RemoteSourceReconciler } from './RemoteSourceReconciler';

/** OCIRepository: pulls the simulated registry's artifact for its tag. */
export class OCIRepositoryReconciler extends RemoteSourceReconciler {
  constructor(deps: FluxReconcilerDeps) {
    super('OCIRepository', deps);
  }

  protected fetchFailure(url: string): FetchFailure {
    return {
      reason: 'OCIArtifactPullFailed',
      message: `failed to determine artifact digest: GET ${url}: MANIFEST_UNKNOWN: manifest unknown`,
    };
  }
}
