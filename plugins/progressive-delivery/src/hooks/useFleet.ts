import { stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import useInterval from 'react-use/esm/useInterval';
import { progressiveDeliveryApiRef } from '../api/ProgressiveDeliveryApi';
import { buildFleetRows, FleetRow } from '../lib/fleet';

/** How often the fleet list refreshes: the backend answers from memory, so this is cheap. */
export const FLEET_REFRESH_MS = 15_000;

/**
 * Every canary the user may see, with the owners of their entities, refreshed while mounted.
 * The previous rows stay on screen during a refresh.
 */
export function useFleet(): {
  rows?: FleetRow[];
  error?: Error;
  loading: boolean;
} {
  const api = useApi(progressiveDeliveryApiRef);
  const catalogApi = useApi(catalogApiRef);
  const { value, error, loading, retry } = useAsyncRetry(async () => {
    const { items } = await api.listCanaries();
    const entityRefs = [
      ...new Set(items.flatMap(item => item.entityRefs.slice(0, 1))),
    ];
    const owners = new Map<string, string>();
    if (entityRefs.length > 0) {
      const { items: entities } = await catalogApi.getEntitiesByRefs({
        entityRefs,
        fields: ['kind', 'metadata.name', 'metadata.namespace', 'spec.owner'],
      });
      for (const entity of entities) {
        const owner = entity?.spec?.owner;
        if (entity && typeof owner === 'string') {
          owners.set(stringifyEntityRef(entity), owner);
        }
      }
    }
    return buildFleetRows(items, owners);
  }, [api, catalogApi]);
  useInterval(retry, FLEET_REFRESH_MS);
  return { rows: value, error, loading };
}
