/**
 * A Kubernetes API server simulator that plays Flux, Flagger and Istio, for
 * the Progressive Delivery plugins' demo, tests and benchmarks.
 *
 * @packageDocumentation
 */

export { startSimulator, DEFAULT_TOKEN } from './Simulator';
export { kubernetesConfig } from './kubernetesConfig';
export type {
  Simulator,
  SimulatorOptions,
  SimulatorClock,
  ClusterInfo,
  ClusterHandle,
} from './Simulator';
export type {
  AccessRule,
  AuthControl,
  AuthenticatedUser,
  AuthMethod,
  TokenConfig,
  TokenFileConfig,
} from './api/auth';
export { DEFAULT_TOKEN_USER, DEFAULT_TOKEN_FILE_USER } from './api/auth';
export type { OidcConfig } from './api/oidc';
export type { AwsAccessKey } from './api/awsIam';
export { AWS_TOKEN_PREFIX } from './api/awsIam';
export type { WriteRecord, WriteFilter } from './api/audit';
export type { FaultSettings } from './api/faults';
export type {
  ProxyHandler,
  ProxyRequest,
  ProxyResponse,
  ServiceHandler,
} from './api/serviceProxy';
export { FaultInjector, RequestCounters } from './api/faults';
export { ObjectAccess, SimulatedCluster } from './cluster/SimulatedCluster';
export type { KubeObject, ObjectMeta, Condition } from './types';
export {
  PROD_CLUSTER,
  DEV_CLUSTER,
  prodPlatform,
  devPlatform,
} from './scenarios/demo';
export {
  CANARIES_PER_NAMESPACE,
  scaleClusterName,
  scaleCanaryName,
} from './scenarios/scale';
export {
  KUBERNETES_ID_LABEL,
  PRODUCTION_PROFILE,
  DEVELOPMENT_PROFILE,
  PROMETHEUS_SERVICE,
} from './scenarios/builders';
export {
  PrometheusServer,
  findPrometheus,
  DEFAULT_PROMETHEUS_PATH,
} from './prometheus/PrometheusServer';
export type {
  PrometheusServerOptions,
  PromSample,
  PromSeries,
} from './prometheus/PrometheusServer';
export { prometheusConfig, SCRAPE_JOB } from './prometheus/config';
export type { ScrapeTarget } from './prometheus/config';
export {
  startClusterPrometheus,
  startSimulatorPrometheus,
  routeClusterPrometheus,
} from './prometheus/clusterPrometheus';
export type {
  ClusterPrometheusOptions,
  PrometheusClusterTarget,
  UpstreamRegistry,
} from './prometheus/clusterPrometheus';
export { prometheusBinaryForTests } from './prometheus/testSupport';
