import { ConflictError } from '@backstage/errors';
import {
  ActionResponse,
  CanaryActionName,
  CanaryGate,
  CanaryGateType,
  CanaryProgress,
  currentRolloutEvents,
  deriveCanaryEvents,
  deriveCanaryProgress,
  KubeObject,
  ROLLBACK_HOOK_PHASES,
} from '@progressive-delivery/plugin-progressive-delivery-common';
import { GatePolicy } from './ActionsConfig';
import { ClusterActionClient } from './ClusterActionClient';
import { gatePortProblem, gateServiceProblem } from './gatePolicy';
import { checkingOutcome } from './outcomeUnknown';
import { gateEndpoint, parseServiceUrl, ServiceTarget } from './webhookTarget';

const CONFIRM_GATES: CanaryGateType[] = [
  'confirm-rollout',
  'confirm-traffic-increase',
  'confirm-promotion',
];

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

/** What every step of one action on one canary needs. */
interface ActionContext {
  /** The canary, in words, for messages. */
  id: string;
  name: string;
  namespace: string;
  action: CanaryActionName;
  ref: ActionResponse['ref'];
  progress: CanaryProgress;
  client: ClusterActionClient;
  cluster: string;
}

/** A gate whose URL passed every rule: where to POST to open or close it. */
interface CheckedGate {
  gate: CanaryGate;
  target: ServiceTarget;
  endpoint: string;
}

/**
 * What to look at when a gate call's outcome is unknown: the canary's status and Flagger's event
 * at its next check (fluxcd/flagger@15bd6ad pkg/controller/scheduler_hooks.go, scheduler.go).
 */
function whatToCheck(
  context: ActionContext,
  gate: CanaryGate,
  verb: 'open' | 'close',
): string {
  const { namespace, name, cluster } = context;
  const canary = `${name}.${namespace}`;
  let next: string;
  if (gate.type === 'rollback') {
    next = `whether Flagger rolls it back (phase Failed, event "Rolling back ${canary} manual webhook invoked")`;
  } else if (verb === 'open') {
    const check = gate.type[0].toUpperCase() + gate.type.slice(1);
    next = `whether it passes the gate (event "${check} check ${gate.name} passed", the phase no longer waiting)`;
  } else {
    next = `whether Flagger waits at the gate (event "Halt ${canary} advancement waiting for … approval ${gate.name}")`;
  }
  return `Check the canary's gates and status before trying again (the Delivery tab, or in cluster ${cluster}: kubectl -n ${namespace} get canary ${name}): at its next check, see ${next}.`;
}

/** The response of an action that called `gate`. */
function result(
  context: ActionContext,
  gate: CanaryGate,
  message: string,
): CanaryActionResult {
  return {
    action: context.action,
    ref: context.ref,
    webhook: { name: gate.name, type: gate.type, url: gate.url },
    message,
  };
}

/**
 * Approve, halt and roll back a Flagger canary by opening and closing the flagger-loadtester
 * gates its webhooks name, through the cluster API server's service proxy only, and only for
 * webhook URLs that name a cluster-local service.
 */
export class CanaryActions {
  constructor(
    private readonly clientFor: (cluster: string) => ClusterActionClient,
    private readonly policy: GatePolicy,
  ) {}

  async run(
    cluster: string,
    canary: KubeObject,
    events: KubeObject[],
    action: CanaryActionName,
  ): Promise<CanaryActionResult> {
    const namespace = canary.metadata?.namespace ?? '';
    const name = canary.metadata?.name ?? '';
    const context: ActionContext = {
      id: `Canary ${namespace}/${name} in ${cluster}`,
      name,
      namespace,
      action,
      ref: { cluster, kind: 'Canary', namespace, name },
      progress: deriveCanaryProgress(canary, {
        events: currentRolloutEvents(deriveCanaryEvents(events)),
      }),
      client: this.clientFor(cluster),
      cluster,
    };
    if (action === 'rollback') {
      return this.rollback(context);
    }
    const confirmGates = context.progress.gates.filter(g =>
      CONFIRM_GATES.includes(g.type),
    );
    if (confirmGates.length === 0) {
      throw new ConflictError(
        `${
          context.id
        } has no confirm-rollout, confirm-traffic-increase or confirm-promotion webhook, so there is no gate to ${action}. Add one, for example:\n${webhookSnippet(
          namespace,
          'confirm-promotion',
        )}`,
      );
    }
    return action === 'halt'
      ? this.halt(context, confirmGates)
      : this.approve(context, confirmGates);
  }

  /** Opens the rollback gate; Flagger rolls back at its next check. */
  private async rollback(context: ActionContext): Promise<CanaryActionResult> {
    const { id, name, namespace, progress } = context;
    const gate = progress.gates.find(g => g.type === 'rollback');
    if (!gate) {
      throw new ConflictError(
        `${id} has no rollback webhook, so Flagger cannot be asked to roll it back. Add one:\n${webhookSnippet(
          namespace,
          'rollback',
        )}`,
      );
    }
    if (!ROLLBACK_HOOK_PHASES.has(progress.phase)) {
      throw new ConflictError(
        `${id} is ${
          progress.phase || 'not initialised'
        }: Flagger only rolls back a revision under analysis (${[
          ...ROLLBACK_HOOK_PHASES,
        ].join(', ')})`,
      );
    }
    await this.callGates(context, [gate], 'open');
    return result(
      context,
      gate,
      `Opened the rollback gate ${gate.name}: Flagger rolls ${name} back at its next check.`,
    );
  }

  /** Closes every confirm gate: the loadtester keeps one gate per canary. */
  private async halt(
    context: ActionContext,
    confirmGates: CanaryGate[],
  ): Promise<CanaryActionResult> {
    await this.callGates(context, confirmGates, 'close');
    return result(
      context,
      confirmGates[0],
      `Closed the gate${confirmGates.length > 1 ? 's' : ''} ${confirmGates
        .map(g => g.name)
        .join(', ')}: Flagger holds ${context.name} at its next gate.`,
    );
  }

  /** Opens the confirm gate the canary waits at. */
  private async approve(
    context: ActionContext,
    confirmGates: CanaryGate[],
  ): Promise<CanaryActionResult> {
    const waiting = confirmGates.find(g => g.waiting);
    if (!waiting) {
      throw new ConflictError(
        `${context.id} is not waiting at a gate (phase ${
          context.progress.phase || 'unknown'
        }); its gates are ${confirmGates
          .map(g => `${g.name} (${g.type})`)
          .join(', ')}`,
      );
    }
    await this.callGates(context, [waiting], 'open');
    return result(
      context,
      waiting,
      `Opened the ${waiting.type} gate ${waiting.name}: Flagger continues ${context.name} at its next check.`,
    );
  }

  /**
   * Checks every gate first (nothing is called if one is refused), then POSTs `{name,
   * namespace}` to each gate's endpoint in turn.
   */
  private async callGates(
    context: ActionContext,
    gates: CanaryGate[],
    verb: 'open' | 'close',
  ): Promise<void> {
    const checked: CheckedGate[] = [];
    for (const gate of gates) {
      checked.push(await this.checkedGate(context, gate, verb));
    }
    for (const { gate, target, endpoint } of checked) {
      await checkingOutcome(
        context.client.proxyPost(target, endpoint, {
          name: context.name,
          namespace: context.namespace,
        }),
        whatToCheck(context, gate, verb),
      );
    }
  }

  /** The service and loadtester endpoint of a gate, or a refusal naming the webhook's URL. */
  private async checkedGate(
    context: ActionContext,
    gate: CanaryGate,
    verb: 'open' | 'close',
  ): Promise<CheckedGate> {
    const refuse = (reason: string) =>
      new ConflictError(
        `Refusing to call webhook ${gate.name} of ${context.id} at ${gate.url}: ${reason}.`,
      );
    const parsed = parseServiceUrl(gate.url);
    if ('error' in parsed) {
      throw refuse(
        `${parsed.error}. Only cluster-local services are called, through the API server's service proxy`,
      );
    }
    const { target } = parsed;
    const endpoint = gateEndpoint(target.path, verb);
    if (!endpoint) {
      throw new ConflictError(
        `Webhook ${gate.name} of ${context.id} (${gate.url}) is not a flagger-loadtester gate check (…/gate/check or …/rollback/check), so it cannot be opened or closed from here`,
      );
    }
    const problem =
      gateServiceProblem(target, context.namespace, this.policy) ??
      gatePortProblem(
        target,
        await context.client.getService(target.namespace, target.service),
        context.cluster,
      );
    if (problem) {
      throw refuse(problem);
    }
    return { gate, target, endpoint };
  }
}
