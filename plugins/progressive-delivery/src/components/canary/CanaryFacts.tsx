import { LinearProgress, makeStyles, Typography } from '@material-ui/core';
import { CanaryProgress } from '@progressive-delivery/plugin-progressive-delivery-common';
import { ReactNode } from 'react';
import { formatDuration, formatTime } from '../../lib/format';
import { Fact } from '../common/Fact';
import { factGrid } from '../common/styles';

const useStyles = makeStyles(theme => ({
  facts: factGrid(theme, 'auto-fill'),
  meter: { marginTop: theme.spacing(0.5), height: 6, borderRadius: 3 },
}));

/** A fact of the rollout: its own grid cell. */
function RolloutFact(props: { term: string; children: ReactNode }) {
  return (
    <div>
      <Fact term={props.term} wrap>
        {props.children}
      </Fact>
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
      <RolloutFact term="Failed checks">
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
      </RolloutFact>
      <RolloutFact term="Time to completion">
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
      </RolloutFact>
      <RolloutFact term="Revision under analysis">
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
      </RolloutFact>
      <RolloutFact term="Analysis">
        <Typography variant="body1">
          every {formatDuration(progress.intervalMs)}
        </Typography>
        <Typography variant="caption" color="textSecondary">
          {STRATEGY_TEXT[progress.strategy]}
          {progress.mirroring && ', with traffic mirroring'}
        </Typography>
      </RolloutFact>
    </dl>
  );
}
