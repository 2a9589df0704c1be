import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import {
  ActionRequest,
  ActionResponse,
  CanaryActionName,
  FluxActionKind,
  FluxActionName,
} from '@progressive-delivery/plugin-progressive-delivery-common';
import { ActionTarget } from '../actions/DeliveryActions';
import {
  specObjectSchema,
  specParameterSchema,
  specResponseSchema,
  Zod,
} from './specSchemas';

/** What the action tools call: the method behind the HTTP action routes. */
export interface DeliveryActionRunner {
  runAs(
    credentials: BackstageCredentials,
    target: ActionTarget,
    body: ActionRequest,
  ): Promise<ActionResponse>;
}

const CANARY_PATH =
  '/v1/clusters/{cluster}/namespaces/{namespace}/canaries/{name}/{action}';
const FLUX_PATH =
  '/v1/clusters/{cluster}/namespaces/{namespace}/{kind}/{name}/{action}';

interface ToolAttributes {
  readOnly: false;
  destructive: boolean;
  idempotent: boolean;
}

interface ActionTool<A extends string> {
  action: A;
  name: string;
  title: string;
  description: string;
  attributes: ToolAttributes;
}

const AS_ENTITY =
  'entityRef (optional): the catalog entity to act as; the permission is checked on it and it must own the object. Without it, any owning entity on which the caller holds the permission suffices.';
const REFUSALS =
  "Refused like the HTTP API: NotAllowedError without the permission, NotFoundError for an unknown cluster, object or owning entity, ConflictError when the object's state or configuration forbids the action. Every attempt is audited.";

export const CANARY_TOOLS: ActionTool<CanaryActionName>[] = [
  {
    action: 'approve',
    name: 'approve-canary',
    title: 'Approve a Flagger canary at its gate',
    description: `Opens the gate of the canary's waiting confirm-rollout, confirm-traffic-increase or confirm-promotion webhook (a flagger-loadtester, reached through the cluster API server's service proxy), so Flagger starts the analysis, shifts more traffic to the canary, or promotes it to primary. Conflict when the canary is not waiting at such a gate. Needs the permission progressive-delivery.canary.approve on the catalog entity owning the canary. ${AS_ENTITY} ${REFUSALS}`,
    // Promotion replaces what the primary runs; each approve can open the next gate.
    attributes: { readOnly: false, destructive: true, idempotent: false },
  },
  {
    action: 'halt',
    name: 'halt-canary',
    title: 'Halt a Flagger canary',
    description: `Closes every confirm gate of the canary, so Flagger holds at its next gate instead of advancing (approve opens it again). Needs the permission progressive-delivery.canary.rollback on the catalog entity owning the canary. ${AS_ENTITY} ${REFUSALS}`,
    attributes: { readOnly: false, destructive: false, idempotent: true },
  },
  {
    action: 'rollback',
    name: 'rollback-canary',
    title: 'Roll back a Flagger canary',
    description: `Opens the gate of the canary's rollback webhook: Flagger fails the rollout under analysis and routes all traffic back to the primary. Only while a revision is analysed (Progressing, Waiting, WaitingPromotion), else conflict. Needs the permission progressive-delivery.canary.rollback on the catalog entity owning the canary. ${AS_ENTITY} ${REFUSALS}`,
    // Abandons the revision under analysis; a second rollback changes nothing more.
    attributes: { readOnly: false, destructive: true, idempotent: true },
  },
];

export const FLUX_TOOLS: ActionTool<FluxActionName>[] = [
  {
    action: 'reconcile',
    name: 'reconcile-flux-object',
    title: 'Reconcile a Flux object now',
    description: `Asks Flux to reconcile a Kustomization, HelmRelease or source now (sets the annotation reconcile.fluxcd.io/requestedAt, as flux reconcile does); withSource: the source first. Conflict when the object or its source is suspended. Needs the permission progressive-delivery.flux.reconcile on the catalog entity owning the object. ${AS_ENTITY} ${REFUSALS}`,
    // Another reconciliation converges to the same revision.
    attributes: { readOnly: false, destructive: false, idempotent: true },
  },
  {
    action: 'suspend',
    name: 'suspend-flux-object',
    title: 'Suspend a Flux object',
    description: `Sets spec.suspend to true on a Kustomization, HelmRelease or source, so Flux stops reconciling it until resumed. Needs the permission progressive-delivery.flux.suspend on the catalog entity owning the object. ${AS_ENTITY} ${REFUSALS}`,
    attributes: { readOnly: false, destructive: false, idempotent: true },
  },
  {
    action: 'resume',
    name: 'resume-flux-object',
    title: 'Resume a Flux object',
    description: `Sets spec.suspend to false on a Kustomization, HelmRelease or source and requests a reconciliation, as flux resume does. Needs the permission progressive-delivery.flux.suspend on the catalog entity owning the object. ${AS_ENTITY} ${REFUSALS}`,
    attributes: { readOnly: false, destructive: false, idempotent: true },
  },
];

/** The tool's input: the HTTP route's path parameters and its body, validated by the spec. */
function actionInput(
  z: Zod,
  path: string,
  parameters: string[],
  body: { withSource: boolean },
) {
  const request = specObjectSchema(z, 'ActionRequest');
  const fields = body.withSource ? request : request.omit({ withSource: true });
  return fields.extend(
    Object.fromEntries(
      parameters.map(name => [
        name,
        specParameterSchema(z, path, 'post', name),
      ]),
    ),
  );
}

/** The HTTP body's fields of a tool's input. */
function bodyOf(input: Record<string, unknown>): ActionRequest {
  const { entityRef, withSource } = input as ActionRequest;
  return {
    ...(entityRef !== undefined ? { entityRef } : {}),
    ...(withSource !== undefined ? { withSource } : {}),
  };
}

/**
 * The action tools: approve, halt and roll back canaries, reconcile, suspend and resume Flux
 * objects, each through the same `DeliveryActions` as the HTTP routes (owning entity,
 * permission, audit), answering the routes' `ActionResponse`.
 */
export function registerActionTools(
  registry: ActionsRegistryService,
  actions: DeliveryActionRunner,
): void {
  for (const tool of CANARY_TOOLS) {
    registry.register({
      name: tool.name,
      title: tool.title,
      description: tool.description,
      attributes: tool.attributes,
      schema: {
        input: z =>
          actionInput(z, CANARY_PATH, ['cluster', 'namespace', 'name'], {
            withSource: false,
          }),
        output: z => specResponseSchema(z, CANARY_PATH, 'post'),
      },
      action: async ({ input, credentials }) => {
        const target: ActionTarget = {
          cluster: String(input.cluster),
          namespace: String(input.namespace),
          name: String(input.name),
          kind: 'canaries',
          action: tool.action,
        };
        return {
          output: await actions.runAs(credentials, target, bodyOf(input)),
        };
      },
    });
  }
  for (const tool of FLUX_TOOLS) {
    registry.register({
      name: tool.name,
      title: tool.title,
      description: tool.description,
      attributes: tool.attributes,
      schema: {
        input: z =>
          actionInput(z, FLUX_PATH, ['cluster', 'namespace', 'kind', 'name'], {
            withSource: tool.action === 'reconcile',
          }),
        output: z => specResponseSchema(z, FLUX_PATH, 'post'),
      },
      action: async ({ input, credentials }) => {
        const target: ActionTarget = {
          cluster: String(input.cluster),
          namespace: String(input.namespace),
          name: String(input.name),
          kind: input.kind as FluxActionKind,
          action: tool.action,
        };
        return {
          output: await actions.runAs(credentials, target, bodyOf(input)),
        };
      },
    });
  }
}
