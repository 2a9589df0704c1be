/**
 * Annotations of the Backstage Kubernetes plugin, reused so that catalogs which already work with
 * it need no change.
 *
 * @public
 */
export const KUBERNETES_ANNOTATIONS = {
  /** Matched against the label of the same name on Kubernetes objects. */
  id: 'backstage.io/kubernetes-id',
  /** A label selector (`app=podinfo,tier in (web)`) matched against Kubernetes objects. */
  labelSelector: 'backstage.io/kubernetes-label-selector',
  /** Restricts matching to one namespace. */
  namespace: 'backstage.io/kubernetes-namespace',
  /** Restricts matching to one cluster (by its configured name). */
  cluster: 'backstage.io/kubernetes-cluster',
} as const;

/**
 * The label Kubernetes objects carry for `backstage.io/kubernetes-id`.
 *
 * @public
 */
export const KUBERNETES_ID_LABEL = 'backstage.io/kubernetes-id';

/**
 * Annotations owned by the Progressive Delivery plugins.
 *
 * @public
 */
export const PROGRESSIVE_DELIVERY_ANNOTATIONS = {
  /** An explicit Flagger Canary, `<namespace>/<name>`; several separated by commas. */
  canary: 'progressive-delivery/canary',
  /** The tenant (namespace owner) the entity belongs to. */
  tenant: 'progressive-delivery/tenant',
} as const;

/**
 * Every annotation that makes an entity resolvable to cluster objects.
 *
 * @public
 */
export const RESOLVING_ANNOTATIONS: readonly string[] = [
  KUBERNETES_ANNOTATIONS.id,
  KUBERNETES_ANNOTATIONS.labelSelector,
  PROGRESSIVE_DELIVERY_ANNOTATIONS.canary,
];

/**
 * Flux's owner labels, set by kustomize-controller and helm-controller on what they apply.
 *
 * @public
 */
export const FLUX_OWNER_LABELS = {
  kustomizationName: 'kustomize.toolkit.fluxcd.io/name',
  kustomizationNamespace: 'kustomize.toolkit.fluxcd.io/namespace',
  helmReleaseName: 'helm.toolkit.fluxcd.io/name',
  helmReleaseNamespace: 'helm.toolkit.fluxcd.io/namespace',
} as const;

/**
 * A reference to a namespaced object: `{ namespace, name }`.
 *
 * @public
 */
export interface NamespacedName {
  namespace: string;
  name: string;
}

/**
 * Parses the value of `progressive-delivery/canary`: `<namespace>/<name>`, several separated by
 * commas. Returns the valid references and the parts that could not be read.
 *
 * @public
 */
export function parseCanaryAnnotation(value: string): {
  refs: NamespacedName[];
  invalid: string[];
} {
  const refs: NamespacedName[] = [];
  const invalid: string[] = [];
  for (const part of value.split(',')) {
    const trimmed = part.trim();
    if (!trimmed) {
      continue;
    }
    const match =
      /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\/([a-z0-9]([-.a-z0-9]*[a-z0-9])?)$/.exec(
        trimmed,
      );
    if (match) {
      refs.push({ namespace: match[1], name: match[3] });
    } else {
      invalid.push(trimmed);
    }
  }
  return { refs, invalid };
}
