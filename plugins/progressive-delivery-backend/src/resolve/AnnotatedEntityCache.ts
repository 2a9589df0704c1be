import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { CompoundEntityRef, Entity } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { annotatedEntities } from './annotatedEntities';

const DEFAULT_TTL_MS = 60_000;
/** An empty catalog is usually one still ingesting at start-up: look again soon. */
const EMPTY_TTL_MS = 5_000;
/** The shortest time between two readings when callers find the list incomplete. */
const MIN_REFRESH_MS = 5_000;

/** The entity fields the plugin reads: its reference and the annotations that select objects. */
export const ENTITY_FIELDS = [
  'apiVersion',
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'metadata.annotations',
];

/** One reading of the catalog. */
export interface AnnotatedEntities {
  at: number;
  entities: Entity[];
  byRef: Map<string, Entity>;
  /** Changes with every reading; lets callers memoise per reading. */
  generation: number;
}
type Snapshot = AnnotatedEntities;

/** Entity references compare case-insensitively. */
const refKey = (ref: CompoundEntityRef | Entity): string =>
  'metadata' in ref
    ? refKey({
        kind: ref.kind,
        namespace: ref.metadata.namespace ?? 'default',
        name: ref.metadata.name,
      })
    : `${ref.kind}:${ref.namespace}/${ref.name}`.toLowerCase();

/**
 * The catalog entities carrying an annotation that links them to Kubernetes objects, read with
 * the plugin's own credentials and kept in memory, so that a page view does not cost a catalog
 * request. The list is read again in the background once it is older than the TTL (a minute;
 * five seconds while the catalog is empty, as it is during ingestion), and meanwhile the
 * previous list is served. Callers still check the caller's permissions on every request (the
 * catalog's `catalog.entity.read` included), and an entity that is not in the list is looked up
 * in the catalog with the caller's credentials, so a newly registered entity is never missed.
 */
export class AnnotatedEntityCache {
  private snapshot?: Snapshot;
  private loading?: Promise<Snapshot>;
  private generation = 0;

  constructor(
    private readonly options: {
      catalog: CatalogService;
      auth: AuthService;
      logger?: LoggerService;
      ttlMs?: number;
      now?: () => number;
    },
  ) {}

  /** Every annotated entity (possibly up to a TTL old). */
  async entities(): Promise<Entity[]> {
    return (await this.read()).entities;
  }

  /** The annotated entity with this reference, if there is one. */
  async get(ref: CompoundEntityRef): Promise<Entity | undefined> {
    return (await this.read()).byRef.get(refKey(ref));
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  /**
   * Reads the list again in the background (at most every five seconds), for a caller that
   * found an annotated entity the list lacks: one registered since, or the catalog was still
   * ingesting at the last reading.
   */
  refreshSoon(): void {
    const snapshot = this.snapshot;
    if (
      !this.loading &&
      snapshot &&
      this.now() - snapshot.at >= MIN_REFRESH_MS
    ) {
      this.loadInBackground();
    }
  }

  /** The latest reading; the first call waits for it, later ones never wait. */
  read(): Promise<AnnotatedEntities> {
    const snapshot = this.snapshot;
    if (!snapshot) {
      return this.load();
    }
    const ttl =
      snapshot.entities.length === 0
        ? EMPTY_TTL_MS
        : this.options.ttlMs ?? DEFAULT_TTL_MS;
    if (this.now() - snapshot.at > ttl) {
      // Stale: serve it while a fresh list is read.
      this.loadInBackground();
    }
    return Promise.resolve(snapshot);
  }

  /** A failed background reading keeps the previous list; the next access tries again. */
  private loadInBackground(): void {
    this.load().catch(error =>
      this.options.logger?.warn(
        `could not refresh the annotated catalog entities: ${error}`,
      ),
    );
  }

  private load(): Promise<Snapshot> {
    if (!this.loading) {
      const at = this.now();
      this.loading = this.options.auth
        .getOwnServiceCredentials()
        .then(credentials =>
          annotatedEntities(this.options.catalog, credentials, ENTITY_FIELDS),
        )
        .then(
          entities => {
            this.generation += 1;
            const snapshot: Snapshot = {
              at,
              entities,
              byRef: new Map(entities.map(e => [refKey(e), e])),
              generation: this.generation,
            };
            this.snapshot = snapshot;
            this.loading = undefined;
            return snapshot;
          },
          error => {
            // A failed read is retried on the next access, not remembered.
            this.loading = undefined;
            throw error;
          },
        );
    }
    return this.loading;
  }
}
