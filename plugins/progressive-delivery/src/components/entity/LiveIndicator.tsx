import { makeStyles, Typography } from '@material-ui/core';
import { LiveConnectionStatus } from '../../api/ProgressiveDeliveryApi';
import { formatTime } from '../../lib/format';

const useStyles = makeStyles(theme => ({
  root: { display: 'flex', alignItems: 'center', gap: theme.spacing(1) },
  dot: {
    width: 10,
    height: 10,
    borderRadius: '50%',
    backgroundColor: theme.palette.text.disabled,
  },
  live: { backgroundColor: theme.palette.success.main },
  reconnecting: { backgroundColor: theme.palette.warning.main },
  stopped: { backgroundColor: theme.palette.error.main },
}));

const TEXT: Record<LiveConnectionStatus, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  stopped: 'Live updates stopped',
};

/** Whether the view follows changes, and when its data was produced. */
export function LiveIndicator(props: {
  status: LiveConnectionStatus;
  generatedAt?: string;
}) {
  const { status, generatedAt } = props;
  const classes = useStyles();
  return (
    <div className={classes.root} role="status" aria-live="polite">
      <span
        aria-hidden
        className={`${classes.dot} ${
          status === 'live' || status === 'reconnecting' || status === 'stopped'
            ? classes[status]
            : ''
        }`}
      />
      <Typography variant="body2" color="textSecondary">
        {TEXT[status]}
        {generatedAt && ` · updated ${formatTime(generatedAt)}`}
      </Typography>
    </div>
  );
}
