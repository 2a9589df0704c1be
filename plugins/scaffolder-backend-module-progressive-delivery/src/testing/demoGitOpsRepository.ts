/**
 * Files of a small GitOps repository in the base/overlay layout (kubernetes/apps/base,
 * kubernetes/apps/overlays/<cluster>), with one tenant already onboarded: what the demo and the
 * tests publish against.
 */
export function demoGitOpsRepositoryFiles(): Record<string, string> {
  return {
    'README.md':
      '# GitOps repository\n\nReconciled by Flux; tenants are onboarded by pull request.\n',
    'catalog-info.yaml': `# Catalog entities of the tenants in this repository.
apiVersion: backstage.io/v1alpha1
kind: Location
metadata:
  name: gitops-tenants
  description: Tenants onboarded through the new-tenant template
spec:
  targets:
    - ./kubernetes/apps/base/team-a/catalog-info.yaml
`,
    'kubernetes/apps/overlays/prod-eu-1/kustomization.yaml': `# Production, EU 1. Flux's apps Kustomization reconciles this directory.
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  # platform
  - ../../base/istio-system
  - ../../base/observability # Prometheus, Grafana, Kiali
  # tenants
  - ../../base/team-a
patches:
  - path: cluster-values.yaml # replicas and resources for this cluster
`,
    'kubernetes/apps/overlays/prod-eu-1/cluster-values.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: cluster-values
  namespace: flux-system
data:
  cluster: prod-eu-1
`,
    'kubernetes/apps/overlays/dev-eu-1/kustomization.yaml': `# Development, EU 1.
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - ../../base/istio-system
  - ../../base/observability
  # tenants (one line each, kept in onboarding order)
  - ../../base/team-a
`,
    'kubernetes/apps/base/istio-system/kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources: []
`,
    'kubernetes/apps/base/observability/kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources: []
`,
    'kubernetes/apps/base/team-a/kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - namespace.yaml
`,
    'kubernetes/apps/base/team-a/namespace.yaml': `apiVersion: v1
kind: Namespace
metadata:
  name: team-a
  labels:
    toolkit.fluxcd.io/tenant: team-a
    istio-injection: enabled
`,
    'kubernetes/apps/base/team-a/catalog-info.yaml': `apiVersion: backstage.io/v1alpha1
kind: Resource
metadata:
  name: team-a
  title: Tenant team-a
  annotations:
    backstage.io/kubernetes-namespace: team-a
    backstage.io/kubernetes-label-selector: toolkit.fluxcd.io/tenant=team-a
    progressive-delivery/tenant: team-a
spec:
  type: kubernetes-namespace
  owner: group:default/team-a
`,
  };
}
