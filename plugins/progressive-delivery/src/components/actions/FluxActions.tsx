import { useApi } from '@backstage/core-plugin-api';
import {
  FluxResource,
  progressiveDeliveryFluxReconcilePermission,
  progressiveDeliveryFluxSuspendPermission,
} from '@progressive-delivery/plugin-progressive-delivery-common';
import { progressiveDeliveryApiRef } from '../../api/ProgressiveDeliveryApi';
import { useActionCallOptions } from '../../hooks/useActionCallOptions';
import { ActionButton, ActionRow } from './ActionButton';
import { observedFlux } from './outcomeUnknown';

/**
 * Reconcile (Kustomizations and HelmReleases after fetching their source), and suspend or
 * resume, one Flux object. Reconcile stays offered while suspended: the backend refuses it
 * and says to resume first, which tells more than a missing button.
 */
export function FluxActions(props: {
  resource: FluxResource;
  entityRef: string;
}) {
  const { resource, entityRef } = props;
  const api = useApi(progressiveDeliveryApiRef);
  const callOptions = useActionCallOptions();
  const { ref, readiness } = resource;
  const object = `${ref.kind} ${ref.namespace}/${ref.name}`;
  const withSource = resource.sourceRef !== undefined;
  const observed = observedFlux(resource);
  const suspend = readiness.suspended
    ? {
        label: 'Resume',
        action: 'resume' as const,
        text: `Sets spec.suspend to false in ${ref.cluster} and requests a reconciliation: Flux applies what changed while it was suspended.`,
      }
    : {
        label: 'Suspend',
        action: 'suspend' as const,
        text: `Sets spec.suspend to true in ${
          ref.cluster
        }: Flux stops reconciling it, so new revisions are not ${
          withSource ? 'applied' : 'fetched'
        } until it is resumed. What runs now stays as it is.`,
      };
  return (
    <ActionRow>
      <ActionButton
        label="Reconcile"
        permission={progressiveDeliveryFluxReconcilePermission}
        entityRef={entityRef}
        observed={observed}
        confirm={{
          title: `Reconcile ${object}?`,
          text: `Asks Flux in ${ref.cluster} to reconcile it now${
            withSource && resource.sourceRef
              ? `, after fetching its source ${resource.sourceRef.kind} ${resource.sourceRef.name}`
              : ''
          }, instead of at its next interval.`,
        }}
        run={() =>
          api.runFluxAction(
            ref,
            'reconcile',
            { entityRef, withSource },
            callOptions,
          )
        }
      />
      <ActionButton
        label={suspend.label}
        permission={progressiveDeliveryFluxSuspendPermission}
        entityRef={entityRef}
        observed={observed}
        confirm={{ title: `${suspend.label} ${object}?`, text: suspend.text }}
        run={() =>
          api.runFluxAction(ref, suspend.action, { entityRef }, callOptions)
        }
      />
    </ActionRow>
  );
}
