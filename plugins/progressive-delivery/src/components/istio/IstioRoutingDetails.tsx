import { Grid, Typography } from '@material-ui/core';
import { IstioRouting } from '@progressive-delivery/plugin-progressive-delivery-common';
import { routerIsRead } from '../../lib/describeTraffic';
import { MeshSecurity } from './MeshSecurity';
import { RouterRoutes } from './RouterRoutes';

/** The router object's routes and weights beside DestinationRules, mTLS mode and policies. */
export function IstioRoutingDetails(props: {
  routing?: IstioRouting;
  provider?: string;
}) {
  const { routing, provider } = props;
  if (!routing) {
    return (
      <Typography variant="body2" color="textSecondary">
        {!routerIsRead(provider)
          ? `Provider ${provider}: its routing objects are not read; the split comes from the canary's status.`
          : 'No VirtualService or HTTPRoute found for this canary.'}
      </Typography>
    );
  }
  return (
    <Grid container spacing={2}>
      <Grid item xs={12} md={7}>
        <RouterRoutes routing={routing} />
      </Grid>
      <Grid item xs={12} md={5}>
        <MeshSecurity routing={routing} />
      </Grid>
    </Grid>
  );
}
