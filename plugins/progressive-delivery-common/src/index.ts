/**
 * Types, annotation keys, permissions and pure delivery-state derivations shared by the
 * Progressive Delivery plugins.
 *
 * @packageDocumentation
 */

export * from './annotations';
export * from './actions';
export * from './api';
export * from './kubernetes';
export * from './permissions';
export * from './analysis';
export * from './derivations/canaryEvents';
export * from './derivations/canaryProgress';
export type { KubeCondition } from './derivations/conditions';
export { readConditions } from './derivations/conditions';
export { parseGoDuration } from './derivations/duration';
export * from './derivations/fluxReadiness';
export * from './derivations/istioRouting';
export * from './derivations/workload';
export * from './derivations/fluxSource';
export * from './derivations/fluxRevision';
export * from './derivations/read';
export * from './flagger/phases';
export * from './flagger/targetRef';
export * from './apiWhatChanged';
export * from './derivations/whatChanged';
