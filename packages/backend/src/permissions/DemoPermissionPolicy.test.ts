import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import {
  AuthorizeResult,
  ConditionalPolicyDecision,
  createPermission,
  Permission,
  PermissionCondition,
} from '@backstage/plugin-permission-common';
import { PolicyQueryUser } from '@backstage/plugin-permission-node';
import { permissionRules } from '@backstage/plugin-catalog-backend/alpha';
import {
  progressiveDeliveryCanaryApprovePermission,
  progressiveDeliveryCanaryRollbackPermission,
  progressiveDeliveryEntityReadPermission,
  progressiveDeliveryFluxReconcilePermission,
  progressiveDeliveryFluxSuspendPermission,
} from '@progressive-delivery/plugin-progressive-delivery-common';
import { DemoPermissionPolicy } from './DemoPermissionPolicy';

const GUEST = 'user:default/guest';
// The guest's claims at sign-in: itself and its group (examples/org.yaml).
const GUEST_CLAIMS = [GUEST, 'group:default/team-a'];

const policyFor = (ownershipEntityRefs: string[]) =>
  new DemoPermissionPolicy({
    userInfo: mockServices.userInfo({ ownershipEntityRefs }),
  });

const userQuery = (userEntityRef = GUEST): PolicyQueryUser => ({
  credentials: mockCredentials.user(userEntityRef),
  // Deprecated and not read by the policy: deliberately different from the user info service.
  info: { userEntityRef, ownershipEntityRefs: ['group:default/team-b'] },
});

const ACTIONS: Permission[] = [
  progressiveDeliveryCanaryApprovePermission,
  progressiveDeliveryCanaryRollbackPermission,
  progressiveDeliveryFluxReconcilePermission,
  progressiveDeliveryFluxSuspendPermission,
];

// Other plugins' permissions, by their real names and types (@backstage/plugin-catalog-common,
// @backstage/plugin-scaffolder-common): the policy must leave them allowed.
const OTHERS: Permission[] = [
  progressiveDeliveryEntityReadPermission,
  createPermission({
    name: 'catalog.entity.read',
    attributes: { action: 'read' },
    resourceType: 'catalog-entity',
  }),
  createPermission({
    name: 'catalog.entity.delete',
    attributes: { action: 'delete' },
    resourceType: 'catalog-entity',
  }),
  createPermission({
    name: 'catalog.location.create',
    attributes: { action: 'create' },
  }),
  createPermission({
    name: 'scaffolder.action.execute',
    attributes: {},
    resourceType: 'scaffolder-action',
  }),
];

function component(name: string, owner: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default' },
    spec: { type: 'service', lifecycle: 'production', owner },
    relations: [{ type: 'ownedBy', targetRef: owner }],
  };
}

/** Applies a conditional decision to an entity the way the catalog's apply-conditions does. */
function applies(decision: ConditionalPolicyDecision, entity: Entity): boolean {
  const condition = decision.conditions as PermissionCondition<
    'catalog-entity',
    { claims: string[] }
  >;
  expect(condition.rule).toBe(permissionRules.isEntityOwner.name);
  return permissionRules.isEntityOwner.apply(entity, condition.params!);
}

describe('DemoPermissionPolicy', () => {
  it.each(ACTIONS.map(p => [p.name, p]))(
    '%s: a conditional decision on the catalog entity, isEntityOwner over the user’s claims',
    async (_, permission) => {
      const decision = await policyFor(GUEST_CLAIMS).handle(
        { permission },
        userQuery(),
      );
      expect(decision).toEqual({
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'catalog',
        resourceType: 'catalog-entity',
        conditions: {
          rule: 'IS_ENTITY_OWNER',
          resourceType: 'catalog-entity',
          params: { claims: GUEST_CLAIMS },
        },
      });
      const conditional = decision as ConditionalPolicyDecision;
      expect(
        applies(conditional, component('podinfo', 'group:default/team-a')),
      ).toBe(true);
      expect(
        applies(conditional, component('checkout', 'group:default/team-b')),
      ).toBe(false);
      // Owned by the user directly.
      expect(applies(conditional, component('sandbox', GUEST))).toBe(true);
    },
  );

  it.each(OTHERS.map(p => [p.name, p]))(
    '%s: allowed, for users and for services',
    async (_, permission) => {
      const policy = policyFor(GUEST_CLAIMS);
      await expect(policy.handle({ permission }, userQuery())).resolves.toEqual(
        { result: AuthorizeResult.ALLOW },
      );
      await expect(policy.handle({ permission })).resolves.toEqual({
        result: AuthorizeResult.ALLOW,
      });
    },
  );

  it('denies the actions to a request without a user (a service principal owns nothing)', async () => {
    for (const permission of ACTIONS) {
      await expect(
        policyFor(GUEST_CLAIMS).handle({ permission }),
      ).resolves.toEqual({ result: AuthorizeResult.DENY });
    }
  });

  it('denies the actions to a user with no ownership claims', async () => {
    await expect(
      policyFor([]).handle(
        { permission: progressiveDeliveryCanaryApprovePermission },
        userQuery(),
      ),
    ).resolves.toEqual({ result: AuthorizeResult.DENY });
  });

  it('denies an action permission that arrives without the catalog-entity resource type', async () => {
    const basic = createPermission({
      name: progressiveDeliveryCanaryApprovePermission.name,
      attributes: { action: 'update' },
    });
    await expect(
      policyFor(GUEST_CLAIMS).handle({ permission: basic }, userQuery()),
    ).resolves.toEqual({ result: AuthorizeResult.DENY });
  });

  it('reads the claims from the user info service for the requesting user', async () => {
    const userInfo = mockServices.userInfo.mock({
      getUserInfo: async credentials => ({
        userEntityRef: (credentials.principal as { userEntityRef: string })
          .userEntityRef,
        ownershipEntityRefs: ['user:default/bob', 'group:default/team-b'],
      }),
    });
    const decision = await new DemoPermissionPolicy({ userInfo }).handle(
      { permission: progressiveDeliveryFluxSuspendPermission },
      userQuery('user:default/bob'),
    );
    expect(userInfo.getUserInfo).toHaveBeenCalledWith(
      mockCredentials.user('user:default/bob'),
    );
    expect(
      applies(
        decision as ConditionalPolicyDecision,
        component('checkout', 'group:default/team-b'),
      ),
    ).toBe(true);
    expect(
      applies(
        decision as ConditionalPolicyDecision,
        component('podinfo', 'group:default/team-a'),
      ),
    ).toBe(false);
  });
});
