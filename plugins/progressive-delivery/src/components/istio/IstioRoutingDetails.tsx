import {
  Grid,
  List,
  ListItem,
  ListItemText,
  makeStyles,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import { IstioRouting } from '@internal/plugin-progressive-delivery-common';

const useStyles = makeStyles(theme => ({
  heading: { marginTop: theme.spacing(1) },
  problem: { color: theme.palette.warning.main },
  wrap: { overflowWrap: 'anywhere' },
}));

const MTLS_TEXT: Record<IstioRouting['mtlsMode'], string> = {
  STRICT: 'STRICT — only mutual TLS accepted',
  PERMISSIVE: 'PERMISSIVE — plain text and mutual TLS accepted',
  DISABLE: 'DISABLE — plain text only',
};

/** The VirtualService routes and weights, DestinationRules, mTLS mode and policies. */
export function IstioRoutingDetails(props: { routing?: IstioRouting }) {
  const { routing } = props;
  const classes = useStyles();
  if (!routing) {
    return (
      <Typography variant="body2" color="textSecondary">
        No Istio VirtualService found for this canary.
      </Typography>
    );
  }
  return (
    <Grid container spacing={2}>
      <Grid item xs={12} md={7}>
        <Typography variant="subtitle2" component="h4">
          {routing.virtualService
            ? `VirtualService ${routing.virtualService.namespace}/${routing.virtualService.name}`
            : 'VirtualService'}
        </Typography>
        {routing.virtualService && (
          <Typography variant="caption" color="textSecondary">
            hosts {routing.virtualService.hosts.join(', ') || '—'} · gateways{' '}
            {routing.virtualService.gateways.join(', ') || 'mesh'}
          </Typography>
        )}
        <Table size="small" aria-label="VirtualService routes">
          <TableHead>
            <TableRow>
              <TableCell>Route</TableCell>
              <TableCell>Destination</TableCell>
              <TableCell align="right">Weight</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {routing.routes.flatMap((route, routeIndex) =>
              route.destinations.map((destination, index) => (
                <TableRow
                  key={`${routeIndex}-${destination.host}-${
                    destination.subset ?? ''
                  }`}
                >
                  <TableCell>
                    {index === 0 &&
                      `${route.name ?? `#${routeIndex + 1}`}${
                        route.match ? ' (match)' : ' (default)'
                      }${
                        route.mirror ? `, mirror to ${route.mirror.host}` : ''
                      }`}
                  </TableCell>
                  <TableCell>
                    {destination.host}
                    {destination.subset && ` / ${destination.subset}`}
                  </TableCell>
                  <TableCell align="right">{destination.weight}%</TableCell>
                </TableRow>
              )),
            )}
          </TableBody>
        </Table>
      </Grid>
      <Grid item xs={12} md={5}>
        <Typography variant="subtitle2" component="h4">
          mTLS
        </Typography>
        <Typography variant="body2">
          {MTLS_TEXT[routing.mtlsMode]} (set at {routing.mtlsSource} level)
        </Typography>
        <Typography
          variant="subtitle2"
          component="h4"
          className={classes.heading}
        >
          DestinationRules
        </Typography>
        <Typography variant="body2">
          {routing.destinationRules.map(d => d.name).join(', ') || 'none'}
        </Typography>
        <Typography
          variant="subtitle2"
          component="h4"
          className={classes.heading}
        >
          Policies
        </Typography>
        {routing.policies.length === 0 ? (
          <Typography variant="body2">none apply to the workload</Typography>
        ) : (
          <List dense disablePadding aria-label="Istio policies">
            {routing.policies.map(policy => (
              <ListItem
                key={`${policy.kind}/${policy.namespace}/${policy.name}`}
                disableGutters
              >
                <ListItemText
                  className={classes.wrap}
                  primary={`${policy.kind} ${policy.namespace}/${policy.name}`}
                  secondary={`${policy.summary} (${policy.scope})`}
                />
              </ListItem>
            ))}
          </List>
        )}
        {routing.problems.map(problem => (
          <Typography
            key={problem.field}
            variant="body2"
            className={classes.problem}
          >
            {problem.field}: {problem.message}
          </Typography>
        ))}
      </Grid>
    </Grid>
  );
}
