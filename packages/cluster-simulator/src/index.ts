/**
 * A Kubernetes API server simulator that plays Flux, Flagger and Istio, for
 * the Progressive Delivery plugins' demo, tests and benchmarks.
 *
 * @packageDocumentation
 */

export { startSimulator, DEFAULT_TOKEN } from './Simulator';
export type {
  Simulator,
  SimulatorOptions,
  SimulatorClock,
  ClusterInfo,
  ClusterHandle,
} from './Simulator';
export type { AccessRule, TokenConfig } from './api/auth';
export type { FaultSettings } from './api/faults';
export { FaultInjector, RequestCounters } from './api/faults';
export { ObjectAccess, SimulatedCluster } from './cluster/SimulatedCluster';
export type { KubeObject, ObjectMeta, Condition } from './types';
export {
  PROD_CLUSTER,
  DEV_CLUSTER,
  prodPlatform,
  devPlatform,
} from './scenarios/demo';
export { scaleClusterName, scaleCanaryName } from './scenarios/scale';
export {
  KUBERNETES_ID_LABEL,
  PRODUCTION_PROFILE,
  DEVELOPMENT_PROFILE,
} from './scenarios/builders';
