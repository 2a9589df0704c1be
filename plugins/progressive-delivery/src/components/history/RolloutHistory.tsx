import { parseEntityRef } from '@backstage/catalog-model';
import { InfoCard } from '@backstage/core-components';
import {
  Button,
  LinearProgress,
  makeStyles,
  MenuItem,
  TextField,
  Typography,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { EntityDeliveryState } from '@internal/plugin-progressive-delivery-common';
import { useEffect, useState } from 'react';
import { useRolloutHistory } from '../../hooks/useRolloutHistory';
import { historyBehindLive, historyRefreshKey } from '../../lib/history';
import { describeResponseError } from '../../lib/responseError';
import { RolloutHistoryTable } from './RolloutHistoryTable';
import { RolloutSummaryFigures } from './RolloutSummaryFigures';

const useStyles = makeStyles(theme => ({
  window: { minWidth: theme.spacing(16) },
  part: { marginBottom: theme.spacing(2) },
  paging: {
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'flex-end',
    gap: theme.spacing(1),
    marginTop: theme.spacing(1),
  },
  // Keeps the layout still while a refresh runs.
  loading: { height: 4 },
}));

const WINDOWS = [7, 30, 90, 365];
const PAGE_SIZE = 10;
/** How often to ask again while the history lags behind the live state, after one change. */
const CATCH_UP_ATTEMPTS = 5;

/** A failed history request in words: the backend's message, not "Request failed with 500". */
function LoadError(props: { what: string; error: Error }) {
  const text = describeResponseError(props.error);
  return (
    <Alert severity="warning">
      {props.what}: {text.message}
    </Alert>
  );
}

/**
 * The entity's recorded rollouts with the summary figures over a chosen window. It loads again
 * when the live state shows a rollout start, move or end, and, while the newest page still lags
 * behind the live state (the recorder writes a moment later), a few times more.
 */
export function RolloutHistory(props: {
  entityRef: string;
  /** The entity's live delivery state. */
  state?: EntityDeliveryState;
  /** Milliseconds between catch-up requests. */
  catchUpDelayMs?: number;
}) {
  const { state, catchUpDelayMs = 3_000 } = props;
  const classes = useStyles();
  const [days, setDays] = useState(30);
  const entityRef = parseEntityRef(props.entityRef);
  const liveKey = historyRefreshKey(state);
  const [catchUp, setCatchUp] = useState({ key: liveKey, attempt: 0 });
  if (catchUp.key !== liveKey) {
    setCatchUp({ key: liveKey, attempt: 0 });
  }
  const { history, summary, pageIndex, older, newer } = useRolloutHistory(
    entityRef,
    {
      days,
      pageSize: PAGE_SIZE,
      refreshKey: `${liveKey}#${catchUp.attempt}`,
    },
  );
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
  const records = history.value?.items;

  return (
    <section aria-label="Rollout history">
      <InfoCard
        title="Rollout history"
        subheader="Every rollout Flagger ran for this entity, kept after Kubernetes forgets its events"
        action={
          <TextField
            select
            size="small"
            variant="outlined"
            label="Window"
            className={classes.window}
            value={days}
            onChange={event => setDays(Number(event.target.value))}
          >
            {WINDOWS.map(d => (
              <MenuItem key={d} value={d}>
                Last {d} days
              </MenuItem>
            ))}
          </TextField>
        }
      >
        <div className={classes.loading}>
          {(history.loading || summary.loading) && (
            <LinearProgress aria-label="Loading the rollout history" />
          )}
        </div>
        <div className={classes.part}>
          {summary.error && !summary.value && (
            <LoadError
              what="The summary cannot be loaded"
              error={summary.error}
            />
          )}
          {summary.value && <RolloutSummaryFigures summary={summary.value} />}
        </div>
        {history.error && (
          <LoadError
            what="The history cannot be loaded"
            error={history.error}
          />
        )}
        {records && records.length === 0 && pageIndex === 0 && (
          <Typography variant="body2" color="textSecondary">
            No rollout recorded yet. Each new revision Flagger analyses is
            recorded here from its start to its promotion or rollback.
          </Typography>
        )}
        {records && records.length > 0 && (
          <RolloutHistoryTable records={records} />
        )}
        {(older || newer) && (
          <nav className={classes.paging} aria-label="Rollout history pages">
            <Typography variant="body2" color="textSecondary">
              Page {pageIndex + 1}
            </Typography>
            <Button size="small" disabled={!newer} onClick={newer}>
              Newer
            </Button>
            <Button size="small" disabled={!older} onClick={older}>
              Older
            </Button>
          </nav>
        )}
      </InfoCard>
    </section>
  );
}
