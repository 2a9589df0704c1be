import { useApi } from '@backstage/core-plugin-api';
import {
  FluxResource,
  progressiveDeliveryFluxReconcilePermission,
} from '@internal/plugin-progressive-delivery-common';
import { progressiveDeliveryApiRef } from '../../api/ProgressiveDeliveryApi';
import { ActionButton } from './ActionButton';

/** Asks Flux to reconcile an object now; Kustomizations and HelmReleases fetch their source first. */
export function ReconcileButton(props: {
  resource: FluxResource;
  entityRef: string;
}) {
  const { resource, entityRef } = props;
  const api = useApi(progressiveDeliveryApiRef);
  const { ref } = resource;
  const withSource = resource.sourceRef !== undefined;
  return (
    <ActionButton
      label="Reconcile"
      permission={progressiveDeliveryFluxReconcilePermission}
      entityRef={entityRef}
      confirm={{
        title: `Reconcile ${ref.kind} ${ref.namespace}/${ref.name}?`,
        text: `Asks Flux in ${ref.cluster} to reconcile it now${
          withSource ? ', after fetching its source' : ''
        }, instead of at its next interval.`,
      }}
      run={() => api.runFluxAction(ref, 'reconcile', { entityRef, withSource })}
    />
  );
}
