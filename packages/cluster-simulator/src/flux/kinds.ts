import { KubeObject } from '../types';

/** The Flux API groups and versions the simulated controllers serve. */
export const SOURCE_API = 'source.toolkit.fluxcd.io/v1';
export const KUSTOMIZE_API = 'kustomize.toolkit.fluxcd.io/v1';
export const HELM_API = 'helm.toolkit.fluxcd.io/v2';

/** The annotation `flux reconcile` sets; answered by `status.lastHandledReconcileAt`. */
export const REQUESTED_AT = 'reconcile.fluxcd.io/requestedAt';

/** The kinds that reconcile on their own interval. */
export type FluxKind =
  | 'GitRepository'
  | 'OCIRepository'
  | 'HelmRepository'
  | 'Kustomization'
  | 'HelmRelease';

export const API_OF: Record<FluxKind, string> = {
  GitRepository: SOURCE_API,
  OCIRepository: SOURCE_API,
  HelmRepository: SOURCE_API,
  Kustomization: KUSTOMIZE_API,
  HelmRelease: HELM_API,
};

/** FluxKind by the store's resource key (`<group>/<plural>`). */
export const KIND_OF_KEY: Record<string, FluxKind> = {
  'source.toolkit.fluxcd.io/gitrepositories': 'GitRepository',
  'source.toolkit.fluxcd.io/ocirepositories': 'OCIRepository',
  'source.toolkit.fluxcd.io/helmrepositories': 'HelmRepository',
  'kustomize.toolkit.fluxcd.io/kustomizations': 'Kustomization',
  'helm.toolkit.fluxcd.io/helmreleases': 'HelmRelease',
};

export interface SourceRef {
  kind: string;
  name: string;
  namespace?: string;
}

/** The revision of a source's stored artifact, if it has one. */
export function artifactRevision(source?: KubeObject): string | undefined {
  return (source?.status as { artifact?: { revision?: string } } | undefined)
    ?.artifact?.revision;
}
