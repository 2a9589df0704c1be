import { JsonObject } from '@backstage/types';

/**
 * What a generated file holds: Kubernetes objects applied to clusters, a kustomize build file, or a
 * Backstage catalog entity. Only the first kind goes through schema validation.
 */
export type GeneratedFileKind = 'kubernetes' | 'kustomize' | 'catalog';

export interface GeneratedFile {
  /** Path inside the GitOps repository. */
  path: string;
  kind: GeneratedFileKind;
  documents: JsonObject[];
}
