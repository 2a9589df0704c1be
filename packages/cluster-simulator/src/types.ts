/** Something that runs inside a cluster on the simulated clock (a controller). */
export interface ClusterComponent {
  start(): void;
  stop(): void;
}

/** A Kubernetes object as the simulator stores and serves it (plain JSON). */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [key: string]: unknown;
}

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  [key: string]: unknown;
}

/** A Gateway API parentRef (also Flagger's `service.gatewayRefs`). */
export interface ParentReference {
  name: string;
  namespace?: string;
  group?: string;
  kind?: string;
  sectionName?: string;
  port?: number;
}

/** The condition shape shared by Flux and most core kinds. */
export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  observedGeneration?: number;
  lastTransitionTime?: string;
  lastUpdateTime?: string;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** A change recorded by the store, replayed to watchers. */
export interface StoreEvent {
  type: WatchEventType;
  resourceKey: string;
  resourceVersion: number;
  namespace: string;
  name: string;
  object: KubeObject;
  /** JSON of `object` without apiVersion/kind, so each watch can set its own version. */
  body: string;
  /** The object before a MODIFIED change, for selector transitions. */
  previous?: KubeObject;
}
