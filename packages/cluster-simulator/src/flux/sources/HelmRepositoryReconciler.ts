import { KubeObject } from '../../types';
import { FluxReconcilerDeps } from '../FluxReconciler';
import { sha256Hex } from '../digests';
import { SourceReconciler } from './SourceReconciler';

/** HelmRepository: stores the repository index; its revision is the index digest. */
export class HelmRepositoryReconciler extends SourceReconciler {
  constructor(deps: FluxReconcilerDeps) {
    super('HelmRepository', deps);
  }

  reconcile(source: KubeObject): undefined {
    const { url } = source.spec as { url: string };
    this.storeArtifact(source, `sha256:${sha256Hex(`${url}`)}`);
    return undefined;
  }
}
