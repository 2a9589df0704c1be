/**
 * Factories for the objects of a tenant platform like the seed platforms:
 * tenant namespaces with quotas and mesh policies, Flux sources and
 * Kustomizations, applications with Flagger canaries. Field names follow the
 * upstream CRDs in ../crds and the examples in the shared reference data.
 */

export { KUBERNETES_ID_LABEL, kubeObject, namespace } from './objects';
export type { CanaryProfile } from './profiles';
export { PRODUCTION_PROFILE, DEVELOPMENT_PROFILE } from './profiles';
export { tenantBaseline } from './tenant';
export {
  gitRepository,
  ociRepository,
  helmRepository,
  helmRelease,
  kustomization,
} from './flux';
export type { CanaryOptions } from './flagger';
export { canary, loadtester, flaggerPlatform } from './flagger';
export { istioPlatform, prometheusService, PROMETHEUS_SERVICE } from './istio';
export {
  GATEWAY_API_GATEWAY,
  GATEWAY_API_INGRESS_NAMESPACE,
  gatewayApiIngress,
} from './gatewayApi';
export type { AppOptions } from './workloads';
export {
  appConfigMap,
  appDeployment,
  horizontalPodAutoscaler,
} from './workloads';
