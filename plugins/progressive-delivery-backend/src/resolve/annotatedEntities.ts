import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { Entity } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { RESOLVING_ANNOTATIONS } from '@progressive-delivery/plugin-progressive-delivery-common';

/** Every entity with an annotation that links it to Kubernetes objects, as the caller sees them. */
export async function annotatedEntities(
  catalog: CatalogService,
  credentials: BackstageCredentials,
  fields?: string[],
): Promise<Entity[]> {
  const { items } = await catalog.getEntities(
    {
      filter: RESOLVING_ANNOTATIONS.map(annotation => ({
        [`metadata.annotations.${annotation}`]: CATALOG_FILTER_EXISTS,
      })),
      ...(fields ? { fields } : {}),
    },
    { credentials },
  );
  return items;
}
