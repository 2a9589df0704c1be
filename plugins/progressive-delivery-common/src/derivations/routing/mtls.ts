// The mTLS mode in force for the workload (PeerAuthentication precedence, port-level modes) and
// the DestinationRules whose client TLS settings cannot talk to it.
import { IstioRouting } from '../../api';
import { KubeObject } from '../../kubernetes';
import { asArray, asRecord, asString, readPath } from '../read';
import { hostIs, ServiceNames } from './names';
import {
  byAge,
  describePolicy,
  policyScope,
  Scope,
  SCOPE_ORDER,
  WorkloadPlacement,
} from './policies';

type MtlsMode = IstioRouting['mtlsMode'];

function isMode(mode: string | undefined): mode is MtlsMode {
  return mode === 'STRICT' || mode === 'PERMISSIVE' || mode === 'DISABLE';
}

/**
 * `portLevelMtls` of the workload policy: ports (workload container ports, not Service ports)
 * whose mode differs from the workload's; UNSET inherits.
 */
function portOverrides(
  policy: KubeObject,
  mode: MtlsMode,
): NonNullable<IstioRouting['mtlsPortOverrides']> {
  return Object.entries(
    asRecord(readPath(policy.spec, 'portLevelMtls')) ?? {},
  ).flatMap(([port, setting]) => {
    const portMode = asString(readPath(setting, 'mode'));
    const number = Number(port);
    return isMode(portMode) && portMode !== mode && Number.isInteger(number)
      ? [{ port: number, mode: portMode }]
      : [];
  });
}

/**
 * PeerAuthentication: the most specific scope wins (workload, namespace, mesh; oldest first
 * within a scope); UNSET defers to the next one. Port-level modes come from the workload
 * policy only (Istio requires a selector for them).
 */
export function applyPeerAuthentications(
  routing: IstioRouting,
  peerAuthentications: KubeObject[],
  placement: WorkloadPlacement,
): void {
  const applying = peerAuthentications
    .map(pa => ({
      pa,
      scope: policyScope(pa, ['selector', 'matchLabels'], placement),
    }))
    .filter((x): x is { pa: KubeObject; scope: Scope } => x.scope !== undefined)
    .sort(
      (a, b) =>
        SCOPE_ORDER.indexOf(a.scope) - SCOPE_ORDER.indexOf(b.scope) ||
        byAge(a.pa, b.pa),
    );
  for (const { pa, scope } of applying) {
    const mode = asString(readPath(pa.spec, 'mtls', 'mode')) ?? 'UNSET';
    routing.policies.push(
      describePolicy('PeerAuthentication', pa, scope, `mTLS ${mode}`),
    );
    if (routing.mtlsSource === 'default' && isMode(mode)) {
      routing.mtlsMode = mode;
      routing.mtlsSource = scope;
    }
  }
  const workloadPolicy = applying.find(x => x.scope === 'workload');
  const overrides = workloadPolicy
    ? portOverrides(workloadPolicy.pa, routing.mtlsMode)
    : [];
  if (overrides.length > 0) {
    routing.mtlsPortOverrides = overrides;
  }
}

/** What a client TLS mode does against a server that requires mTLS. */
const STRICT_CONFLICTS: Record<string, string> = {
  DISABLE: 'sends plaintext',
  SIMPLE: 'originates TLS without a client certificate',
};

function isGeneratedByFlagger(rule: KubeObject): boolean {
  return (asArray(readPath(rule.metadata, 'ownerReferences')) ?? []).some(
    ref => asString(readPath(ref, 'kind')) === 'Canary',
  );
}

/**
 * Lists the DestinationRules with their TLS mode and flags those for the canary's services whose
 * `trafficPolicy.tls.mode` cannot reach a workload that requires STRICT mTLS.
 */
export function applyDestinationRules(
  routing: IstioRouting,
  rules: KubeObject[],
  names: ServiceNames,
): void {
  for (const rule of rules) {
    const name = rule.metadata?.name ?? '';
    const host = asString(readPath(rule.spec, 'host')) ?? '';
    const tlsMode = asString(
      readPath(rule.spec, 'trafficPolicy', 'tls', 'mode'),
    );
    routing.destinationRules.push({ name, host, tlsMode });
    const conflict = tlsMode ? STRICT_CONFLICTS[tlsMode] : undefined;
    const forCanary = [names.apex, names.primary, names.canary].some(s =>
      hostIs(host, s),
    );
    if (routing.mtlsMode !== 'STRICT' || !conflict || !forCanary) {
      continue;
    }
    const fix = isGeneratedByFlagger(rule)
      ? " Flagger copies it from the Canary's spec.service.trafficPolicy: set ISTIO_MUTUAL or remove tls there."
      : ' Use ISTIO_MUTUAL or remove tls.';
    routing.problems.push({
      field: 'spec.trafficPolicy.tls.mode',
      message: `DestinationRule ${
        rule.metadata?.namespace ?? ''
      }/${name} sets tls.mode ${tlsMode}: it ${conflict} to ${host}, which requires STRICT mTLS (${
        routing.mtlsSource
      } policy), so in-mesh calls through it fail.${fix}`,
    });
  }
}
