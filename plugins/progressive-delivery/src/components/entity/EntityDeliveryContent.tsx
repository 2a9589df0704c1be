import { EmptyState } from '@backstage/core-components';
import { Grid, makeStyles } from '@material-ui/core';
import { EntityDeliveryState } from '@progressive-delivery/plugin-progressive-delivery-common';
import { LiveConnectionStatus } from '../../api/ProgressiveDeliveryApi';
import { RolloutHistory } from '../history/RolloutHistory';
import { ClusterSection } from './ClusterSection';
import { EntityDeliveryStateGuard } from './EntityDeliveryStateGuard';
import { LiveIndicator } from './LiveIndicator';
import { useDeepLinkFocus } from './useDeepLinkFocus';

const useStyles = makeStyles(theme => ({
  bar: {
    display: 'flex',
    justifyContent: 'flex-end',
    marginBottom: theme.spacing(1),
  },
}));

function DeliveryStateView(props: {
  state: EntityDeliveryState;
  status: LiveConnectionStatus;
}) {
  const { state, status } = props;
  const classes = useStyles();
  useDeepLinkFocus(state.generatedAt);
  return (
    <div>
      <div className={classes.bar}>
        <LiveIndicator status={status} generatedAt={state.generatedAt} />
      </div>
      <Grid container spacing={4}>
        {state.explanation && (
          <Grid item xs={12}>
            <EmptyState
              missing="data"
              title={
                state.explanation.reason === 'noObjects'
                  ? 'No cluster objects found for this entity'
                  : 'The annotations cannot be read'
              }
              description={`${
                state.explanation.message
              } Annotations: ${state.explanation.annotations.join(', ')}.`}
            />
          </Grid>
        )}
        {state.clusters.map(cluster => (
          <Grid item xs={12} key={cluster.cluster}>
            <ClusterSection cluster={cluster} entityRef={state.entityRef} />
          </Grid>
        ))}
        <Grid item xs={12}>
          <RolloutHistory entityRef={state.entityRef} state={state} />
        </Grid>
      </Grid>
    </div>
  );
}

/**
 * The entity's Delivery tab: canaries live, the Flux chain and Istio routing, per cluster, and
 * the recorded rollout history.
 *
 * @public
 */
export function EntityProgressiveDeliveryContent() {
  return (
    <EntityDeliveryStateGuard>
      {({ state, status }) => (
        <DeliveryStateView state={state} status={status} />
      )}
    </EntityDeliveryStateGuard>
  );
}
