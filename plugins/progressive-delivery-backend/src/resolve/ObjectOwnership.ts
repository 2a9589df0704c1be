import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { annotatedEntities } from './annotatedEntities';
import { EntityResolver } from './EntityResolver';
import { readEntitySelection } from './entitySelection';

export interface OwnedObjectRef {
  cluster: string;
  kind: string;
  namespace: string;
  name: string;
}

/**
 * Finds the catalog entities that own a Kubernetes object: those whose annotations resolve to
 * it, following the same links as the delivery state (so an entity's actions are exactly on
 * what its Delivery tab shows). Uses the caller's credentials: entities they cannot see do not
 * count.
 */
export class ObjectOwnership {
  constructor(
    private readonly catalog: CatalogService,
    private readonly resolver: EntityResolver,
  ) {}

  async ownersOf(
    ref: OwnedObjectRef,
    credentials: BackstageCredentials,
  ): Promise<Entity[]> {
    const entities = await annotatedEntities(this.catalog, credentials);
    return entities.filter(entity => this.owns(entity, ref));
  }

  owns(entity: Entity, ref: OwnedObjectRef): boolean {
    const selection = readEntitySelection(entity);
    if (
      !selection ||
      (selection.cluster && selection.cluster !== ref.cluster)
    ) {
      return false;
    }
    const resolved = this.resolver.resolve(selection, ref.cluster);
    const objects =
      ref.kind === 'Canary'
        ? resolved.canaries.map(c => c.canary)
        : [...resolved.flux, ...resolved.workloads];
    return objects.some(
      o =>
        o.kind === ref.kind &&
        o.metadata?.namespace === ref.namespace &&
        o.metadata?.name === ref.name,
    );
  }
}
