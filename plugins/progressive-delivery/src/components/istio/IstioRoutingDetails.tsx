import {
  Grid,
  List,
  ListItem,
  ListItemText,
  makeStyles,
  TableCell,
  TableRow,
  Typography,
} from '@material-ui/core';
import { IstioRouting } from '@internal/plugin-progressive-delivery-common';
import { DataTable } from '../common/DataTable';
import { problemText } from '../common/styles';

const useStyles = makeStyles(theme => ({
  heading: { marginTop: theme.spacing(1) },
  problem: problemText(theme),
  wrap: { overflowWrap: 'anywhere' },
}));

const MTLS_TEXT: Record<IstioRouting['mtlsMode'], string> = {
  STRICT: 'STRICT — only mutual TLS accepted',
  PERMISSIVE: 'PERMISSIVE — plain text and mutual TLS accepted',
  DISABLE: 'DISABLE — plain text only',
};

const ROUTE_COLUMNS = [
  'Route',
  'Destination',
  { title: 'Weight', align: 'right' as const },
];

/** The route's name, whether it matches requests, and where it mirrors to. */
function routeText(route: IstioRouting['routes'][number], index: number) {
  return `${route.name ?? `#${index + 1}`}${
    route.match ? ' (match)' : ' (default)'
  }${route.mirror ? `, mirror to ${route.mirror.host}` : ''}`;
}

/** The VirtualService, its hosts and gateways, and each route's destinations and weights. */
function VirtualServiceRoutes(props: { routing: IstioRouting }) {
  const { virtualService, routes } = props.routing;
  return (
    <>
      <Typography variant="subtitle2" component="h4">
        {virtualService
          ? `VirtualService ${virtualService.namespace}/${virtualService.name}`
          : 'VirtualService'}
      </Typography>
      {virtualService && (
        <Typography variant="caption" color="textSecondary">
          hosts {virtualService.hosts.join(', ') || '—'} · gateways{' '}
          {virtualService.gateways.join(', ') || 'mesh'}
        </Typography>
      )}
      <DataTable label="VirtualService routes" columns={ROUTE_COLUMNS}>
        {routes.flatMap((route, routeIndex) =>
          route.destinations.map((destination, index) => (
            <TableRow
              key={`${routeIndex}-${destination.host}-${
                destination.subset ?? ''
              }`}
            >
              <TableCell>
                {index === 0 && routeText(route, routeIndex)}
              </TableCell>
              <TableCell>
                {destination.host}
                {destination.subset && ` / ${destination.subset}`}
              </TableCell>
              <TableCell align="right">{destination.weight}%</TableCell>
            </TableRow>
          )),
        )}
      </DataTable>
    </>
  );
}

/** A heading of the mesh column, spaced from the part above it. */
function MeshHeading(props: { children: string }) {
  const classes = useStyles();
  return (
    <Typography variant="subtitle2" component="h4" className={classes.heading}>
      {props.children}
    </Typography>
  );
}

/** The mTLS mode in force, the DestinationRules, the policies and what could not be read. */
function MeshSecurity(props: { routing: IstioRouting }) {
  const { routing } = props;
  const classes = useStyles();
  return (
    <>
      <Typography variant="subtitle2" component="h4">
        mTLS
      </Typography>
      <Typography variant="body2">
        {MTLS_TEXT[routing.mtlsMode]} (set at {routing.mtlsSource} level)
      </Typography>
      <MeshHeading>DestinationRules</MeshHeading>
      <Typography variant="body2">
        {routing.destinationRules.map(d => d.name).join(', ') || 'none'}
      </Typography>
      <MeshHeading>Policies</MeshHeading>
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
    </>
  );
}

/** The VirtualService routes and weights, DestinationRules, mTLS mode and policies. */
export function IstioRoutingDetails(props: { routing?: IstioRouting }) {
  const { routing } = props;
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
        <VirtualServiceRoutes routing={routing} />
      </Grid>
      <Grid item xs={12} md={5}>
        <MeshSecurity routing={routing} />
      </Grid>
    </Grid>
  );
}
