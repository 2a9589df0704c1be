import { IstioRoute } from '../../api';
import { readCanaryTargetRef } from '../../flagger/targetRef';
import { KubeObject } from '../../kubernetes';
import { asString, readPath } from '../read';

/**
 * Flagger's apex, primary and canary service names (canary.go GetServiceNames).
 *
 * @public
 */
export function canaryServiceNames(canary: KubeObject): {
  apex: string;
  primary: string;
  canary: string;
} {
  const apex =
    asString(readPath(canary.spec, 'service', 'name')) ??
    readCanaryTargetRef(canary)?.name ??
    canary.metadata?.name ??
    '';
  return { apex, primary: `${apex}-primary`, canary: `${apex}-canary` };
}

export type ServiceNames = ReturnType<typeof canaryServiceNames>;

/** A destination host names a service by short name or by FQDN. */
export function hostIs(host: string, service: string): boolean {
  return host === service || host.startsWith(`${service}.`);
}

/** Whether a destination is the primary, the canary, or some other service. */
export function roleOf(
  host: string,
  names: ServiceNames,
): IstioRoute['destinations'][number]['role'] {
  if (hostIs(host, names.primary)) {
    return 'primary';
  }
  return hostIs(host, names.canary) ? 'canary' : 'other';
}
