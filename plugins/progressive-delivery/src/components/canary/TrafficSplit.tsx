import { makeStyles, Typography } from '@material-ui/core';
import {
  CanaryProgress,
  IstioRouting,
} from '@progressive-delivery/plugin-progressive-delivery-common';
import { describeTraffic } from '../../lib/describeTraffic';
import { TrafficSplitBar } from './TrafficSplitBar';

const useStyles = makeStyles(theme => ({
  note: { marginTop: theme.spacing(1), overflowWrap: 'anywhere' },
}));

/** Names the router object the split was read from, e.g. `HTTPRoute test/podinfo`. */
function routerText(routing?: IstioRouting): string | undefined {
  const router = routing?.router;
  return router
    ? `Read from ${router.kind} ${router.namespace}/${router.name}.`
    : undefined;
}

/**
 * Where traffic goes: the bar of the weighted default route, then in words what the bar cannot
 * show (A/B conditions, mirroring, the sticky cookie) and where the numbers come from.
 */
export function TrafficSplit(props: {
  progress: CanaryProgress;
  routing?: IstioRouting;
}) {
  const { progress, routing } = props;
  const classes = useStyles();
  const reading = describeTraffic(progress, routing);
  const source =
    progress.weightSource === 'routing' ? routerText(routing) : undefined;
  return (
    <div data-testid="traffic-reading">
      {reading.mode !== 'none' && (
        <TrafficSplitBar
          primaryWeight={reading.primaryWeight}
          canaryWeight={reading.canaryWeight}
          label={reading.label}
          primaryLegend={reading.primaryLegend}
          canaryLegend={reading.canaryLegend}
        />
      )}
      {reading.notes.map(note => (
        <Typography key={note} variant="body2" className={classes.note}>
          {note}
        </Typography>
      ))}
      {source && (
        <Typography
          variant="caption"
          color="textSecondary"
          component="p"
          className={classes.note}
        >
          {source}
        </Typography>
      )}
    </div>
  );
}
