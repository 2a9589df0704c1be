import { CanaryAlert } from '../api';
import { KubeObject } from '../kubernetes';
import { findNamed } from './canaryMetrics';
import { asArray, asRecord, asString, readPath, UnknownRecord } from './read';

/** Flagger's severity when an alert names none (pkg/apis/flagger/v1beta1/canary.go). */
const DEFAULT_SEVERITY = 'info';

/**
 * What the UI may show of an AlertProvider: its type and where messages go. Never the address,
 * proxy or secretRef: a webhook URL is a credential.
 */
function describeProvider(provider: KubeObject): CanaryAlert['provider'] {
  return {
    type: asString(readPath(provider.spec, 'type')) ?? 'unknown',
    channel: asString(readPath(provider.spec, 'channel')),
    username: asString(readPath(provider.spec, 'username')),
  };
}

/**
 * Reads `analysis.alerts` with the AlertProvider each names (`providerRef.namespace` defaults
 * to the canary's). Without `providers` (not resolved), `provider` stays absent.
 */
export function readAlerts(
  analysis: UnknownRecord | undefined,
  providers: KubeObject[] | undefined,
  canaryNamespace: string,
): CanaryAlert[] {
  const alerts: CanaryAlert[] = [];
  for (const raw of asArray(analysis?.alerts) ?? []) {
    const alert = asRecord(raw);
    const name = asString(alert?.name);
    const refName = asString(readPath(alert, 'providerRef', 'name'));
    if (!alert || !name || !refName) {
      continue;
    }
    const providerRef = {
      name: refName,
      namespace:
        asString(readPath(alert, 'providerRef', 'namespace')) ??
        canaryNamespace,
    };
    const found = findNamed(
      providers ?? [],
      providerRef.name,
      providerRef.namespace,
    );
    alerts.push({
      name,
      severity: asString(alert.severity) ?? DEFAULT_SEVERITY,
      providerRef,
      ...(found ? { provider: describeProvider(found) } : {}),
    });
  }
  return alerts;
}
