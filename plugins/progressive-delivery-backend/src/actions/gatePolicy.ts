import { KubeObject } from '@progressive-delivery/plugin-progressive-delivery-common';
import { GatePolicy } from './ActionsConfig';
import { ServiceTarget } from './webhookTarget';

/*
 * Where a canary's gate webhook may be called. The URL comes from the Canary, which anyone who
 * may edit Canaries in its namespace can change, while the call goes out with the backend's
 * cluster credentials. So a gate is only ever called on
 *   1. a Service in the canary's own namespace, or in a namespace an administrator lists in
 *      `progressiveDelivery.actions.gateNamespaces` (a shared loadtester);
 *   2. named as a loadtester is (`progressiveDelivery.actions.gateServices`, default
 *      `flagger-loadtester` and `loadtester`);
 *   3. on a port that Service declares (read from the cluster before the call);
 * through the API server's service proxy, at a flagger-loadtester gate endpoint. Anything else
 * is refused before any call, naming the URL.
 */

/** The port number a target names (`80`, or `https:8443` -> 8443). */
export function targetPort(target: ServiceTarget): number {
  return Number(target.port.replace(/^https:/, ''));
}

/** Why the policy refuses the service a gate URL names, or undefined when it may be called. */
export function gateServiceProblem(
  target: ServiceTarget,
  canaryNamespace: string,
  policy: GatePolicy,
): string | undefined {
  const { namespace, service } = target;
  if (namespace !== canaryNamespace && !policy.namespaces.includes(namespace)) {
    const allowed =
      policy.namespaces.length > 0
        ? ` or one of progressiveDelivery.actions.gateNamespaces (${policy.namespaces.join(
            ', ',
          )})`
        : '; an administrator can allow a shared loadtester namespace in progressiveDelivery.actions.gateNamespaces';
    return `the service is in namespace ${namespace}, not the canary's namespace ${canaryNamespace}${allowed}`;
  }
  if (!policy.services.includes(service)) {
    return `service ${service} is not a loadtester: gates are only called on a Service named ${policy.services.join(
      ' or ',
    )} (progressiveDelivery.actions.gateServices)`;
  }
  return undefined;
}

/** Why the Service does not take the gate call on the target's port, or undefined. */
export function gatePortProblem(
  target: ServiceTarget,
  service: KubeObject | undefined,
  cluster: string,
): string | undefined {
  const id = `Service ${target.namespace}/${target.service}`;
  if (!service) {
    return `${id} does not exist in cluster ${cluster}`;
  }
  const ports = (
    (service.spec as { ports?: Array<{ port?: number }> } | undefined)?.ports ??
    []
  )
    .map(p => p.port)
    .filter((p): p is number => typeof p === 'number');
  const port = targetPort(target);
  if (!ports.includes(port)) {
    return `port ${port} is not a port of ${id}, which declares ${
      ports.length > 0 ? ports.join(', ') : 'none'
    }`;
  }
  return undefined;
}
