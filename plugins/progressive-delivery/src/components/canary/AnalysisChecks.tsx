import { makeStyles, TableCell, TableRow, Typography } from '@material-ui/core';
import {
  CanaryAnalysisEvidence,
  CanaryMetricCheck,
} from '@progressive-delivery/plugin-progressive-delivery-common';
import { evidenceFor } from '../../lib/analysisChart';
import { formatThresholdRange } from '../../lib/format';
import { formatRange } from '../../lib/measure';
import { CheckValueCells } from '../analysis/CheckValue';
import { DataTable } from '../common/DataTable';
import { problemText } from '../common/styles';

const useStyles = makeStyles(theme => ({
  missing: problemText(theme),
  metric: { whiteSpace: 'nowrap' },
  summary: {
    cursor: 'pointer',
    color: theme.palette.text.secondary,
    fontSize: theme.typography.caption.fontSize,
  },
  query: {
    margin: theme.spacing(0.5, 0, 0),
    padding: theme.spacing(0.5, 1),
    maxHeight: theme.spacing(16),
    overflow: 'auto',
    whiteSpace: 'pre-wrap',
    overflowWrap: 'anywhere',
    fontFamily: 'monospace',
    fontSize: theme.typography.caption.fontSize,
    backgroundColor: theme.palette.action.hover,
    borderRadius: theme.shape.borderRadius,
  },
  nowrap: { whiteSpace: 'nowrap' },
}));

/** The columns; with measured values, the canary's next to the range, the primary's beside it. */
function columns(measured: boolean, nowrap: string) {
  const interval = { title: 'Interval', className: nowrap };
  return measured
    ? [
        'Metric',
        'Template',
        'Accepted range',
        'Canary now',
        'Primary now',
        interval,
      ]
    : ['Metric', 'Template', 'Accepted range', interval];
}

/** The MetricTemplate a check uses: its provider and query, or that it does not exist. */
function TemplateCell(props: { metric: CanaryMetricCheck }) {
  const { templateRef, template } = props.metric;
  const classes = useStyles();
  if (!templateRef) {
    return <TableCell>built-in</TableCell>;
  }
  const name = [templateRef.namespace, templateRef.name]
    .filter(Boolean)
    .join('/');
  if (template && !template.found) {
    return (
      <TableCell>
        <span>{name}</span>
        <Typography variant="body2" className={classes.missing}>
          template not found: Flagger cannot run this check
        </Typography>
      </TableCell>
    );
  }
  return (
    <TableCell>
      <span>{name}</span>
      {template?.provider && (
        <Typography variant="caption" color="textSecondary" component="p">
          {template.provider}
          {template.address && ` · ${template.address}`}
        </Typography>
      )}
      {template?.query && (
        // Queries run to dozens of lines: folded, so the table stays readable.
        <details>
          <summary className={classes.summary}>query</summary>
          <pre className={classes.query} aria-label={`Query of ${name}`}>
            {template.query.trim()}
          </pre>
        </details>
      )}
    </TableCell>
  );
}

/**
 * The metric checks of the analysis: name, template (provider, query), accepted range, and,
 * when the backend measures them, the canary's and the primary's latest values; interval.
 */
export function AnalysisChecks(props: {
  metrics: CanaryMetricCheck[];
  analysis?: CanaryAnalysisEvidence;
}) {
  const { metrics, analysis } = props;
  const classes = useStyles();
  if (metrics.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No metric checks: only webhooks decide whether the canary advances.
      </Typography>
    );
  }
  return (
    <DataTable
      label="Analysis checks"
      columns={columns(Boolean(analysis), classes.nowrap)}
    >
      {metrics.map(metric => {
        const check = evidenceFor(metric, analysis?.checks);
        return (
          <TableRow key={metric.name}>
            <TableCell className={classes.metric}>{metric.name}</TableCell>
            <TemplateCell metric={metric} />
            <TableCell className={classes.metric}>
              {check
                ? formatRange(check.range, check.unit)
                : formatThresholdRange(metric.thresholdRange)}
            </TableCell>
            {analysis && (
              <CheckValueCells check={check} evaluating={analysis.evaluating} />
            )}
            <TableCell>{metric.interval ?? '—'}</TableCell>
          </TableRow>
        );
      })}
    </DataTable>
  );
}
