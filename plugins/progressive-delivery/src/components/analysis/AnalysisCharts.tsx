import { makeStyles, Typography } from '@material-ui/core';
import { AnalysisCheckEvidence } from '@progressive-delivery/plugin-progressive-delivery-common';
import { AnalysisChart } from './AnalysisChart';

const useStyles = makeStyles(theme => ({
  // Three charts a row across a laptop screen's card, one on a narrow window.
  grid: {
    display: 'grid',
    gridTemplateColumns: `repeat(auto-fill, minmax(${theme.spacing(
      45,
    )}px, 1fr))`,
    gap: theme.spacing(2, 3),
  },
}));

/** One small chart per check, in a grid. */
export function AnalysisCharts(props: {
  checks: AnalysisCheckEvidence[];
  /** Names the group for screen readers, e.g. the rollout it belongs to. */
  label: string;
  emptyText?: string;
}) {
  const { checks, label, emptyText } = props;
  const classes = useStyles();
  if (checks.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        {emptyText ?? 'No measurements.'}
      </Typography>
    );
  }
  return (
    <div className={classes.grid} role="group" aria-label={label}>
      {checks.map(check => (
        <AnalysisChart key={check.metric} check={check} />
      ))}
    </div>
  );
}
