import { Entity } from '@backstage/catalog-model';
import {
  KUBERNETES_ANNOTATIONS,
  parseCanaryAnnotation,
  PROGRESSIVE_DELIVERY_ANNOTATIONS,
} from '@progressive-delivery/plugin-progressive-delivery-common';
import { parseLabelSelector, SelectorTerm } from './labelSelector';

/** What an entity's annotations ask for. */
export interface EntitySelection {
  kubernetesId?: string;
  labelSelector?: SelectorTerm[];
  namespace?: string;
  cluster?: string;
  canaries: Array<{ namespace: string; name: string }>;
  /** Annotation values that could not be read. */
  invalid: string[];
}

/** Parsed selections per entity object. */
const selections = new WeakMap<Entity, EntitySelection | undefined>();

/**
 * Reads an entity's annotations: the Kubernetes plugin's and `progressive-delivery/canary`.
 * Returns undefined when the entity has none of them.
 */
export function readEntitySelection(
  entity: Entity,
): EntitySelection | undefined {
  // Entities are read-only once fetched; a page view or a recorder pass re-reads the same ones.
  if (selections.has(entity)) {
    return selections.get(entity);
  }
  const selection = parseEntitySelection(entity);
  selections.set(entity, selection);
  return selection;
}

function parseEntitySelection(entity: Entity): EntitySelection | undefined {
  const annotations = entity.metadata.annotations ?? {};
  const kubernetesId = annotations[KUBERNETES_ANNOTATIONS.id]?.trim();
  const selectorText =
    annotations[KUBERNETES_ANNOTATIONS.labelSelector]?.trim();
  const canaryText =
    annotations[PROGRESSIVE_DELIVERY_ANNOTATIONS.canary]?.trim();
  if (!kubernetesId && !selectorText && !canaryText) {
    return undefined;
  }
  const selection: EntitySelection = {
    kubernetesId: kubernetesId || undefined,
    namespace:
      annotations[KUBERNETES_ANNOTATIONS.namespace]?.trim() || undefined,
    cluster: annotations[KUBERNETES_ANNOTATIONS.cluster]?.trim() || undefined,
    canaries: [],
    invalid: [],
  };
  if (selectorText) {
    try {
      selection.labelSelector = parseLabelSelector(selectorText);
    } catch (error) {
      selection.invalid.push(
        `${KUBERNETES_ANNOTATIONS.labelSelector}: ${(error as Error).message}`,
      );
    }
  }
  if (canaryText) {
    const { refs, invalid } = parseCanaryAnnotation(canaryText);
    selection.canaries = refs;
    selection.invalid.push(
      ...invalid.map(
        v =>
          `${PROGRESSIVE_DELIVERY_ANNOTATIONS.canary}: "${v}" is not <namespace>/<name>`,
      ),
    );
  }
  return selection;
}
