import { Chip, makeStyles, Tooltip, Typography } from '@material-ui/core';
import { CanaryProgress } from '@progressive-delivery/plugin-progressive-delivery-common';
import { CanarySummaryText } from '../../lib/describeCanary';
import { ToneStatus } from '../common/status';

const useStyles = makeStyles(theme => ({
  headline: {
    fontWeight: theme.typography.fontWeightMedium as number,
    overflowWrap: 'anywhere',
  },
  meaning: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(1),
    marginTop: theme.spacing(0.5),
  },
}));

/** The sentence a service owner reads first, then the phase with its meaning in words. */
export function CanaryHeadline(props: {
  progress: CanaryProgress;
  summary: CanarySummaryText;
  variant?: 'full' | 'compact';
}) {
  const { progress, summary, variant = 'full' } = props;
  const classes = useStyles();
  return (
    <div>
      <Typography
        variant={variant === 'full' ? 'h6' : 'body1'}
        component="p"
        className={classes.headline}
        data-testid="canary-headline"
      >
        <ToneStatus tone={summary.tone}>{summary.headline}</ToneStatus>
      </Typography>
      <div className={classes.meaning}>
        <Tooltip title="Flagger phase (status.phase)">
          <Chip size="small" label={progress.phase} variant="outlined" />
        </Tooltip>
        <Typography variant="body2" color="textSecondary">
          {progress.phaseDescription}
          {summary.waitingFor && variant === 'full' && (
            <> Waiting for {summary.waitingFor}.</>
          )}
        </Typography>
      </div>
    </div>
  );
}
