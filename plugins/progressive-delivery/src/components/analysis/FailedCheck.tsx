import { makeStyles, Typography } from '@material-ui/core';
import { RolloutFailure } from '@progressive-delivery/plugin-progressive-delivery-common';
import { describeFailure } from '../../lib/describeFailure';
import { verdictText } from '../common/styles';

const useStyles = makeStyles(theme => ({
  failure: {
    ...verdictText(theme, 'fail'),
    fontWeight: theme.typography.fontWeightMedium as number,
    overflowWrap: 'anywhere',
  },
}));

/** The check and value that failed a rollout: "rolled back at 20 %: request-success-rate 97.1 % < 99.5 %". */
export function FailedCheck(props: {
  failure: RolloutFailure;
  variant?: 'body1' | 'body2';
}) {
  const classes = useStyles();
  return (
    <Typography
      variant={props.variant ?? 'body2'}
      className={classes.failure}
      data-testid="failed-check"
    >
      {describeFailure(props.failure)}
    </Typography>
  );
}
