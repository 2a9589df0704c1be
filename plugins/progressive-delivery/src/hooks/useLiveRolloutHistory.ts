import { CompoundEntityRef } from '@backstage/catalog-model';
import { EntityDeliveryState } from '@progressive-delivery/plugin-progressive-delivery-common';
import { useEffect, useState } from 'react';
import { historyBehindLive, historyRefreshKey } from '../lib/history';
import { RolloutHistoryResult, useRolloutHistory } from './useRolloutHistory';

/** How often to ask again while the history lags behind the live state, after one change. */
const CATCH_UP_ATTEMPTS = 5;

/**
 * The rollout history, loaded again when the live state shows a rollout start, move or end,
 * and, while the newest page still lags behind the live state (the recorder writes a moment
 * later), a few times more, `catchUpDelayMs` apart.
 */
export function useLiveRolloutHistory(
  entityRef: CompoundEntityRef,
  options: {
    days: number;
    pageSize: number;
    state?: EntityDeliveryState;
    catchUpDelayMs: number;
  },
): RolloutHistoryResult {
  const { days, pageSize, state, catchUpDelayMs } = options;
  const liveKey = historyRefreshKey(state);
  const [catchUp, setCatchUp] = useState({ key: liveKey, attempt: 0 });
  if (catchUp.key !== liveKey) {
    setCatchUp({ key: liveKey, attempt: 0 });
  }
  const result = useRolloutHistory(entityRef, {
    days,
    pageSize,
    refreshKey: `${liveKey}#${catchUp.attempt}`,
  });
  const { history, pageIndex } = result;
  const behind =
    pageIndex === 0 &&
    !history.loading &&
    !history.error &&
    history.value !== undefined &&
    catchUp.attempt < CATCH_UP_ATTEMPTS &&
    historyBehindLive(history.value.items, state);
  useEffect(() => {
    if (!behind) {
      return undefined;
    }
    const timer = setTimeout(
      () => setCatchUp(c => ({ ...c, attempt: c.attempt + 1 })),
      catchUpDelayMs,
    );
    return () => clearTimeout(timer);
  }, [behind, catchUpDelayMs]);
  return result;
}
