import { CompoundEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { EntityDeliveryState } from '@progressive-delivery/plugin-progressive-delivery-common';
import { useEffect, useState } from 'react';
import {
  LiveConnectionStatus,
  progressiveDeliveryApiRef,
} from '../api/ProgressiveDeliveryApi';

/** What the entity views render from. */
export interface EntityDeliveryStateResult {
  /** The newest state received; kept while reconnecting so nothing flickers. */
  state?: EntityDeliveryState;
  /** The last error, cleared by the next state. */
  error?: Error;
  status: LiveConnectionStatus;
}

/**
 * The entity's delivery state, following live updates while mounted. The first state comes
 * from the stream itself; unless the stream delivered it at once, a plain request races it so
 * a slow stream never delays the page.
 */
export function useEntityDeliveryState(
  entityRef: CompoundEntityRef,
): EntityDeliveryStateResult {
  const api = useApi(progressiveDeliveryApiRef);
  const { kind, namespace, name } = entityRef;
  const [result, setResult] = useState<EntityDeliveryStateResult>({
    status: 'connecting',
  });

  useEffect(() => {
    const ref = { kind, namespace, name };
    let active = true;
    setResult({ status: 'connecting' });
    // Responses may arrive out of order (request vs stream): keep the newest.
    let received = false;
    const accept = (state: EntityDeliveryState) => {
      if (!active) {
        return;
      }
      received = true;
      setResult(previous =>
        previous.state && previous.state.generatedAt > state.generatedAt
          ? previous
          : { ...previous, state, error: undefined },
      );
    };
    const subscription = api.subscribeToEntityDeliveryState(ref, {
      next: accept,
      error: error => {
        if (active) {
          setResult(previous => ({ ...previous, error }));
        }
      },
      status: status => {
        if (active) {
          setResult(previous => ({ ...previous, status }));
        }
      },
    });
    if (!received) {
      api.getEntityDeliveryState(ref).then(accept, (error: Error) => {
        if (active) {
          setResult(previous =>
            previous.state ? previous : { ...previous, error },
          );
        }
      });
    }
    return () => {
      active = false;
      subscription.unsubscribe();
    };
  }, [api, kind, namespace, name]);

  return result;
}
