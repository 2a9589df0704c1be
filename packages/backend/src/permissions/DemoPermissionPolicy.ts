import { UserInfoService } from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  isPermission,
  isResourcePermission,
  Permission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import {
  PROGRESSIVE_DELIVERY_RESOURCE_TYPE,
  progressiveDeliveryCanaryApprovePermission,
  progressiveDeliveryCanaryRollbackPermission,
  progressiveDeliveryFluxReconcilePermission,
  progressiveDeliveryFluxSuspendPermission,
} from '@progressive-delivery/plugin-progressive-delivery-common';

/**
 * The permissions that change a cluster: approve (open a gate), roll back (and halt),
 * reconcile, suspend (and resume). Only the entity's owners hold them.
 */
export const OWNER_ONLY_PERMISSIONS: readonly Permission[] = [
  progressiveDeliveryCanaryApprovePermission,
  progressiveDeliveryCanaryRollbackPermission,
  progressiveDeliveryFluxReconcilePermission,
  progressiveDeliveryFluxSuspendPermission,
];

/**
 * The demo's permission policy. Everyone may read everything (catalog, delivery state,
 * history) and use every other feature of the portal as with the allow-all policy; the
 * Progressive Delivery actions are allowed only on entities owned by the user or by a group
 * the user is a member of: a conditional decision with the catalog's `isEntityOwner` rule on
 * the user's ownership claims, which the catalog resolves against the entity's `ownedBy`
 * relations.
 *
 * The claims come from the user info service (the `ent` claim of the user's token, set at
 * sign-in from the user's catalog entity and its groups), not from the deprecated
 * `PolicyQueryUser.info`.
 */
export class DemoPermissionPolicy implements PermissionPolicy {
  constructor(private readonly options: { userInfo: UserInfoService }) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const { permission } = request;
    if (!OWNER_ONLY_PERMISSIONS.some(p => isPermission(permission, p))) {
      return { result: AuthorizeResult.ALLOW };
    }
    // A service principal (no user) owns nothing, and the permissions only make sense on an
    // entity.
    if (
      !user ||
      !isResourcePermission(permission, PROGRESSIVE_DELIVERY_RESOURCE_TYPE)
    ) {
      return { result: AuthorizeResult.DENY };
    }
    const { ownershipEntityRefs: claims } =
      await this.options.userInfo.getUserInfo(user.credentials);
    if (claims.length === 0) {
      return { result: AuthorizeResult.DENY };
    }
    return createCatalogConditionalDecision(
      permission,
      catalogConditions.isEntityOwner({ claims }),
    );
  }
}
