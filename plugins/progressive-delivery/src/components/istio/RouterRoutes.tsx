import { makeStyles, TableCell, TableRow, Typography } from '@material-ui/core';
import {
  IstioRoute,
  IstioRouting,
} from '@progressive-delivery/plugin-progressive-delivery-common';
import { DataTable } from '../common/DataTable';

const useStyles = makeStyles({
  wrap: { overflowWrap: 'anywhere' },
});

const ROUTE_COLUMNS = [
  'Route',
  'Takes',
  'Destination',
  'Role',
  { title: 'Weight', align: 'right' as const },
];

/** The route's name, protocol and what is special about it. */
function routeName(route: IstioRoute, index: number): string {
  const tags = [
    route.protocol === 'tcp' ? 'TCP' : undefined,
    route.sticky ? 'sticky session' : undefined,
    route.mirror
      ? `mirrors ${
          route.mirror.percentage !== undefined
            ? `${route.mirror.percentage}% `
            : ''
        }to ${route.mirror.host}`
      : undefined,
  ].filter(Boolean);
  return `${route.name ?? `#${index + 1}`}${
    tags.length > 0 ? ` (${tags.join(', ')})` : ''
  }`;
}

/** Which requests the route takes, in words; `alone`: no other route narrows by a match. */
function takesText(route: IstioRoute, alone: boolean): string {
  if (!route.match) {
    return alone ? 'all requests' : 'all other requests';
  }
  return route.matches.length > 0
    ? route.matches.join(' or ')
    : 'matching requests';
}

/** The router object's heading: kind, name, hosts and where it is attached. */
function RouterHeading(props: { router: IstioRouting['router'] }) {
  const { router } = props;
  if (!router) {
    return (
      <Typography variant="subtitle2" component="h4">
        No router object found
      </Typography>
    );
  }
  const isRoute = router.kind === 'HTTPRoute';
  return (
    <>
      <Typography variant="subtitle2" component="h4">
        {router.kind} {router.namespace}/{router.name}
      </Typography>
      <Typography variant="caption" color="textSecondary">
        {isRoute ? 'hostnames' : 'hosts'} {router.hosts.join(', ') || '—'} ·{' '}
        {isRoute ? 'attached to' : 'gateways'}{' '}
        {router.gateways.join(', ') || (isRoute ? '—' : 'mesh')} ·{' '}
        {router.apiVersion}
      </Typography>
    </>
  );
}

/** The router object (VirtualService or HTTPRoute) and each route's destinations and weights. */
export function RouterRoutes(props: { routing: IstioRouting }) {
  const { router, routes } = props.routing;
  const classes = useStyles();
  const alone = !routes.some(route => route.match);
  return (
    <>
      <RouterHeading router={router} />
      <DataTable
        label={`${router?.kind ?? 'Router'} routes`}
        columns={ROUTE_COLUMNS}
      >
        {routes.flatMap((route, routeIndex) =>
          route.destinations.map((destination, index) => (
            <TableRow
              key={`${routeIndex}-${destination.host}-${
                destination.subset ?? ''
              }`}
            >
              <TableCell className={classes.wrap}>
                {index === 0 && routeName(route, routeIndex)}
              </TableCell>
              <TableCell className={classes.wrap}>
                {index === 0 && takesText(route, alone)}
              </TableCell>
              <TableCell className={classes.wrap}>
                {destination.host}
                {destination.subset && ` / ${destination.subset}`}
              </TableCell>
              <TableCell>
                {destination.role === 'other' ? '—' : destination.role}
              </TableCell>
              <TableCell align="right">{destination.weight}%</TableCell>
            </TableRow>
          )),
        )}
      </DataTable>
    </>
  );
}
