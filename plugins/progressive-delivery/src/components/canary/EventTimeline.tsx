import { makeStyles, Typography } from '@material-ui/core';
import { CanaryEvent } from '@progressive-delivery/plugin-progressive-delivery-common';
import { formatTime } from '../../lib/format';

const useStyles = makeStyles(theme => ({
  list: { listStyle: 'none', margin: 0, padding: 0 },
  item: {
    display: 'grid',
    gridTemplateColumns: `${theme.spacing(10)}px 1fr`,
    gap: theme.spacing(1),
    padding: theme.spacing(0.75, 0),
    borderLeft: `2px solid ${theme.palette.divider}`,
    paddingLeft: theme.spacing(1.5),
    position: 'relative',
    '&::before': {
      content: '""',
      position: 'absolute',
      left: -5,
      top: theme.spacing(1.25),
      width: 8,
      height: 8,
      borderRadius: '50%',
      backgroundColor: theme.palette.text.disabled,
    },
  },
  warning: { '&::before': { backgroundColor: theme.palette.warning.main } },
  error: { '&::before': { backgroundColor: theme.palette.error.main } },
  good: { '&::before': { backgroundColor: theme.palette.success.main } },
  message: { overflowWrap: 'anywhere' },
}));

const ERROR_CATEGORIES = new Set(['rollback', 'failed']);
const GOOD_CATEGORIES = new Set(['promoted', 'gatePassed', 'advance']);

/** A live canary event or a recorded rollout's event (whose category is a plain string). */
export type TimelineEvent = Omit<CanaryEvent, 'category'> & {
  category: string;
};

/** Flagger's events, by default those of the current rollout, newest first. */
export function EventTimeline(props: {
  events: TimelineEvent[];
  label?: string;
  emptyText?: string;
}) {
  const {
    events,
    label = 'Flagger events, newest first',
    emptyText = 'No Flagger events for the current rollout.',
  } = props;
  const classes = useStyles();
  if (events.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        {emptyText}
      </Typography>
    );
  }
  return (
    <ol className={classes.list} aria-label={label}>
      {events.map(event => {
        let tone = '';
        if (ERROR_CATEGORIES.has(event.category)) {
          tone = classes.error;
        } else if (event.type === 'Warning') {
          tone = classes.warning;
        } else if (GOOD_CATEGORIES.has(event.category)) {
          tone = classes.good;
        }
        return (
          <li
            key={`${event.timestamp}-${event.message}`}
            className={`${classes.item} ${tone}`}
          >
            <Typography
              variant="caption"
              color="textSecondary"
              component="time"
            >
              {formatTime(event.timestamp)}
            </Typography>
            <Typography variant="body2" className={classes.message}>
              {event.type === 'Warning' && <strong>Warning: </strong>}
              {event.message}
              {event.count > 1 && ` (×${event.count})`}
            </Typography>
          </li>
        );
      })}
    </ol>
  );
}
