import { JsonObject } from '@backstage/types';
import { TenantContext } from './TenantContext';

/** A Slack Provider and an Alert for the tenant's Flux errors. */
export function renderFluxAlerts(t: TenantContext): JsonObject[] {
  const provider = {
    apiVersion: 'notification.toolkit.fluxcd.io/v1beta3',
    kind: 'Provider',
    metadata: t.metadata('slack'),
    spec: {
      type: 'slack',
      channel: t.request.slackChannel,
      // The webhook URL stays in a Secret (key `address`) the platform provides; never in Git.
      secretRef: { name: 'slack-webhook' },
    },
  };
  const alert = {
    apiVersion: 'notification.toolkit.fluxcd.io/v1beta3',
    kind: 'Alert',
    metadata: t.metadata('flux-errors'),
    spec: {
      providerRef: { name: 'slack' },
      eventSeverity: 'error',
      eventSources: [
        { kind: 'Kustomization', name: '*' },
        { kind: 'GitRepository', name: '*' },
      ],
      eventMetadata: { tenant: t.namespace },
    },
  };
  return [provider, alert];
}
