import { useApi } from '@backstage/core-plugin-api';
import { makeStyles } from '@material-ui/core';
import {
  CanaryGate,
  CanaryState,
  progressiveDeliveryCanaryApprovePermission,
  progressiveDeliveryCanaryRollbackPermission,
} from '@internal/plugin-progressive-delivery-common';
import { progressiveDeliveryApiRef } from '../../api/ProgressiveDeliveryApi';
import { ActionButton } from './ActionButton';

const useStyles = makeStyles(theme => ({
  actions: { display: 'flex', flexWrap: 'wrap', gap: theme.spacing(1) },
}));

const APPROVE_LABELS: Partial<Record<CanaryGate['type'], string>> = {
  'confirm-rollout': 'Approve rollout',
  'confirm-traffic-increase': 'Approve traffic increase',
  'confirm-promotion': 'Approve promotion',
};

/** Approve the gate the canary waits at; roll back a rollout in progress. */
export function CanaryActions(props: {
  canary: CanaryState;
  entityRef: string;
  revision?: string;
}) {
  const { canary, entityRef, revision } = props;
  const api = useApi(progressiveDeliveryApiRef);
  const classes = useStyles();
  const { progress, ref } = canary;
  const where = `${ref.namespace}/${ref.name} in ${ref.cluster}`;
  const waitingGate = progress.gates.find(
    g => g.waiting && APPROVE_LABELS[g.type],
  );
  const rollbackGate = progress.gates.find(g => g.type === 'rollback');
  const rollingOut =
    progress.activity === 'active' || progress.activity === 'waiting';

  if (!waitingGate && !(rollbackGate && rollingOut)) {
    return null;
  }
  return (
    <div className={classes.actions}>
      {waitingGate && (
        <ActionButton
          primary
          label={APPROVE_LABELS[waitingGate.type]!}
          permission={progressiveDeliveryCanaryApprovePermission}
          entityRef={entityRef}
          confirm={{
            title: `${APPROVE_LABELS[waitingGate.type]} of ${
              revision ?? 'the new revision'
            }?`,
            text: `Opens the gate "${waitingGate.name}" of ${where}. ${waitingGate.description}`,
          }}
          run={() => api.runCanaryAction(ref, 'approve', { entityRef })}
        />
      )}
      {rollbackGate && rollingOut && (
        <ActionButton
          label="Roll back"
          permission={progressiveDeliveryCanaryRollbackPermission}
          entityRef={entityRef}
          confirm={{
            title: `Roll back ${revision ?? 'the new revision'}?`,
            text: `Opens the rollback gate "${rollbackGate.name}" of ${where}: Flagger stops the analysis, routes all traffic to the primary and scales the canary down.`,
          }}
          run={() => api.runCanaryAction(ref, 'rollback', { entityRef })}
        />
      )}
    </div>
  );
}
