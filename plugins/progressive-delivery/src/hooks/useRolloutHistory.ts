import { CompoundEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import {
  RolloutHistoryResponse,
  RolloutSummary,
} from '@progressive-delivery/plugin-progressive-delivery-common';
import { useCallback, useEffect, useState } from 'react';
import { progressiveDeliveryApiRef } from '../api/ProgressiveDeliveryApi';

/** A request's newest answer; the previous one stays shown while the next loads. */
interface Loaded<T> {
  value?: T;
  error?: Error;
  loading: boolean;
}

/** Fetches on every change of `deps`, keeping the last value while loading. */
function useLoaded<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [loaded, setLoaded] = useState<Loaded<T>>({ loading: true });
  useEffect(() => {
    let active = true;
    setLoaded(previous => ({ ...previous, loading: true }));
    load().then(
      value => active && setLoaded({ value, loading: false }),
      (error: Error) =>
        active &&
        setLoaded(previous => ({ ...previous, error, loading: false })),
    );
    return () => {
      active = false;
    };
    // `load` is rebuilt every render; `deps` say when it asks for something else.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  return loaded;
}

/** What the history view renders from. */
export interface RolloutHistoryResult {
  history: Loaded<RolloutHistoryResponse>;
  summary: Loaded<RolloutSummary>;
  /** 0 for the newest page. */
  pageIndex: number;
  older?: () => void;
  newer?: () => void;
}

/**
 * One page of the entity's recorded rollouts and the summary over `days`, fetched again when
 * `refreshKey` changes (the live stream saw a rollout move) rather than on a timer.
 */
export function useRolloutHistory(
  entityRef: CompoundEntityRef,
  options: { days: number; pageSize: number; refreshKey: string },
): RolloutHistoryResult {
  const api = useApi(progressiveDeliveryApiRef);
  const { kind, namespace, name } = entityRef;
  const { days, pageSize, refreshKey } = options;
  // The cursor of each page shown so far: the last is the current page's.
  const [cursors, setCursors] = useState<Array<string | undefined>>([
    undefined,
  ]);
  const entityKey = `${kind}:${namespace}/${name}`;
  const [shownFor, setShownFor] = useState(entityKey);
  if (shownFor !== entityKey) {
    setShownFor(entityKey);
    setCursors([undefined]);
  }
  const cursor = cursors[cursors.length - 1];

  const history = useLoaded(
    () =>
      api.getRolloutHistory(
        { kind, namespace, name },
        { limit: pageSize, cursor },
      ),
    [api, kind, namespace, name, pageSize, cursor, refreshKey],
  );
  const summary = useLoaded(
    () => api.getRolloutSummary({ kind, namespace, name }, { days }),
    [api, kind, namespace, name, days, refreshKey],
  );

  const nextCursor = history.value?.nextCursor;
  const older = useCallback(() => {
    if (nextCursor) {
      setCursors(previous => [...previous, nextCursor]);
    }
  }, [nextCursor]);
  const newer = useCallback(
    () => setCursors(previous => previous.slice(0, -1)),
    [],
  );

  return {
    history,
    summary,
    pageIndex: cursors.length - 1,
    older: nextCursor && !history.loading ? older : undefined,
    newer: cursors.length > 1 ? newer : undefined,
  };
}
