import { AuthService } from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  RELATION_OWNED_BY,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';

/**
 * The owners of an entity: the targets of its `ownedBy` relations (what the catalog made of
 * `spec.owner`), else `spec.owner` itself read as the catalog reads it (kind `group` and the
 * entity's namespace by default). Sorted, without duplicates.
 */
export function ownerRefsOf(entity: Entity): string[] {
  const related = (entity.relations ?? [])
    .filter(r => r.type === RELATION_OWNED_BY)
    .map(r => r.targetRef);
  if (related.length > 0) {
    return [...new Set(related)].sort();
  }
  const owner = (entity.spec as { owner?: unknown } | undefined)?.owner;
  if (typeof owner !== 'string' || !owner) {
    return [];
  }
  return [
    stringifyEntityRef(
      parseEntityRef(owner, {
        defaultKind: 'group',
        defaultNamespace: entity.metadata.namespace ?? 'default',
      }),
    ),
  ];
}

/**
 * Reads an entity's owners from the catalog with the plugin's own credentials (one request per
 * notification; the annotated-entity cache keeps no owners). An unknown entity has none.
 */
export function catalogOwners(
  catalog: CatalogService,
  auth: AuthService,
): (entityRef: string) => Promise<string[]> {
  return async entityRef => {
    const { items } = await catalog.getEntitiesByRefs(
      {
        entityRefs: [entityRef],
        fields: [
          'kind',
          'metadata.name',
          'metadata.namespace',
          'spec.owner',
          'relations',
        ],
      },
      { credentials: await auth.getOwnServiceCredentials() },
    );
    return items[0] ? ownerRefsOf(items[0]) : [];
  };
}
