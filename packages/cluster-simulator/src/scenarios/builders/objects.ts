import { KubeObject, ObjectMeta } from '../../types';

/** Catalog id label the Kubernetes plugin matches entities by. */
export const KUBERNETES_ID_LABEL = 'backstage.io/kubernetes-id';

/** An object with fields in the order kubectl prints them: apiVersion, kind, metadata, then the rest. */
export function kubeObject(
  apiVersion: string,
  kind: string,
  metadata: ObjectMeta,
  body: Record<string, unknown> = {},
): KubeObject {
  return { apiVersion, kind, metadata, ...body };
}

export function namespace(
  name: string,
  labels: Record<string, string> = {},
): KubeObject {
  return kubeObject(
    'v1',
    'Namespace',
    { name, labels: { 'kubernetes.io/metadata.name': name, ...labels } },
    { spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } },
  );
}

/** Metadata of an object in a tenant's namespace, labelled with the tenant. */
export function tenantMeta(tenant: string, name: string): ObjectMeta {
  return {
    name,
    namespace: tenant,
    labels: { 'toolkit.fluxcd.io/tenant': tenant },
  };
}
