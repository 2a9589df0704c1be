import { makeStyles, Paper, Typography } from '@material-ui/core';
import { RolloutSummary } from '@internal/plugin-progressive-delivery-common';
import { summaryFigures } from '../../lib/history';
import { overline } from '../common/styles';

const useStyles = makeStyles(theme => ({
  figures: {
    display: 'grid',
    gridTemplateColumns: `repeat(auto-fit, minmax(${theme.spacing(
      22,
    )}px, 1fr))`,
    gap: theme.spacing(2),
    margin: 0,
  },
  figure: { padding: theme.spacing(1.5, 2) },
  label: overline(theme),
  value: { margin: 0 },
}));

/** Rollouts, success rate, rollbacks and median time to promote over the window. */
export function RolloutSummaryFigures(props: { summary: RolloutSummary }) {
  const { summary } = props;
  const classes = useStyles();
  return (
    <dl
      className={classes.figures}
      aria-label={`Rollouts of the last ${summary.days} days`}
    >
      {summaryFigures(summary).map(figure => (
        <Paper variant="outlined" className={classes.figure} key={figure.label}>
          <dt className={classes.label}>{figure.label}</dt>
          <dd className={classes.value}>
            <Typography variant="h4" component="span">
              {figure.value}
            </Typography>
            <Typography
              variant="body2"
              color="textSecondary"
              component="span"
              display="block"
            >
              {figure.detail}
            </Typography>
          </dd>
        </Paper>
      ))}
    </dl>
  );
}
