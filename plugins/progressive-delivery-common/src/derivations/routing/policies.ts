// Which Istio policies apply to the workload, and at what scope (Istio's selection rules).
import { IstioPolicy } from '../../api';
import { KubeObject } from '../../kubernetes';
import { asArray, asString, asStringMap, readPath } from '../read';

export type Scope = IstioPolicy['scope'];

export const SCOPE_ORDER: Scope[] = ['workload', 'namespace', 'mesh'];

/** Where the workload runs: what decides whether a policy applies to it. */
export interface WorkloadPlacement {
  namespace: string;
  rootNamespace: string;
  labels: Record<string, string>;
}

function selectorMatches(
  selector: Record<string, string> | undefined,
  labels: Record<string, string>,
): boolean {
  return Object.entries(selector ?? {}).every(([k, v]) => labels[k] === v);
}

/** Oldest first, as Istio picks among conflicting policies; malformed metadata sorts first. */
export function byAge(a: KubeObject, b: KubeObject): number {
  const text = (value: unknown) => asString(value) ?? '';
  return (
    text(a.metadata?.creationTimestamp).localeCompare(
      text(b.metadata?.creationTimestamp),
    ) || text(a.metadata?.name).localeCompare(text(b.metadata?.name))
  );
}

/**
 * Where a policy applies to the workload, or undefined when it does not. A policy in the root
 * namespace without a selector is mesh-wide; with a selector, an AuthorizationPolicy applies to
 * matching workloads of every namespace (`rootSelectorApplies`), while a PeerAuthentication
 * is ignored (peer_authentication.proto: "policies with workload selectors are ignored when
 * deployed in the root namespace").
 */
export function policyScope(
  policy: KubeObject,
  selectorPath: string[],
  { namespace, rootNamespace, labels }: WorkloadPlacement,
  rootSelectorApplies = false,
): Scope | undefined {
  const policyNamespace = policy.metadata?.namespace;
  const selector = asStringMap(readPath(policy.spec, ...selectorPath));
  const hasSelector =
    selector !== undefined && Object.keys(selector).length > 0;
  if (policyNamespace === namespace) {
    if (!hasSelector) {
      return 'namespace';
    }
    return selectorMatches(selector, labels) ? 'workload' : undefined;
  }
  if (policyNamespace !== rootNamespace) {
    return undefined;
  }
  if (!hasSelector) {
    return 'mesh';
  }
  return rootSelectorApplies && selectorMatches(selector, labels)
    ? 'mesh'
    : undefined;
}

export function describePolicy(
  kind: IstioPolicy['kind'],
  policy: KubeObject,
  scope: Scope,
  summary: string,
): IstioPolicy {
  return {
    kind,
    namespace: policy.metadata?.namespace ?? '',
    name: policy.metadata?.name ?? '',
    scope,
    summary,
  };
}

/** The policies of one kind that select the workload, oldest first, each summarised. */
function selectingPolicies(
  kind: IstioPolicy['kind'],
  policies: KubeObject[],
  selectorPath: string[],
  placement: WorkloadPlacement,
  summarise: (spec: unknown) => string,
  rootSelectorApplies: boolean,
): IstioPolicy[] {
  const result: IstioPolicy[] = [];
  for (const policy of [...policies].sort(byAge)) {
    const scope = policyScope(
      policy,
      selectorPath,
      placement,
      rootSelectorApplies,
    );
    if (scope) {
      result.push(describePolicy(kind, policy, scope, summarise(policy.spec)));
    }
  }
  return result;
}

function summariseAuthorizationPolicy(spec: unknown): string {
  const action = asString(readPath(spec, 'action')) ?? 'ALLOW';
  const rules = (asArray(readPath(spec, 'rules')) ?? []).length;
  return `${action}, ${rules} rule${rules === 1 ? '' : 's'}`;
}

function summariseSidecar(spec: unknown): string {
  const outbound =
    asString(readPath(spec, 'outboundTrafficPolicy', 'mode')) ?? 'ALLOW_ANY';
  const hosts = (asArray(readPath(spec, 'egress')) ?? []).flatMap(
    egress => asArray(readPath(egress, 'hosts')) ?? [],
  );
  return `outbound ${outbound}${
    hosts.length ? `, egress ${hosts.join(' ')}` : ''
  }`;
}

/** AuthorizationPolicies (root-namespace selectors included) and Sidecars of the workload. */
export function accessPolicies(
  authorizationPolicies: KubeObject[],
  sidecars: KubeObject[],
  placement: WorkloadPlacement,
): IstioPolicy[] {
  return [
    ...selectingPolicies(
      'AuthorizationPolicy',
      authorizationPolicies,
      ['selector', 'matchLabels'],
      placement,
      summariseAuthorizationPolicy,
      true,
    ),
    ...selectingPolicies(
      'Sidecar',
      sidecars,
      ['workloadSelector', 'labels'],
      placement,
      summariseSidecar,
      false,
    ),
  ];
}
