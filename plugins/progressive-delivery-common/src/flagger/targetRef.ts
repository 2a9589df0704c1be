import { KubeObject } from '../kubernetes';
import { asRecord, asString, readPath } from '../derivations/read';

/**
 * The workload a Flagger canary rolls out (`spec.targetRef`).
 *
 * @public
 */
export interface CanaryTargetRef {
  apiVersion?: string;
  /** `Deployment` or `DaemonSet`, as Flagger supports. */
  kind: string;
  name: string;
}

/**
 * Reads a canary's `spec.targetRef`; undefined when it names no workload. Flagger's CRD
 * defaults nothing here, so a missing kind is read as missing, not guessed.
 *
 * @public
 */
export function readCanaryTargetRef(
  canary: KubeObject | undefined,
): CanaryTargetRef | undefined {
  const ref = asRecord(readPath(canary?.spec, 'targetRef'));
  const kind = asString(ref?.kind);
  const name = asString(ref?.name);
  if (!kind || !name) {
    return undefined;
  }
  const apiVersion = asString(ref?.apiVersion);
  return apiVersion ? { apiVersion, kind, name } : { kind, name };
}
