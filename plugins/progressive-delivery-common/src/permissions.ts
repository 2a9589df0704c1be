import { createPermission } from '@backstage/plugin-permission-common';

/**
 * The resource type of every Progressive Delivery permission: the catalog entity, so that
 * policies can use the catalog's conditional rules (for example "only owners may roll back").
 *
 * @public
 */
export const PROGRESSIVE_DELIVERY_RESOURCE_TYPE = 'catalog-entity';

/**
 * Guards reading an entity's delivery state: canaries, Flux objects, Istio routing, events.
 *
 * @public
 */
export const progressiveDeliveryEntityReadPermission = createPermission({
  name: 'progressive-delivery.entity.read',
  attributes: { action: 'read' },
  resourceType: PROGRESSIVE_DELIVERY_RESOURCE_TYPE,
});

/**
 * Guards opening a Flagger gate (confirm-rollout, confirm-promotion, confirm-traffic-increase)
 * of one of the entity's canaries.
 *
 * @public
 */
export const progressiveDeliveryCanaryApprovePermission = createPermission({
  name: 'progressive-delivery.canary.approve',
  attributes: { action: 'update' },
  resourceType: PROGRESSIVE_DELIVERY_RESOURCE_TYPE,
});

/**
 * Guards triggering a Flagger rollback (or halting) of one of the entity's canaries.
 *
 * @public
 */
export const progressiveDeliveryCanaryRollbackPermission = createPermission({
  name: 'progressive-delivery.canary.rollback',
  attributes: { action: 'update' },
  resourceType: PROGRESSIVE_DELIVERY_RESOURCE_TYPE,
});

/**
 * Guards requesting a Flux reconciliation of the entity's Kustomizations, HelmReleases and
 * sources.
 *
 * @public
 */
export const progressiveDeliveryFluxReconcilePermission = createPermission({
  name: 'progressive-delivery.flux.reconcile',
  attributes: { action: 'update' },
  resourceType: PROGRESSIVE_DELIVERY_RESOURCE_TYPE,
});

/**
 * Guards suspending and resuming the entity's Flux objects.
 *
 * @public
 */
export const progressiveDeliveryFluxSuspendPermission = createPermission({
  name: 'progressive-delivery.flux.suspend',
  attributes: { action: 'update' },
  resourceType: PROGRESSIVE_DELIVERY_RESOURCE_TYPE,
});

/**
 * All Progressive Delivery permissions, for registration with the permission framework.
 *
 * @public
 */
export const progressiveDeliveryPermissions = [
  progressiveDeliveryEntityReadPermission,
  progressiveDeliveryCanaryApprovePermission,
  progressiveDeliveryCanaryRollbackPermission,
  progressiveDeliveryFluxReconcilePermission,
  progressiveDeliveryFluxSuspendPermission,
];
