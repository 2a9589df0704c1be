import { CanaryPhase, Canary, CanaryWebhook } from '../model';

/** What answers an in-cluster URL (SimulatedCluster.callService). */
export type ServiceCaller = (
  url: string,
  method: string,
  body: string,
) => { status: number; body: string };

/** The canary's webhooks of one type (`rollout` when the type is left out). */
export function webhooksOfType(cd: Canary, type: string): CanaryWebhook[] {
  return (cd.spec.analysis?.webhooks ?? []).filter(
    w => (w.type ?? 'rollout') === type,
  );
}

/** Calls webhooks in-cluster as Flagger does (pkg/controller/webhook.go). */
export class WebhookCaller {
  constructor(private readonly callService: ServiceCaller) {}

  /** POSTs the webhook payload; returns the error Flagger would see, if any. */
  call(
    cd: Canary,
    phase: CanaryPhase,
    hook: CanaryWebhook,
  ): string | undefined {
    const payload = {
      name: cd.metadata.name,
      namespace: cd.metadata.namespace,
      phase,
      checksum: cd.status?.lastAppliedSpec ?? '',
      metadata: hook.metadata ?? {},
    };
    const answer = this.callService(hook.url, 'POST', JSON.stringify(payload));
    if (answer.status === 0) return answer.body;
    if (answer.status > 202) return answer.body;
    return undefined;
  }
}
