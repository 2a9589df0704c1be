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
import { EntityDeliveryState } from '@progressive-delivery/plugin-progressive-delivery-common';
import { useState } from 'react';
import { useLiveRolloutHistory } from '../../hooks/useLiveRolloutHistory';
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

/** A failed history request in words: the backend's message, not "Request failed with 500". */
function LoadError(props: { what: string; error: Error }) {
  const text = describeResponseError(props.error);
  return (
    <Alert severity="warning">
      {props.what}: {text.message}
    </Alert>
  );
}

/** The window of the summary figures, in days. */
function WindowSelect(props: {
  days: number;
  onChange: (days: number) => void;
}) {
  const classes = useStyles();
  return (
    <TextField
      select
      size="small"
      variant="outlined"
      label="Window"
      className={classes.window}
      value={props.days}
      onChange={event => props.onChange(Number(event.target.value))}
    >
      {WINDOWS.map(d => (
        <MenuItem key={d} value={d}>
          Last {d} days
        </MenuItem>
      ))}
    </TextField>
  );
}

/** The page shown, with buttons to the newer and older ones. */
function Paging(props: {
  pageIndex: number;
  older?: () => void;
  newer?: () => void;
}) {
  const { pageIndex, older, newer } = props;
  const classes = useStyles();
  return (
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
  const { history, summary, pageIndex, older, newer } = useLiveRolloutHistory(
    parseEntityRef(props.entityRef),
    { days, pageSize: PAGE_SIZE, state, catchUpDelayMs },
  );
  const records = history.value?.items;

  return (
    <section aria-label="Rollout history">
      <InfoCard
        title="Rollout history"
        subheader="Every rollout Flagger ran for this entity, kept after Kubernetes forgets its events"
        action={<WindowSelect days={days} onChange={setDays} />}
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
          <RolloutHistoryTable records={records} entityRef={props.entityRef} />
        )}
        {(older || newer) && (
          <Paging pageIndex={pageIndex} older={older} newer={newer} />
        )}
      </InfoCard>
    </section>
  );
}
