import { Entity } from '@backstage/catalog-model';
import { RESOLVING_ANNOTATIONS } from '@progressive-delivery/plugin-progressive-delivery-common';

/**
 * Whether the entity carries an annotation that links it to cluster objects
 * (`backstage.io/kubernetes-id`, `backstage.io/kubernetes-label-selector` or
 * `progressive-delivery/canary`).
 *
 * @public
 */
export function isProgressiveDeliveryAvailable(entity: Entity): boolean {
  const annotations = entity.metadata.annotations ?? {};
  return RESOLVING_ANNOTATIONS.some(key => Boolean(annotations[key]));
}

/**
 * Where the Delivery tab appears in the new frontend system: on annotated entities, and on every
 * Component so that a service without annotations learns how to add them.
 */
export function showsDeliveryTab(entity: Entity): boolean {
  return (
    isProgressiveDeliveryAvailable(entity) ||
    entity.kind.toLocaleLowerCase('en-US') === 'component'
  );
}
