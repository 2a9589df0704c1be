import { TableCell, TableRow, Typography } from '@material-ui/core';
import { CanaryMetricCheck } from '@internal/plugin-progressive-delivery-common';
import { formatThresholdRange } from '../../lib/format';
import { DataTable } from '../common/DataTable';

const COLUMNS = ['Metric', 'Template', 'Accepted range', 'Interval'];

/** The metric checks of the analysis: name, template, accepted range, interval. */
export function AnalysisChecks(props: { metrics: CanaryMetricCheck[] }) {
  const { metrics } = props;
  if (metrics.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No metric checks: only webhooks decide whether the canary advances.
      </Typography>
    );
  }
  return (
    <DataTable label="Analysis checks" columns={COLUMNS}>
      {metrics.map(metric => (
        <TableRow key={metric.name}>
          <TableCell>{metric.name}</TableCell>
          <TableCell>
            {metric.templateRef
              ? [metric.templateRef.namespace, metric.templateRef.name]
                  .filter(Boolean)
                  .join('/')
              : 'built-in'}
          </TableCell>
          <TableCell>{formatThresholdRange(metric.thresholdRange)}</TableCell>
          <TableCell>{metric.interval ?? '—'}</TableCell>
        </TableRow>
      ))}
    </DataTable>
  );
}
