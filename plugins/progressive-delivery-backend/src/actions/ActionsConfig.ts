import { Config } from '@backstage/config';

/** Where a canary's gate webhook may be called: see `gatePolicy.ts`. */
export interface GatePolicy {
  /**
   * Namespaces besides the canary's own whose loadtester its gates may name (a shared
   * loadtester, e.g. Flagger's `http://loadtester.flagger-system/`).
   */
  namespaces: string[];
  /** The names a loadtester Service goes by. */
  services: string[];
}

/** The actions' settings, read from `progressiveDelivery`. */
export interface ActionsConfig {
  /**
   * How long any call to a cluster may take before it ends. A write that was sent and got no
   * answer in time is "outcome unknown", never "failed".
   */
  clusterCallTimeoutMs: number;
  gates: GatePolicy;
}

/**
 * The loadtester Service names of Flagger's documented setups: `flagger-loadtester` (its Helm
 * chart installed as release `flagger-loadtester`, `kustomize/tester`, every tutorial's
 * `http://flagger-loadtester.test/`) and `loadtester` (the Prometheus Operator tutorial's
 * `http://loadtester.flagger-system/`); fluxcd/flagger@15bd6ad, docs/gitbook.
 */
export const DEFAULT_GATE_SERVICES = ['flagger-loadtester', 'loadtester'];

export const DEFAULT_CLUSTER_CALL_TIMEOUT_MS = 10_000;

// RFC 1123 label: what Kubernetes accepts as a namespace or Service name.
const LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

function labels(
  section: Config | undefined,
  key: string,
  fallback: string[],
): string[] {
  const values = section?.getOptionalStringArray(key) ?? fallback;
  const bad = values.filter(v => !LABEL.test(v));
  if (bad.length > 0) {
    throw new Error(
      `progressiveDelivery.${key} must list Kubernetes names (RFC 1123 labels), got ${bad
        .map(b => JSON.stringify(b))
        .join(', ')}`,
    );
  }
  return values;
}

/** Reads the actions' settings from the `progressiveDelivery` section; names a bad value. */
export function readActionsConfig(section: Config | undefined): ActionsConfig {
  const timeout =
    section?.getOptionalNumber('clusterCallTimeoutMs') ??
    DEFAULT_CLUSTER_CALL_TIMEOUT_MS;
  if (!Number.isFinite(timeout) || timeout <= 0) {
    throw new Error(
      `progressiveDelivery.clusterCallTimeoutMs must be a positive number of milliseconds, got ${timeout}`,
    );
  }
  return {
    clusterCallTimeoutMs: timeout,
    gates: {
      namespaces: labels(section, 'actions.gateNamespaces', []),
      services: labels(section, 'actions.gateServices', DEFAULT_GATE_SERVICES),
    },
  };
}
