import { AuthService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { annotatedEntities, ObjectOwnership } from '../service/ObjectOwnership';
import { CanaryKey } from './RolloutRepository';

const DEFAULT_TTL_MS = 60_000;
/** An empty catalog is usually one still ingesting at start-up: look again soon. */
const EMPTY_TTL_MS = 5_000;

interface CachedEntities {
  at: number;
  entities: Promise<Entity[]>;
  /** Owners found with this list, per canary, so a busy canary costs one resolution. */
  refs: Map<string, string | undefined>;
  empty?: boolean;
}

/**
 * The catalog entity that owns a canary, for the recorder: the annotated entities are read with
 * the plugin's own credentials and kept for a minute, so a burst of changes costs one catalog
 * request. Several owners: the first by entity ref, so every replica picks the same one.
 */
export class EntityRefLookup {
  private cached?: CachedEntities;

  constructor(
    private readonly options: {
      catalog: CatalogService;
      auth: AuthService;
      ownership: ObjectOwnership;
      ttlMs?: number;
      now?: () => number;
    },
  ) {}

  async entityRefOf(key: CanaryKey): Promise<string | undefined> {
    const entities = await this.entities();
    const refs = this.cached?.refs;
    const id = `${key.cluster}/${key.namespace}/${key.canary}`;
    if (refs?.has(id)) {
      return refs.get(id);
    }
    const owners = entities
      .filter(e =>
        this.options.ownership.owns(e, {
          cluster: key.cluster,
          kind: 'Canary',
          namespace: key.namespace,
          name: key.canary,
        }),
      )
      .map(e => stringifyEntityRef(e))
      .sort();
    refs?.set(id, owners[0]);
    return owners[0];
  }

  private entities(): Promise<Entity[]> {
    const now = (this.options.now ?? Date.now)();
    const ttl = this.options.ttlMs ?? DEFAULT_TTL_MS;
    if (
      !this.cached ||
      now - this.cached.at > (this.cached.empty ? EMPTY_TTL_MS : ttl)
    ) {
      const entities = this.options.auth
        .getOwnServiceCredentials()
        .then(credentials =>
          annotatedEntities(this.options.catalog, credentials),
        );
      const cached: CachedEntities = { at: now, entities, refs: new Map() };
      entities.then(
        list => {
          cached.empty = list.length === 0;
        },
        () => {
          // A failed read is retried on the next lookup, not cached.
          if (this.cached === cached) {
            this.cached = undefined;
          }
        },
      );
      this.cached = cached;
    }
    return this.cached.entities;
  }
}
