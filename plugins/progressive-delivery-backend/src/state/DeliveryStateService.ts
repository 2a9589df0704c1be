import {
  BackstageCredentials,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  CompoundEntityRef,
  Entity,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  CanarySummary,
  ClusterStatus,
  EntityDeliveryState,
  KUBERNETES_ANNOTATIONS,
  progressiveDeliveryEntityReadPermission,
  PROGRESSIVE_DELIVERY_ANNOTATIONS,
  RESOLVING_ANNOTATIONS,
} from '@progressive-delivery/plugin-progressive-delivery-common';
import { AnnotatedEntityCache } from '../resolve/AnnotatedEntityCache';
import { annotatedEntities } from '../resolve/annotatedEntities';
import { EntityResolver } from '../resolve/EntityResolver';
import { readEntitySelection } from '../resolve/entitySelection';
import { ChangeSource } from '../watch/types';
import {
  assembleCanary,
  assembleCluster,
  CanaryChangesReader,
  CanaryEvidenceReader,
} from './DeliveryStateAssembler';
import { EntityStateMemo } from './EntityStateMemo';
import { StateView } from './StateView';

/** The cluster side the service reads: names and sync status. */
export interface ClusterStatusSource {
  clusterNames(): string[];
  status(): ClusterStatus[];
  statusOf(name: string): ClusterStatus | undefined;
  /** Changes whenever `status()` does but for object counts; without it, read each time. */
  statusVersion?(): number;
}

export interface CanaryFilters {
  cluster?: string;
  namespace?: string;
  phase?: string;
}

const NO_ANNOTATIONS_MESSAGE =
  'This entity has none of the annotations that link it to Kubernetes objects. Add ' +
  `"${KUBERNETES_ANNOTATIONS.id}: <id>" (and the label of the same name on the Deployment and ` +
  `Canary), "${KUBERNETES_ANNOTATIONS.labelSelector}: <selector>", or ` +
  `"${PROGRESSIVE_DELIVERY_ANNOTATIONS.canary}: <namespace>/<name>".`;

export interface DeliveryStateServiceOptions {
  catalog: CatalogService;
  /** The annotated entities in memory; without it every request reads the catalog. */
  entities?: AnnotatedEntityCache;
  permissions: PermissionsService;
  resolver: EntityResolver;
  clusters: ClusterStatusSource;
  istioRootNamespace: string;
  logger: LoggerService;
  /** What the analysis evaluator measured, and the canaries' links (entity views only). */
  evidence?: CanaryEvidenceReader;
  /** What each rollout changes (entity views only). */
  changes?: CanaryChangesReader;
  /** The clock for completion estimates. */
  now?: () => Date;
  /**
   * What tells that objects changed (the object store, the event history, the evaluator, the
   * rollout changes): with them, each entity's state is kept until something it comes from
   * changes (see EntityStateMemo); without them, derived on every call.
   */
  sources?: ChangeSource[];
  /** Entities whose states are kept without an open stream. */
  memoEntries?: number;
}

/**
 * What the states show of the clusters' sync status, as a string that changes with it; made
 * again only when the clusters' status version moved (every entity view asks).
 */
function clusterStatusPrinter(clusters: ClusterStatusSource): () => string {
  let printed: { version?: number; print: string } | undefined;
  return () => {
    const version = clusters.statusVersion?.();
    if (version === undefined || version !== printed?.version) {
      const print = clusterStatusPrint(clusters);
      // The same string while it says the same: every kept state holds it.
      printed = {
        version,
        print: print === printed?.print ? printed.print : print,
      };
    }
    return printed.print;
  };
}

function clusterStatusPrint(clusters: ClusterStatusSource): string {
  return JSON.stringify(
    clusters
      .status()
      .map(c => [
        c.name,
        c.state,
        c.errors,
        c.kinds.filter(k => k.state === 'notInstalled').map(k => k.kind),
      ]),
  );
}

/**
 * Answers "where is my change?" for catalog entities from the in-memory store: resolves the
 * entity, derives the state per cluster, and never calls a Kubernetes API.
 */
export class DeliveryStateService {
  readonly memo: EntityStateMemo;

  private constructor(
    private readonly options: DeliveryStateServiceOptions & { now: () => Date },
  ) {
    this.memo = new EntityStateMemo({
      derive: (entity, dependencies) => this.derive(entity, dependencies),
      sources: options.sources,
      clusterStatus: clusterStatusPrinter(options.clusters),
      maxEntries: options.memoEntries,
      now: () => options.now().getTime(),
    });
  }

  static create(options: DeliveryStateServiceOptions): DeliveryStateService {
    return new DeliveryStateService({
      ...options,
      now: options.now ?? (() => new Date()),
    });
  }

  /**
   * The entity, if the caller may see it (404 otherwise) and may read its delivery state (403).
   * Both permissions are evaluated on every call (see {@link DeliveryStateService.access}).
   */
  async readableEntity(
    ref: CompoundEntityRef,
    credentials: BackstageCredentials,
  ): Promise<Entity> {
    const cached = await this.fromMemory(cache => cache.get(ref));
    const entity = cached ?? (await this.getEntity(ref, credentials));
    if (!cached && readEntitySelection(entity)) {
      // Annotated but not in memory: registered since the last reading, or read mid-ingestion.
      this.options.entities?.refreshSoon();
    }
    const [access] = await this.access([entity], !!cached, credentials);
    if (access === 'hidden') {
      throw new NotFoundError(`No entity ${stringifyEntityRef(ref)}`);
    }
    if (access === 'denied') {
      throw new NotAllowedError(
        `Not allowed to read the delivery state of ${stringifyEntityRef(
          entity,
        )}`,
      );
    }
    return entity;
  }

  /**
   * Evaluates, in one batch, `progressive-delivery.entity.read` on each entity and, for entities
   * served from memory, `catalog.entity.read` as the catalog itself would (an entity read from
   * the catalog with the caller's credentials was checked there).
   */
  private async access(
    entities: Entity[],
    fromMemory: boolean,
    credentials: BackstageCredentials,
  ): Promise<Array<'readable' | 'hidden' | 'denied'>> {
    if (entities.length === 0) {
      return [];
    }
    const permissions = fromMemory
      ? [progressiveDeliveryEntityReadPermission, catalogEntityReadPermission]
      : [progressiveDeliveryEntityReadPermission];
    const decisions = await this.options.permissions.authorize(
      entities.flatMap(entity =>
        permissions.map(permission => ({
          permission,
          resourceRef: stringifyEntityRef(entity),
        })),
      ),
      { credentials },
    );
    const allowed = (index: number, offset: number) =>
      decisions[index * permissions.length + offset]?.result ===
      AuthorizeResult.ALLOW;
    return entities.map((_, index) => {
      if (fromMemory && !allowed(index, 1)) {
        return 'hidden';
      }
      return allowed(index, 0) ? 'readable' : 'denied';
    });
  }

  /** Reads the in-memory entities; undefined (and a warning) when they cannot be had. */
  private async fromMemory<T>(
    read: (cache: AnnotatedEntityCache) => Promise<T>,
  ): Promise<T | undefined> {
    const cache = this.options.entities;
    if (!cache) {
      return undefined;
    }
    try {
      return await read(cache);
    } catch (error) {
      // The catalog could not be read with the plugin's credentials: ask with the caller's.
      this.options.logger.warn(
        `annotated entities unavailable, reading from the catalog with the caller's credentials: ${error}`,
      );
      return undefined;
    }
  }

  /** Fetches the entity with the caller's credentials; 404 when the caller cannot see it. */
  private async getEntity(
    ref: CompoundEntityRef,
    credentials: BackstageCredentials,
  ): Promise<Entity> {
    const entity = await this.options.catalog.getEntityByRef(ref, {
      credentials,
    });
    if (!entity) {
      throw new NotFoundError(`No entity ${stringifyEntityRef(ref)}`);
    }
    return entity;
  }

  /**
   * The entity's delivery state, per cluster, serialised; the same for every caller who may
   * read it. Permission checks are the caller's job.
   */
  viewOf(entity: Entity): StateView {
    return this.memo.viewOf(entity);
  }

  /** The entity's delivery state as an object (see {@link DeliveryStateService.viewOf}). */
  stateOf(entity: Entity): EntityDeliveryState {
    return this.viewOf(entity).state();
  }

  stop(): void {
    this.memo.stop();
  }

  /** Derives the state, adding to `dependencies` what it read of the store. */
  private derive(
    entity: Entity,
    dependencies: Set<string>,
  ): EntityDeliveryState {
    const entityRef = stringifyEntityRef(entity);
    const now = this.options.now();
    const selection = readEntitySelection(entity);
    const base = { entityRef, generatedAt: now.toISOString() };
    if (!selection) {
      return {
        ...base,
        explanation: {
          reason: 'noAnnotations',
          message: NO_ANNOTATIONS_MESSAGE,
          annotations: [...RESOLVING_ANNOTATIONS],
        },
        clusters: [],
      };
    }
    const clusterNames = this.options.clusters
      .clusterNames()
      .filter(name => !selection.cluster || name === selection.cluster);
    const clusters = clusterNames
      .map(name =>
        assembleCluster(
          this.options.resolver.resolveRecording(selection, name, dependencies),
          this.options.clusters.statusOf(name),
          this.options.istioRootNamespace,
          now,
          this.options.evidence,
          this.options.changes,
        ),
      )
      // Clusters without anything of the entity only matter when they may be hiding it.
      .filter(
        c =>
          c.canaries.length > 0 ||
          c.workloads.length > 0 ||
          c.flux.length > 0 ||
          c.state !== 'synced',
      );
    const state: EntityDeliveryState = { ...base, clusters };
    if (selection.invalid.length > 0) {
      state.explanation = {
        reason: 'invalidAnnotations',
        message: `Some annotations could not be read: ${selection.invalid.join(
          '; ',
        )}`,
        annotations: [...RESOLVING_ANNOTATIONS],
      };
    } else if (
      clusters.every(
        c =>
          c.canaries.length === 0 &&
          c.workloads.length === 0 &&
          c.flux.length === 0,
      )
    ) {
      state.explanation = {
        reason: 'noObjects',
        message:
          selection.cluster && clusterNames.length === 0
            ? `The entity names cluster "${selection.cluster}", which is not configured.`
            : "No Canary, Deployment or Flux object in the watched clusters matches this entity's annotations.",
        annotations: [...RESOLVING_ANNOTATIONS],
      };
    }
    return state;
  }

  /**
   * Every canary of an entity the caller may read (`catalog.entity.read` and
   * `progressive-delivery.entity.read` per entity, evaluated on every call), filtered.
   */
  async listCanaries(
    filters: CanaryFilters,
    credentials: BackstageCredentials,
  ): Promise<CanarySummary[]> {
    const readable = await this.readableAnnotatedEntities(credentials);
    const now = this.options.now();
    const byCanary = new Map<string, CanarySummary>();
    readable.forEach(entity => {
      const selection = readEntitySelection(entity);
      if (!selection) {
        return;
      }
      const entityRef = stringifyEntityRef(entity);
      for (const cluster of this.options.clusters.clusterNames()) {
        if (filters.cluster && cluster !== filters.cluster) {
          continue;
        }
        if (selection.cluster && cluster !== selection.cluster) {
          continue;
        }
        for (const resolved of this.options.resolver.resolve(selection, cluster)
          .canaries) {
          const canary = assembleCanary(
            cluster,
            resolved,
            this.options.istioRootNamespace,
            now,
          );
          const key = `${cluster}/${canary.ref.namespace}/${canary.ref.name}`;
          const existing = byCanary.get(key);
          if (existing) {
            existing.entityRefs.push(entityRef);
          } else {
            byCanary.set(key, {
              ref: canary.ref,
              entityRefs: [entityRef],
              target: canary.target,
              progress: canary.progress,
            });
          }
        }
      }
    });
    return [...byCanary.values()]
      .filter(c => !filters.namespace || c.ref.namespace === filters.namespace)
      .filter(c => !filters.phase || c.progress.phase === filters.phase)
      .sort(
        (a, b) =>
          a.ref.cluster.localeCompare(b.ref.cluster) ||
          a.ref.namespace.localeCompare(b.ref.namespace) ||
          a.ref.name.localeCompare(b.ref.name),
      );
  }

  /** The annotated entities the caller may see and read the delivery state of. */
  private async readableAnnotatedEntities(
    credentials: BackstageCredentials,
  ): Promise<Entity[]> {
    const cached = await this.fromMemory(cache => cache.entities());
    const items =
      cached ?? (await annotatedEntities(this.options.catalog, credentials));
    const access = await this.access(items, !!cached, credentials);
    return items.filter((_, index) => access[index] === 'readable');
  }

  clusterStatus(): ClusterStatus[] {
    return this.options.clusters.status();
  }
}
