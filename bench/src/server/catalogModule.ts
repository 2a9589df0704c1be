import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  EntityProvider,
  EntityProviderConnection,
  catalogProcessingExtensionPoint,
} from '@backstage/plugin-catalog-node';
import { scaleEntities } from './scaleEntities';

/** Hands the catalog all scale entities at once: no locations to read, so ingestion is fast. */
class ScaleEntityProvider implements EntityProvider {
  constructor(private readonly count: number) {}

  getProviderName(): string {
    return 'bench-scale-entities';
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    await connection.applyMutation({
      type: 'full',
      entities: scaleEntities(this.count).map(entity => ({
        entity,
        locationKey: 'bench:scale-entities',
      })),
    });
  }
}

/** Catalog module providing `bench.entities` Components (one per scale canary). */
export const scaleEntitiesCatalogModule = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'bench-scale-entities',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        catalog: catalogProcessingExtensionPoint,
      },
      async init({ config, catalog }) {
        catalog.addEntityProvider(
          new ScaleEntityProvider(config.getNumber('bench.entities')),
        );
      },
    });
  },
});
