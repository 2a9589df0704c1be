import {
  KUBERNETES_ANNOTATIONS,
  PROGRESSIVE_DELIVERY_ANNOTATIONS,
} from '@progressive-delivery/plugin-progressive-delivery-common';
import { JsonObject } from '@backstage/types';
import { TENANT_LABEL, TenantContext } from './TenantContext';

/** The tenant's catalog entity: a `kubernetes-namespace` Resource owned by the team. */
export function renderCatalogEntity(t: TenantContext): JsonObject[] {
  const { request, namespace: ns } = t;
  const annotations: Record<string, string> = {
    [KUBERNETES_ANNOTATIONS.namespace]: ns,
    [KUBERNETES_ANNOTATIONS.labelSelector]: `${TENANT_LABEL}=${ns}`,
    [PROGRESSIVE_DELIVERY_ANNOTATIONS.tenant]: ns,
  };
  if (request.application) {
    annotations[
      PROGRESSIVE_DELIVERY_ANNOTATIONS.canary
    ] = `${ns}/${request.application.name}`;
  }
  const gate = t.profile.confirmPromotion ? ' with a promotion gate' : '';
  return [
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name: ns,
        title: `Tenant ${ns}`,
        description: `Kubernetes namespace of tenant ${ns} on ${request.clusters.join(
          ', ',
        )}; ${request.profile} canary profile${gate}.`,
        annotations,
        tags: ['tenant', request.profile],
      },
      spec: {
        type: 'kubernetes-namespace',
        owner: request.owner,
      },
    },
  ];
}
