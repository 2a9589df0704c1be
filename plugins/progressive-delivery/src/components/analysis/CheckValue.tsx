import { makeStyles, TableCell, Typography } from '@material-ui/core';
import CheckCircleOutline from '@material-ui/icons/CheckCircleOutline';
import ErrorOutline from '@material-ui/icons/ErrorOutline';
import ReportProblemOutlined from '@material-ui/icons/ReportProblemOutlined';
import {
  AnalysisCheckEvidence,
  AnalysisFault,
} from '@progressive-delivery/plugin-progressive-delivery-common';
import { formatMeasure, formatRange, verdictOf } from '../../lib/measure';
import { problemText, verdictText } from '../common/styles';

const useStyles = makeStyles(theme => ({
  pass: { ...verdictText(theme, 'pass'), whiteSpace: 'nowrap' },
  fail: {
    ...verdictText(theme, 'fail'),
    whiteSpace: 'nowrap',
    fontWeight: theme.typography.fontWeightMedium as number,
  },
  primary: { whiteSpace: 'nowrap' },
  // The message in the text colour (orange text is hard to read on a light theme); the icon
  // and the fault's kind say it is a problem.
  fault: { overflowWrap: 'anywhere' },
  faultKind: { fontWeight: theme.typography.fontWeightMedium as number },
  faultIcon: problemText(theme),
  // Backstage's status icons, but beside the text rather than around it: Backstage's Status
  // components hide their text from screen readers (aria-hidden), and a value must be read.
  icon: {
    fontSize: 'inherit',
    width: '1.1em',
    height: '1.1em',
    verticalAlign: '-0.2em',
    marginRight: theme.spacing(0.5),
  },
}));

/** What a fault means for the check, before its message. */
const FAULT_TEXT: Record<AnalysisFault['kind'], string> = {
  unreachable: 'Prometheus unreachable',
  forbidden: 'access to Prometheus refused',
  query: 'query rejected',
  'no-values': 'no values',
  unsupported: 'not measured here',
  'not-rendered': 'query not rendered',
};

/** A fault of one check, in the check's row only: its kind in words and the backend's message. */
export function FaultText(props: {
  fault: AnalysisFault;
  variant?: 'body2' | 'caption';
}) {
  const classes = useStyles();
  const { fault, variant = 'body2' } = props;
  return (
    <Typography variant={variant} component="span" className={classes.fault}>
      <ReportProblemOutlined
        className={`${classes.icon} ${classes.faultIcon}`}
        aria-hidden
      />
      <span className={classes.faultKind}>{FAULT_TEXT[fault.kind]}:</span>{' '}
      {fault.message}
    </Typography>
  );
}

/** The canary's latest value, coloured and marked by whether it passes the check. */
function CanaryValue(props: { check: AnalysisCheckEvidence; value: number }) {
  const { check, value } = props;
  const classes = useStyles();
  const verdict = verdictOf(value, check.range, check.latest?.verdict);
  const range = formatRange(check.range, check.unit);
  return (
    <span
      className={classes[verdict]}
      data-verdict={verdict}
      title={
        verdict === 'pass'
          ? `Within the accepted range ${range}`
          : `Outside the accepted range ${range}`
      }
    >
      {verdict === 'pass' ? (
        <CheckCircleOutline className={classes.icon} aria-hidden />
      ) : (
        <ErrorOutline className={classes.icon} aria-hidden />
      )}
      {formatMeasure(value, check.unit)}
    </span>
  );
}

/**
 * The measured cells of a check's row: the canary's latest value next to the accepted range
 * (green when it passes, red when it fails) and the primary's beside it; a fault spans both.
 */
export function CheckValueCells(props: {
  check?: AnalysisCheckEvidence;
  /** The analysis runs, but this check has no evidence yet. */
  evaluating?: boolean;
}) {
  const { check, evaluating } = props;
  const classes = useStyles();
  const fault = check?.fault ?? check?.latest?.fault;
  if (check && fault) {
    return (
      <TableCell colSpan={2}>
        <FaultText fault={fault} />
      </TableCell>
    );
  }
  const latest = check?.latest;
  if (!check || !latest || latest.canary === undefined) {
    return (
      <>
        <TableCell>
          <Typography variant="body2" color="textSecondary" component="span">
            {evaluating ? 'not measured yet' : '—'}
          </Typography>
        </TableCell>
        <TableCell>—</TableCell>
      </>
    );
  }
  return (
    <>
      <TableCell title={check.source}>
        <CanaryValue check={check} value={latest.canary} />
      </TableCell>
      <TableCell className={classes.primary}>
        {latest.primary !== undefined ? (
          formatMeasure(latest.primary, check.unit)
        ) : (
          <Typography variant="body2" color="textSecondary" component="span">
            —
          </Typography>
        )}
        {latest.primaryFault && (
          <Typography variant="caption" display="block">
            <FaultText fault={latest.primaryFault} />
          </Typography>
        )}
      </TableCell>
    </>
  );
}
