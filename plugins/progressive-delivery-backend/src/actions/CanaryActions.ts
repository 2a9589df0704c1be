import { ConflictError } from '@backstage/errors';
import {
  ActionResponse,
  CanaryActionName,
  CanaryGate,
  CanaryGateType,
  currentRolloutEvents,
  deriveCanaryEvents,
  deriveCanaryProgress,
  KubeObject,
} from '@internal/plugin-progressive-delivery-common';
import { ClusterActionClient } from './ClusterActionClient';
import { gateEndpoint, parseServiceUrl, ServiceTarget } from './webhookTarget';

const CONFIRM_GATES: CanaryGateType[] = [
  'confirm-rollout',
  'confirm-traffic-increase',
  'confirm-promotion',
];
/** Flagger checks rollback hooks only while a revision is analysed (scheduler.go). */
const ROLLBACK_PHASES = ['Progressing', 'Waiting', 'WaitingPromotion'];

/** What to add to a Canary that lacks the webhook an action needs. */
function webhookSnippet(namespace: string, type: CanaryGateType): string {
  const path = type === 'rollback' ? '/rollback/check' : '/gate/check';
  const name = type === 'rollback' ? 'rollback-gate' : `${type}-gate`;
  return [
    'spec:',
    '  analysis:',
    '    webhooks:',
    `      - name: ${name}`,
    `        type: ${type}`,
    `        url: http://flagger-loadtester.${namespace}${path}`,
  ].join('\n');
}

export type CanaryActionResult = Omit<ActionResponse, 'entityRef'>;

/**
 * Approve, halt and roll back a Flagger canary by opening and closing the flagger-loadtester
 * gates its webhooks name, through the cluster API server's service proxy only, and only for
 * webhook URLs that name a cluster-local service.
 */
export class CanaryActions {
  constructor(
    private readonly clientFor: (cluster: string) => ClusterActionClient,
  ) {}

  async run(
    cluster: string,
    canary: KubeObject,
    events: KubeObject[],
    action: CanaryActionName,
  ): Promise<CanaryActionResult> {
    const namespace = canary.metadata?.namespace ?? '';
    const name = canary.metadata?.name ?? '';
    const id = `Canary ${namespace}/${name} in ${cluster}`;
    const progress = deriveCanaryProgress(canary, {
      events: currentRolloutEvents(deriveCanaryEvents(events)),
    });
    const payload = { name, namespace };
    const ref = { cluster, kind: 'Canary', namespace, name };
    const client = this.clientFor(cluster);

    if (action === 'rollback') {
      const gate = progress.gates.find(g => g.type === 'rollback');
      if (!gate) {
        throw new ConflictError(
          `${id} has no rollback webhook, so Flagger cannot be asked to roll it back. Add one:\n${webhookSnippet(
            namespace,
            'rollback',
          )}`,
        );
      }
      if (!ROLLBACK_PHASES.includes(progress.phase)) {
        throw new ConflictError(
          `${id} is ${
            progress.phase || 'not initialised'
          }: Flagger only rolls back a revision under analysis (${ROLLBACK_PHASES.join(
            ', ',
          )})`,
        );
      }
      const { target, endpoint } = this.gateTarget(id, gate, 'open');
      await client.proxyPost(target, endpoint, payload);
      return {
        action,
        ref,
        webhook: { name: gate.name, type: gate.type, url: gate.url },
        message: `Opened the rollback gate ${gate.name}: Flagger rolls ${name} back at its next check.`,
      };
    }

    const confirmGates = progress.gates.filter(g =>
      CONFIRM_GATES.includes(g.type),
    );
    if (confirmGates.length === 0) {
      throw new ConflictError(
        `${id} has no confirm-rollout, confirm-traffic-increase or confirm-promotion webhook, so there is no gate to ${action}. Add one, for example:\n${webhookSnippet(
          namespace,
          'confirm-promotion',
        )}`,
      );
    }

    if (action === 'halt') {
      // The loadtester keeps one gate per canary; closing it stops every confirm gate.
      const closed: CanaryGate[] = [];
      for (const gate of confirmGates) {
        const { target, endpoint } = this.gateTarget(id, gate, 'close');
        await client.proxyPost(target, endpoint, payload);
        closed.push(gate);
      }
      return {
        action,
        ref,
        webhook: {
          name: closed[0].name,
          type: closed[0].type,
          url: closed[0].url,
        },
        message: `Closed the gate${closed.length > 1 ? 's' : ''} ${closed
          .map(g => g.name)
          .join(', ')}: Flagger holds ${name} at its next gate.`,
      };
    }

    const waiting = confirmGates.find(g => g.waiting);
    if (!waiting) {
      throw new ConflictError(
        `${id} is not waiting at a gate (phase ${
          progress.phase || 'unknown'
        }); its gates are ${confirmGates
          .map(g => `${g.name} (${g.type})`)
          .join(', ')}`,
      );
    }
    const { target, endpoint } = this.gateTarget(id, waiting, 'open');
    await client.proxyPost(target, endpoint, payload);
    return {
      action,
      ref,
      webhook: { name: waiting.name, type: waiting.type, url: waiting.url },
      message: `Opened the ${waiting.type} gate ${waiting.name}: Flagger continues ${name} at its next check.`,
    };
  }

  /** The service and loadtester endpoint of a gate, or a refusal naming the webhook. */
  private gateTarget(
    id: string,
    gate: CanaryGate,
    verb: 'open' | 'close',
  ): { target: ServiceTarget; endpoint: string } {
    const parsed = parseServiceUrl(gate.url);
    if ('error' in parsed) {
      throw new ConflictError(
        `Refusing to call webhook ${gate.name} of ${id} at ${gate.url}: ${parsed.error}. Only cluster-local services are called, through the API server's service proxy.`,
      );
    }
    const endpoint = gateEndpoint(parsed.target.path, verb);
    if (!endpoint) {
      throw new ConflictError(
        `Webhook ${gate.name} of ${id} (${gate.url}) is not a flagger-loadtester gate check (…/gate/check or …/rollback/check), so it cannot be opened or closed from here`,
      );
    }
    return { target: parsed.target, endpoint };
  }
}
