import { makeStyles, Typography } from '@material-ui/core';

const useStyles = makeStyles(theme => ({
  bar: {
    display: 'flex',
    height: theme.spacing(3),
    borderRadius: theme.shape.borderRadius,
    overflow: 'hidden',
    backgroundColor: theme.palette.action.disabledBackground,
  },
  compact: { height: theme.spacing(1.5) },
  segment: {
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'center',
    minWidth: 0,
    overflow: 'hidden',
    whiteSpace: 'nowrap',
    fontSize: theme.typography.caption.fontSize,
    fontWeight: theme.typography.fontWeightBold as number,
    // Weights change in place when a live update arrives: animate, unless motion is unwanted.
    transition: 'flex-grow 600ms ease-in-out',
    '@media (prefers-reduced-motion: reduce)': { transition: 'none' },
  },
  primary: {
    backgroundColor: theme.palette.primary.main,
    color: theme.palette.primary.contrastText,
  },
  canary: {
    backgroundColor: theme.palette.secondary.main,
    color: theme.palette.secondary.contrastText,
  },
  legend: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
    justifyContent: 'space-between',
    marginTop: theme.spacing(0.5),
  },
}));

/**
 * The share of traffic on the primary and on the canary, as a bar with a legend. `label` and
 * the legends replace the plain numbers where the split alone would mislead (A/B, mirroring).
 */
export function TrafficSplitBar(props: {
  primaryWeight: number;
  canaryWeight: number;
  mirrored?: boolean;
  compact?: boolean;
  label?: string;
  primaryLegend?: string;
  canaryLegend?: string;
}) {
  const { primaryWeight, canaryWeight, mirrored, compact } = props;
  const classes = useStyles();
  const mirrorText = mirrored ? ', traffic mirrored to the canary' : '';
  const label =
    props.label ??
    `Traffic split: primary ${primaryWeight}%, canary ${canaryWeight}%${mirrorText}`;
  return (
    <div>
      <div
        role="img"
        aria-label={label}
        data-testid="traffic-split"
        className={`${classes.bar} ${compact ? classes.compact : ''}`}
      >
        <div
          className={`${classes.segment} ${classes.primary}`}
          style={{ flexGrow: primaryWeight }}
        >
          {!compact && primaryWeight >= 15 && `${primaryWeight}%`}
        </div>
        <div
          className={`${classes.segment} ${classes.canary}`}
          style={{ flexGrow: canaryWeight }}
        >
          {!compact && canaryWeight >= 8 && `${canaryWeight}%`}
        </div>
      </div>
      {!compact && (
        <div className={classes.legend} aria-hidden>
          <Typography variant="caption">
            {props.primaryLegend ?? `Primary ${primaryWeight}%`}
          </Typography>
          <Typography variant="caption">
            {props.canaryLegend ??
              `Canary ${canaryWeight}%${mirrored ? ' + mirror' : ''}`}
          </Typography>
        </div>
      )}
    </div>
  );
}
