import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import {
  CompoundEntityRef,
  Entity,
  parseEntityRef,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  CanarySummary,
  EntityDeliveryState,
} from '@progressive-delivery/plugin-progressive-delivery-common';
import { CanaryFilters } from '../state/DeliveryStateService';
import { specParameterSchema, specResponseSchema, Zod } from './specSchemas';

/** What the read tools call: the same methods the HTTP routes call. */
export interface DeliveryStateReader {
  readableEntity(
    ref: CompoundEntityRef,
    credentials: BackstageCredentials,
  ): Promise<Entity>;
  stateOf(entity: Entity): EntityDeliveryState;
  listCanaries(
    filters: CanaryFilters,
    credentials: BackstageCredentials,
  ): Promise<CanarySummary[]>;
}

const ENTITY_PATH = '/v1/entities/{kind}/{namespace}/{name}';
const CANARIES_PATH = '/v1/canaries';

const READ = { readOnly: true, destructive: false, idempotent: true };

/** An entity reference's parts; the namespace defaults to `default`. */
function entityRefParts(entityRef: string): CompoundEntityRef {
  try {
    return parseEntityRef(entityRef, { defaultNamespace: 'default' });
  } catch (error) {
    throw new InputError(
      `entityRef ${entityRef} is not an entity reference (kind:namespace/name, e.g. component:default/podinfo): ${
        (error as Error).message
      }`,
    );
  }
}

/**
 * What is wrong with an entity reference, checked as the HTTP route checks its path: each part
 * against the spec's schema of that path parameter, so what the HTTP API refuses with 400 the
 * tool refuses as invalid input.
 */
function entityRefProblem(z: Zod, entityRef: string): string | undefined {
  let ref: CompoundEntityRef;
  try {
    ref = entityRefParts(entityRef);
  } catch (error) {
    return (error as Error).message;
  }
  const bad = (['kind', 'namespace', 'name'] as const).find(
    part =>
      !specParameterSchema(z, ENTITY_PATH, 'get', part).safeParse(ref[part])
        .success,
  );
  // No double quotes: the registry shows this inside its JSON list of problems.
  return bad
    ? `entityRef ${entityRef}: '${ref[bad]}' is not a valid entity ${bad}`
    : undefined;
}

/**
 * The read tools: an entity's delivery state and the fleet's canaries, with the permission
 * checks of the HTTP API (`progressive-delivery.entity.read` and the catalog's read, with the
 * caller's credentials) and its answers.
 */
export function registerReadTools(
  registry: ActionsRegistryService,
  service: DeliveryStateReader,
): void {
  registry.register({
    name: 'get-entity-delivery-state',
    title: 'Get delivery state of a catalog entity',
    description: `Where a catalog entity's change is, per Kubernetes cluster: its Flagger canaries (phase, traffic weights canary/primary, analysis steps, metric checks and their measured values, gates waiting for approval, Flagger's events, the Istio or Gateway API routing), its workloads and its Flux objects (GitRepository, Kustomization, HelmRelease: revisions, readiness, suspended). The same answer as GET /api/progressive-delivery/v1/entities/{kind}/{namespace}/{name}. Needs the permission progressive-delivery.entity.read on the entity; an entity the caller cannot see is "not found". When the entity has no Kubernetes annotations or nothing matches, "explanation" says why.`,
    attributes: READ,
    schema: {
      input: z =>
        z.object({
          entityRef: z
            .string()
            .describe(
              'The catalog entity, kind:namespace/name (namespace defaults to "default"), e.g. component:default/podinfo',
            )
            .superRefine((value, ctx) => {
              const problem = entityRefProblem(z, value);
              if (problem) {
                ctx.addIssue({ code: 'custom', message: problem });
              }
            }),
        }),
      output: z => specResponseSchema(z, ENTITY_PATH, 'get'),
    },
    action: async ({ input, credentials }) => {
      const entity = await service.readableEntity(
        entityRefParts(input.entityRef),
        credentials,
      );
      return { output: service.stateOf(entity) };
    },
  });

  registry.register({
    name: 'list-canaries',
    title: 'List Flagger canaries',
    description: `Every Flagger canary of a catalog entity the caller may read, across all clusters, with the entities it belongs to and its progress: phase (Initialized, Progressing, WaitingPromotion, Promoting, Finalising, Succeeded, Failed, ...), activity (idle, active, waiting, succeeded, failed), traffic weights, failed checks, gates waiting for approval. Filters: cluster, namespace, phase (exact Flagger phase). The same answer as GET /api/progressive-delivery/v1/canaries.`,
    attributes: READ,
    schema: {
      input: z =>
        z.object({
          cluster: z
            .string()
            .optional()
            .describe('Only canaries of this cluster'),
          namespace: z
            .string()
            .optional()
            .describe('Only canaries of this Kubernetes namespace'),
          phase: z
            .string()
            .optional()
            .describe('Only canaries in this Flagger phase, e.g. Progressing'),
        }),
      output: z => specResponseSchema(z, CANARIES_PATH, 'get'),
    },
    action: async ({ input, credentials }) => ({
      output: { items: await service.listCanaries(input, credentials) },
    }),
  });
}
