import {
  IconButton,
  makeStyles,
  TableCell,
  TableRow,
  Typography,
} from '@material-ui/core';
import KeyboardArrowDownIcon from '@material-ui/icons/KeyboardArrowDown';
import KeyboardArrowRightIcon from '@material-ui/icons/KeyboardArrowRight';
import { RolloutRecord } from '@progressive-delivery/plugin-progressive-delivery-common';
import { Fragment, useState } from 'react';
import { formatTime } from '../../lib/format';
import { actedBy, OUTCOME_TEXT, rolloutDuration } from '../../lib/history';
import { FailedCheck } from '../analysis/FailedCheck';
import { RolloutAnalysis } from '../analysis/RolloutAnalysis';
import { RecordedChanges } from '../changes/RecordedChanges';
import { EventTimeline } from '../canary/EventTimeline';
import { DataColumn, DataTable } from '../common/DataTable';
import { ToneStatus } from '../common/status';

const useStyles = makeStyles(theme => ({
  // Wide tables scroll inside the card instead of widening the page.
  scroll: { overflowX: 'auto' },
  // Nine columns: the default cell padding alone would take a third of a laptop screen.
  table: {
    '& th, & td': { padding: theme.spacing(0.75, 1) },
  },
  number: { minWidth: theme.spacing(9) },
  people: { minWidth: theme.spacing(14) },
  nowrap: { whiteSpace: 'nowrap' },
  // Long reasons wrap rather than push the last columns out of view.
  reason: { minWidth: theme.spacing(15), overflowWrap: 'anywhere' },
  timeline: { padding: theme.spacing(1, 2, 2, 7) },
}));

const BY = 'Approved or rolled back by';
const COLUMNS = [
  'Canary',
  'Revision',
  'Started',
  'Duration',
  'Outcome',
  'Highest weight',
  'Failed checks',
  'Failure reason',
  BY,
];

const NUMBERS = ['Highest weight', 'Failed checks'];

/** The check and value that failed the rollout, above Flagger's own words for it. */
function FailureReason(props: { record: RolloutRecord }) {
  const { failure, failureReason } = props.record;
  if (!failure) {
    return <>{failureReason ?? '—'}</>;
  }
  return (
    <>
      <FailedCheck failure={failure} />
      {failureReason && (
        <Typography variant="caption" color="textSecondary" display="block">
          {failureReason}
        </Typography>
      )}
    </>
  );
}

function RolloutRow(props: {
  record: RolloutRecord;
  entityRef: string;
  now: Date;
}) {
  const { record, entityRef, now } = props;
  const classes = useStyles();
  const [open, setOpen] = useState(false);
  const outcome = OUTCOME_TEXT[record.outcome];
  const name = `${record.cluster} ${record.namespace}/${record.canary}`;
  return (
    <Fragment>
      <TableRow data-testid={`rollout-${record.id}`}>
        <TableCell padding="checkbox">
          <IconButton
            size="small"
            aria-expanded={open}
            aria-label={`Analysis and events of the rollout of ${record.revision} in ${name}`}
            onClick={() => setOpen(!open)}
          >
            {open ? <KeyboardArrowDownIcon /> : <KeyboardArrowRightIcon />}
          </IconButton>
        </TableCell>
        <TableCell>
          <Typography variant="body2" className={classes.nowrap}>
            {record.namespace}/{record.canary}
          </Typography>
          <Typography variant="caption" color="textSecondary">
            {record.cluster}
          </Typography>
        </TableCell>
        <TableCell>
          <code>{record.revision}</code>
          {record.previousRevision && (
            <Typography
              variant="caption"
              color="textSecondary"
              display="block"
              className={classes.nowrap}
            >
              replaces <code>{record.previousRevision}</code>
            </Typography>
          )}
        </TableCell>
        <TableCell className={classes.nowrap}>
          {formatTime(record.startedAt, now)}
        </TableCell>
        <TableCell className={classes.nowrap}>
          {rolloutDuration(record, now)}
        </TableCell>
        <TableCell className={classes.nowrap}>
          <ToneStatus tone={outcome.tone}>{outcome.label}</ToneStatus>
        </TableCell>
        <TableCell align="right">{record.maxWeight}%</TableCell>
        <TableCell align="right">{record.failedChecks}</TableCell>
        <TableCell className={classes.reason}>
          <FailureReason record={record} />
        </TableCell>
        <TableCell>{actedBy(record) ?? '—'}</TableCell>
      </TableRow>
      {open && (
        <TableRow>
          <TableCell colSpan={COLUMNS.length + 1} className={classes.timeline}>
            <RecordedChanges record={record} />
            <RolloutAnalysis record={record} entityRef={entityRef} />
            <EventTimeline
              events={record.events}
              label={`Events of the rollout of ${record.revision} in ${name}, oldest first`}
              emptyText="No Flagger events were recorded for this rollout."
            />
          </TableCell>
        </TableRow>
      )}
    </Fragment>
  );
}

/** Recorded rollouts, newest first; each row opens its analysis charts and event timeline. */
export function RolloutHistoryTable(props: {
  records: RolloutRecord[];
  /** The entity whose history it is: a rollout's analysis is read on its routes. */
  entityRef: string;
  now?: Date;
}) {
  const { records, entityRef, now = new Date() } = props;
  const classes = useStyles();
  const columns: DataColumn[] = COLUMNS.map(title => {
    if (NUMBERS.includes(title)) {
      return { title, align: 'right', className: classes.number };
    }
    return title === BY ? { title, className: classes.people } : title;
  });
  return (
    <div className={classes.scroll}>
      <DataTable
        label="Recorded rollouts, newest first"
        columns={columns}
        buttonColumn
        className={classes.table}
      >
        {records.map(record => (
          <RolloutRow
            key={record.id}
            record={record}
            entityRef={entityRef}
            now={now}
          />
        ))}
      </DataTable>
    </div>
  );
}
