/**
 * An owner reference as Kubernetes stores it in `metadata.ownerReferences`.
 *
 * @public
 */
export interface KubeOwnerReference {
  apiVersion?: string;
  kind?: string;
  name?: string;
  uid?: string;
  controller?: boolean;
}

/**
 * The metadata the plugins read from Kubernetes objects.
 *
 * @public
 */
export interface KubeObjectMetadata {
  name?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: KubeOwnerReference[];
}

/**
 * A Kubernetes object as read from a cluster. `spec` and `status` are deliberately untyped:
 * derivations read them defensively, because a cluster may hold anything.
 *
 * @public
 */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: KubeObjectMetadata;
  spec?: unknown;
  status?: unknown;
  [key: string]: unknown;
}

/**
 * A Kubernetes `Event` (core/v1), the fields Flagger fills in.
 *
 * @public
 */
export interface KubeEvent extends KubeObject {
  involvedObject?: {
    apiVersion?: string;
    kind?: string;
    name?: string;
    namespace?: string;
    uid?: string;
  };
  reason?: string;
  message?: string;
  type?: string;
  count?: number;
  firstTimestamp?: string | null;
  lastTimestamp?: string | null;
  eventTime?: string | null;
  source?: { component?: string; host?: string };
}
