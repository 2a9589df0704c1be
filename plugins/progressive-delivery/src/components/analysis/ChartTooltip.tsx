import { makeStyles, Paper, Typography } from '@material-ui/core';
import { AnalysisCheckEvidence } from '@progressive-delivery/plugin-progressive-delivery-common';
import { ChartRow } from '../../lib/analysisChart';
import { formatTime } from '../../lib/format';
import { formatMeasure, formatNumber } from '../../lib/measure';
import { verdictText } from '../common/styles';

const useStyles = makeStyles(theme => ({
  tooltip: {
    padding: theme.spacing(0.75, 1),
    fontSize: theme.typography.caption.fontSize,
    maxWidth: theme.spacing(36),
  },
  line: { display: 'block', fontSize: 'inherit' },
  pass: verdictText(theme, 'pass'),
  fail: verdictText(theme, 'fail'),
}));

/** What one evaluation measured: time, step (canary weight), canary and primary, verdict. */
export function ChartTooltip(props: {
  check: Pick<AnalysisCheckEvidence, 'unit'>;
  active?: boolean;
  payload?: Array<{ payload?: ChartRow }>;
}) {
  const classes = useStyles();
  const row = props.payload?.[0]?.payload;
  if (!props.active || !row) {
    return null;
  }
  const { unit } = props.check;
  const value = (v?: number) =>
    v === undefined ? '—' : formatMeasure(v, unit);
  return (
    <Paper elevation={3} className={classes.tooltip}>
      <Typography variant="caption" className={classes.line}>
        {formatTime(row.at)}
        {row.canaryWeight !== undefined &&
          ` · step ${formatNumber(row.canaryWeight)} % on the canary`}
      </Typography>
      <Typography variant="caption" className={classes.line}>
        canary {value(row.canary)}
        {row.verdict && (
          <span className={classes[row.verdict]}>
            {row.verdict === 'pass' ? ' (passes)' : ' (fails)'}
          </span>
        )}
      </Typography>
      {row.fault && (
        <Typography variant="caption" className={classes.line}>
          {row.fault}
        </Typography>
      )}
      <Typography variant="caption" className={classes.line}>
        primary {value(row.primary)}
        {row.primaryFault && ` — ${row.primaryFault}`}
      </Typography>
    </Paper>
  );
}
