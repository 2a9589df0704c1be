import { InfoCard } from '@backstage/core-components';
import { Typography } from '@material-ui/core';
import { EntityDeliveryState } from '@progressive-delivery/plugin-progressive-delivery-common';
import { EntityDeliveryStateGuard } from '../entity/EntityDeliveryStateGuard';
import { FluxResourceList } from '../flux/FluxResourceList';

function FluxSyncBody(props: { state: EntityDeliveryState }) {
  const clusters = props.state.clusters.filter(c => c.flux.length > 0);
  if (clusters.length === 0) {
    return (
      <Typography variant="body2">
        No Flux Kustomization, HelmRelease or source found for this entity.
      </Typography>
    );
  }
  return (
    <>
      {clusters.map(cluster => (
        <section key={cluster.cluster} aria-label={cluster.cluster}>
          <Typography variant="subtitle2" component="h3">
            {cluster.cluster}
          </Typography>
          <FluxResourceList
            entityRef={props.state.entityRef}
            label={`Flux objects in ${cluster.cluster}`}
            resources={cluster.flux}
          />
        </section>
      ))}
    </>
  );
}

/**
 * Flux sync status for the entity overview: each Kustomization, HelmRelease and source with its
 * readiness, revisions and failing health check.
 *
 * @public
 */
export function EntityFluxSyncCard() {
  return (
    <InfoCard title="Flux sync">
      <EntityDeliveryStateGuard>
        {({ state }) => <FluxSyncBody state={state} />}
      </EntityDeliveryStateGuard>
    </InfoCard>
  );
}
