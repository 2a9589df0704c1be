import { JsonObject } from '@backstage/types';
import { TenantContext } from './TenantContext';

const RBAC_GROUP = 'rbac.authorization.k8s.io';

/**
 * The tenant's service account and bindings: the Flux reconciler's, the owning group's `edit`, and
 * read access to the gateway for Flux's health checks.
 */
export function renderRbac(t: TenantContext): JsonObject[] {
  const ns = t.namespace;
  const { gateway } = t.mesh;
  const { ownerGroup } = t.request;
  const tenantServiceAccount = () => ({
    kind: 'ServiceAccount',
    name: ns,
    namespace: ns,
  });
  const serviceAccount = {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: t.metadata(ns),
  };
  // As `flux create tenant`: the reconciler may manage anything inside its namespace, nothing outside.
  const reconcilerBinding = {
    apiVersion: `${RBAC_GROUP}/v1`,
    kind: 'RoleBinding',
    metadata: t.metadata('gotk-reconciler'),
    roleRef: {
      apiGroup: RBAC_GROUP,
      kind: 'ClusterRole',
      name: 'cluster-admin',
    },
    subjects: [
      { apiGroup: RBAC_GROUP, kind: 'User', name: `gotk:${ns}:reconciler` },
      tenantServiceAccount(),
    ],
  };
  const ownerBinding = {
    apiVersion: `${RBAC_GROUP}/v1`,
    kind: 'RoleBinding',
    metadata: t.metadata(`${ownerGroup}-edit`),
    roleRef: { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name: 'edit' },
    subjects: [{ apiGroup: RBAC_GROUP, kind: 'Group', name: ownerGroup }],
  };
  // Flux runs health checks as the tenant's service account, which must be able to read the gateway.
  const gatewayHealth = `${ns}-gateway-health`;
  const gatewayReader = {
    apiVersion: `${RBAC_GROUP}/v1`,
    kind: 'Role',
    metadata: t.metadata(gatewayHealth, gateway.namespace),
    rules: [
      {
        apiGroups: ['networking.istio.io'],
        resources: ['gateways'],
        resourceNames: [gateway.name],
        verbs: ['get', 'list', 'watch'],
      },
    ],
  };
  const gatewayReaderBinding = {
    apiVersion: `${RBAC_GROUP}/v1`,
    kind: 'RoleBinding',
    metadata: t.metadata(gatewayHealth, gateway.namespace),
    roleRef: { apiGroup: RBAC_GROUP, kind: 'Role', name: gatewayHealth },
    subjects: [tenantServiceAccount()],
  };
  return [
    serviceAccount,
    reconcilerBinding,
    ownerBinding,
    gatewayReader,
    gatewayReaderBinding,
  ];
}
