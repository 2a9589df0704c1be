import { LinearProgress, makeStyles, Typography } from '@material-ui/core';
import { CanaryProgress } from '@internal/plugin-progressive-delivery-common';
import { ReactNode } from 'react';
import { formatDuration, formatTime } from '../../lib/format';
import { overline } from '../common/styles';

const useStyles = makeStyles(theme => ({
  facts: {
    display: 'grid',
    gridTemplateColumns: `repeat(auto-fill, minmax(${theme.spacing(
      22,
    )}px, 1fr))`,
    gap: theme.spacing(2),
    margin: 0,
  },
  term: overline(theme),
  value: { margin: 0, overflowWrap: 'anywhere' },
  meter: { marginTop: theme.spacing(0.5), height: 6, borderRadius: 3 },
}));

function Fact(props: { term: string; children: ReactNode }) {
  const classes = useStyles();
  return (
    <div>
      <dt className={classes.term}>{props.term}</dt>
      <dd className={classes.value}>{props.children}</dd>
    </div>
  );
}

const STRATEGY_TEXT: Record<CanaryProgress['strategy'], string> = {
  canary: 'Canary (progressive traffic shifting)',
  blueGreen: 'Blue/green (iterations, then switch)',
  abTesting: 'A/B testing (header or cookie match)',
};

/** Failed checks against the threshold, time to completion, revision, interval. */
export function CanaryFacts(props: {
  progress: CanaryProgress;
  revision?: string;
}) {
  const { progress, revision } = props;
  const classes = useStyles();
  const failedShare = Math.min(
    100,
    (progress.failedChecks / Math.max(1, progress.threshold)) * 100,
  );
  return (
    <dl className={classes.facts}>
      <Fact term="Failed checks">
        <Typography variant="body1">
          {progress.failedChecks} of {progress.threshold} allowed
        </Typography>
        <LinearProgress
          variant="determinate"
          value={failedShare}
          color={progress.failedChecks > 0 ? 'secondary' : 'primary'}
          className={classes.meter}
          aria-label="Failed checks against the rollback threshold"
          aria-valuetext={`${progress.failedChecks} failed checks; rollback at ${progress.threshold}`}
        />
      </Fact>
      <Fact term="Time to completion">
        {progress.remainingMs !== undefined ? (
          <Typography variant="body1">
            about {formatDuration(progress.remainingMs)}
            {progress.estimatedCompletionAt &&
              ` (${formatTime(progress.estimatedCompletionAt)})`}
          </Typography>
        ) : (
          <Typography variant="body1" color="textSecondary">
            {progress.activity === 'waiting' ? 'waiting — no estimate' : '—'}
          </Typography>
        )}
      </Fact>
      <Fact term="Revision under analysis">
        <Typography variant="body1">
          {progress.revision.underAnalysis
            ? revision ?? 'new revision'
            : 'none'}
        </Typography>
        {progress.revision.lastAppliedSpec && (
          <Typography variant="caption" color="textSecondary">
            spec {progress.revision.lastAppliedSpec}
            {progress.revision.lastPromotedSpec &&
              `, promoted ${progress.revision.lastPromotedSpec}`}
          </Typography>
        )}
      </Fact>
      <Fact term="Analysis">
        <Typography variant="body1">
          every {formatDuration(progress.intervalMs)}
        </Typography>
        <Typography variant="caption" color="textSecondary">
          {STRATEGY_TEXT[progress.strategy]}
          {progress.mirroring && ', with traffic mirroring'}
        </Typography>
      </Fact>
    </dl>
  );
}
