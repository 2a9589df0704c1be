import { makeStyles, Theme, Typography, useTheme } from '@material-ui/core';
import { AnalysisCheckEvidence } from '@progressive-delivery/plugin-progressive-delivery-common';
import { useMemo } from 'react';
import {
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ReferenceArea,
  ReferenceLine,
  ResponsiveContainer,
  Scatter,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import {
  axisNeedsSeconds,
  ChartRow,
  chartRows,
  clockTime,
  failedRows,
  timeDomain,
  valueAxis,
} from '../../lib/analysisChart';
import { formatMeasure, formatNumber, formatRange } from '../../lib/measure';
import { FaultText } from './CheckValue';
import { ChartTooltip } from './ChartTooltip';

/** Small enough for one per check in a grid on a laptop screen, tall enough to read. */
export const CHART_HEIGHT = 170;

const useStyles = makeStyles(theme => ({
  figure: { margin: 0, minWidth: 0 },
  caption: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'baseline',
    columnGap: theme.spacing(1),
  },
  metric: { fontWeight: theme.typography.fontWeightMedium as number },
  empty: {
    height: CHART_HEIGHT,
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'center',
    border: `1px dashed ${theme.palette.divider}`,
    borderRadius: theme.shape.borderRadius,
    padding: theme.spacing(1),
  },
}));

/** The chart's colours from the theme: readable in Backstage's light and dark themes. */
function chartColours(theme: Theme) {
  return {
    canary: theme.palette.primary.main,
    primary: theme.palette.text.secondary,
    failed: theme.palette.error.main,
    accepted: theme.palette.success.main,
    bound: theme.palette.success.dark,
    grid: theme.palette.divider,
    text: theme.palette.text.secondary,
  };
}

const TICK_FONT = { fontSize: 11 };

/** The accepted range, shaded, with a dashed line on each bound. */
function thresholdParts(
  check: AnalysisCheckEvidence,
  colours: ReturnType<typeof chartColours>,
) {
  const { min, max } = check.range;
  if (min === undefined && max === undefined) {
    return null;
  }
  return [
    <ReferenceArea
      key="accepted"
      y1={min}
      y2={max}
      fill={colours.accepted}
      fillOpacity={0.12}
      ifOverflow="hidden"
      className="accepted-range"
    />,
    ...[min, max]
      .filter((bound): bound is number => bound !== undefined)
      .map(bound => (
        <ReferenceLine
          key={`bound-${bound}`}
          y={bound}
          stroke={colours.bound}
          strokeDasharray="4 3"
        />
      )),
  ];
}

/** The chart itself: both series over time, the threshold, the failed moments. */
function CheckChart(props: {
  check: AnalysisCheckEvidence;
  rows: ChartRow[];
  failed: ChartRow[];
}) {
  const { check, rows, failed } = props;
  const colours = chartColours(useTheme());
  const tick = { ...TICK_FONT, fill: colours.text };
  const values = valueAxis(rows, check.range, check.unit);
  const times = timeDomain(rows);
  const seconds = axisNeedsSeconds(times);
  return (
    <ResponsiveContainer width="100%" height={CHART_HEIGHT}>
      <ComposedChart
        data={rows}
        margin={{ top: 6, right: 12, bottom: 0, left: 0 }}
      >
        <CartesianGrid stroke={colours.grid} vertical={false} />
        <XAxis
          dataKey="t"
          type="number"
          scale="time"
          domain={times}
          tickFormatter={(t: number) => clockTime(t, seconds)}
          tick={tick}
          minTickGap={28}
        />
        <YAxis
          domain={values.domain}
          ticks={values.ticks}
          allowDataOverflow
          tickFormatter={(v: number) => formatMeasure(v, check.unit)}
          tick={tick}
          width={check.unit === 'percent' ? 58 : 66}
        />
        {thresholdParts(check, colours)}
        <Tooltip
          content={<ChartTooltip check={check} />}
          isAnimationActive={false}
        />
        <Legend
          iconSize={10}
          wrapperStyle={{ ...TICK_FONT, color: colours.text }}
        />
        <Line
          dataKey="primary"
          name="primary"
          stroke={colours.primary}
          strokeDasharray="5 3"
          // Dots while the series is short: a rollout of one or two intervals has no line.
          dot={rows.length < 40 ? { r: 2.5, strokeDasharray: '' } : false}
          connectNulls
          isAnimationActive={false}
        />
        <Line
          dataKey="canary"
          name="canary"
          stroke={colours.canary}
          strokeWidth={2}
          dot={rows.length < 40 ? { r: 3 } : false}
          connectNulls
          isAnimationActive={false}
        />
        {/* Only with failures: a Scatter without data draws the chart's rows instead. */}
        {failed.length > 0 && (
          <Scatter
            data={failed}
            dataKey="canary"
            name="failed check"
            fill={colours.failed}
            shape="cross"
            legendType="cross"
            isAnimationActive={false}
          />
        )}
      </ComposedChart>
    </ResponsiveContainer>
  );
}

/** The check's name, range, latest values and count of failed evaluations. */
function ChartCaption(props: {
  check: AnalysisCheckEvidence;
  latest?: ChartRow;
  failedCount: number;
}) {
  const { check, latest, failedCount } = props;
  const classes = useStyles();
  return (
    <figcaption className={classes.caption}>
      <Typography variant="body2" component="span" className={classes.metric}>
        {check.metric}
      </Typography>
      <Typography variant="caption" color="textSecondary">
        accepted {formatRange(check.range, check.unit)}
        {latest?.canary !== undefined &&
          ` · now ${formatMeasure(latest.canary, check.unit)}`}
        {latest?.primary !== undefined &&
          ` vs primary ${formatMeasure(latest.primary, check.unit)}`}
        {failedCount > 0 &&
          ` · ${failedCount} failed evaluation${failedCount === 1 ? '' : 's'}`}
      </Typography>
    </figcaption>
  );
}

/**
 * One check over the rollout: the canary's and the primary's values per evaluation, the accepted
 * range shaded, the failed evaluations marked; x is time, the tooltip names the step.
 */
export function AnalysisChart(props: { check: AnalysisCheckEvidence }) {
  const { check } = props;
  const classes = useStyles();
  // Keyed on the check itself: every state from the live stream brings new objects, so a new
  // point redraws the chart (never on a count or an id, which would freeze it).
  const rows = useMemo(() => chartRows(check), [check]);
  const failed = useMemo(() => failedRows(rows), [rows]);
  const latest = rows[rows.length - 1];
  return (
    <figure
      className={classes.figure}
      aria-label={`${check.metric}: canary and primary over the rollout`}
    >
      <ChartCaption check={check} latest={latest} failedCount={failed.length} />
      {check.fault && <FaultText fault={check.fault} variant="caption" />}
      {rows.length === 0 ? (
        <div className={classes.empty}>
          <Typography variant="body2" color="textSecondary">
            No evaluation recorded yet.
          </Typography>
        </div>
      ) : (
        <CheckChart check={check} rows={rows} failed={failed} />
      )}
      <Typography variant="caption" color="textSecondary" component="p">
        Shaded: accepted range
        {latest?.canaryWeight !== undefined &&
          ` · step now ${formatNumber(latest.canaryWeight)} %`}
      </Typography>
    </figure>
  );
}
