import { InfoCard, WarningPanel } from '@backstage/core-components';
import { Grid, makeStyles, Typography } from '@material-ui/core';
import { ClusterDeliveryState } from '@progressive-delivery/plugin-progressive-delivery-common';
import { fluxOutsideChains } from '../../lib/fluxChain';
import { CanaryPanel } from '../canary/CanaryPanel';
import { clusterStateText } from '../common/status';
import { FluxResourceList } from '../flux/FluxResourceList';

const useStyles = makeStyles(theme => ({
  heading: {
    display: 'flex',
    alignItems: 'baseline',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
    marginBottom: theme.spacing(1),
  },
}));

/** One cluster: its errors inline, then each canary, then Flux objects outside any chain. */
export function ClusterSection(props: {
  cluster: ClusterDeliveryState;
  entityRef: string;
}) {
  const { cluster, entityRef } = props;
  const classes = useStyles();
  const otherFlux = fluxOutsideChains(cluster);
  return (
    <section aria-label={`Cluster ${cluster.cluster}`}>
      <div className={classes.heading}>
        <Typography variant="h5" component="h2">
          {cluster.cluster}
        </Typography>
        <Typography variant="body2" color="textSecondary">
          {clusterStateText(cluster.state)}
        </Typography>
      </div>
      <Grid container spacing={2}>
        {cluster.errors.map((error, index) => (
          <Grid item xs={12} key={`error-${index}`}>
            <WarningPanel
              severity={cluster.state === 'error' ? 'error' : 'warning'}
              title={`${cluster.cluster}: ${error.errorType
                .toLocaleLowerCase('en-US')
                .replace('_', ' ')}${
                error.kind
                  ? ` while ${error.verb ?? 'reading'} ${error.kind}`
                  : ''
              }`}
              message={error.message}
            />
          </Grid>
        ))}
        {cluster.notInstalled.length > 0 && (
          <Grid item xs={12}>
            <Typography variant="body2" color="textSecondary">
              Not installed in this cluster: {cluster.notInstalled.join(', ')}
            </Typography>
          </Grid>
        )}
        {cluster.canaries.map(canary => (
          <Grid item xs={12} key={`${canary.ref.namespace}/${canary.ref.name}`}>
            <CanaryPanel
              cluster={cluster}
              canary={canary}
              entityRef={entityRef}
            />
          </Grid>
        ))}
        {cluster.canaries.length === 0 && cluster.errors.length === 0 && (
          <Grid item xs={12}>
            <Typography variant="body2">
              No Flagger canary of this entity in {cluster.cluster}.
            </Typography>
          </Grid>
        )}
        {otherFlux.length > 0 && (
          <Grid item xs={12}>
            <InfoCard title={`Flux objects in ${cluster.cluster}`}>
              <FluxResourceList
                entityRef={entityRef}
                label={`Flux objects in ${cluster.cluster}`}
                resources={otherFlux}
              />
            </InfoCard>
          </Grid>
        )}
      </Grid>
    </section>
  );
}
