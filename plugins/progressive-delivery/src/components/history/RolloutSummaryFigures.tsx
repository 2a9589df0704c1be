import { makeStyles, Paper, Typography } from '@material-ui/core';
import { RolloutSummary } from '@progressive-delivery/plugin-progressive-delivery-common';
import { summaryFigures } from '../../lib/history';
import { Fact } from '../common/Fact';
import { factGrid } from '../common/styles';

const useStyles = makeStyles(theme => ({
  figures: factGrid(theme, 'auto-fit'),
  figure: { padding: theme.spacing(1.5, 2) },
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
          <Fact term={figure.label}>
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
          </Fact>
        </Paper>
      ))}
    </dl>
  );
}
