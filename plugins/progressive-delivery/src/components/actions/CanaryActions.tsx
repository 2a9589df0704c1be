import { useApi } from '@backstage/core-plugin-api';
import {
  CanaryActionName,
  CanaryGate,
  CanaryState,
  progressiveDeliveryCanaryApprovePermission,
  progressiveDeliveryCanaryRollbackPermission,
  ROLLOUT_PHASES,
} from '@progressive-delivery/plugin-progressive-delivery-common';
import { useState } from 'react';
import { progressiveDeliveryApiRef } from '../../api/ProgressiveDeliveryApi';
import { useActionCallOptions } from '../../hooks/useActionCallOptions';
import { ActionButton, ActionDone, ActionRow } from './ActionButton';
import { observedCanary } from './outcomeUnknown';

const APPROVE_LABELS: Partial<Record<CanaryGate['type'], string>> = {
  'confirm-rollout': 'Approve rollout',
  'confirm-traffic-increase': 'Approve traffic increase',
  'confirm-promotion': 'Approve promotion',
};

/** Names an approval given from here: the gate of one revision. */
const approvalKey = (canary: CanaryState, gate: CanaryGate) =>
  `${canary.progress.revision.lastAppliedSpec}/${gate.name}`;

/**
 * Whether a confirm gate of the canary is open: Flagger reported one passed in the current
 * rollout while the analysis still runs, or the user opened the one it waits at from here and
 * Flagger has not checked it yet.
 */
function openGate(
  canary: CanaryState,
  confirmGates: CanaryGate[],
  approvedHere?: string,
): CanaryGate | undefined {
  const { progress, events } = canary;
  const waiting = confirmGates.find(g => g.waiting);
  if (waiting) {
    return approvedHere === approvalKey(canary, waiting) ? waiting : undefined;
  }
  if (progress.phase !== 'Progressing') {
    return undefined;
  }
  return confirmGates.find(gate =>
    events.some(
      e => e.category === 'gatePassed' && e.message.includes(` ${gate.name} `),
    ),
  );
}

/** What halting does, for its confirmation. */
const haltText = (confirmGates: CanaryGate[], where: string) =>
  `Closes the gate${confirmGates.length > 1 ? 's' : ''} ${confirmGates
    .map(g => `"${g.name}"`)
    .join(
      ', ',
    )} of ${where} again: at its next check Flagger stops at the gate and waits for a new approval. Traffic stays where it is; nothing is rolled back.`;

/**
 * What the last action from here did to the canary's current revision. It outlives the button:
 * Flagger may pass an opened gate within a second, and the Approve button goes with the wait.
 */
function useRevisionOutcome(canary: CanaryState) {
  const revision = canary.progress.revision.lastAppliedSpec ?? '';
  const [outcome, setOutcome] = useState<{
    revision: string;
    message: string;
  }>();
  return {
    message:
      outcome && outcome.revision === revision ? outcome.message : undefined,
    report: (message: string) => setOutcome({ revision, message }),
  };
}

/** Approve the gate the canary waits at, halt at an open gate, roll back a rollout in progress. */
export function CanaryActions(props: {
  canary: CanaryState;
  entityRef: string;
  revision?: string;
}) {
  const { canary, entityRef, revision } = props;
  const api = useApi(progressiveDeliveryApiRef);
  const callOptions = useActionCallOptions();
  const [approvedHere, setApprovedHere] = useState<string>();
  const { progress, ref } = canary;
  const run = (action: CanaryActionName) => () =>
    api.runCanaryAction(ref, action, { entityRef }, callOptions);
  const where = `${ref.namespace}/${ref.name} in ${ref.cluster}`;
  const what = revision ?? 'the new revision';
  const confirmGates = progress.gates.filter(g => APPROVE_LABELS[g.type]);
  const waitingGate = confirmGates.find(g => g.waiting);
  const haltGate = openGate(canary, confirmGates, approvedHere);
  const rollbackGate = progress.gates.find(g => g.type === 'rollback');
  const rollingOut = ROLLOUT_PHASES.has(progress.phase);
  const outcome = useRevisionOutcome(canary);
  const shared = {
    entityRef,
    observed: observedCanary(canary),
    onOutcome: outcome.report,
  };

  if (
    !waitingGate &&
    !haltGate &&
    !(rollbackGate && rollingOut) &&
    !outcome.message
  ) {
    return null;
  }
  return (
    <ActionRow>
      {waitingGate && (
        <ActionButton
          primary
          label={APPROVE_LABELS[waitingGate.type]!}
          permission={progressiveDeliveryCanaryApprovePermission}
          {...shared}
          confirm={{
            title: `${APPROVE_LABELS[waitingGate.type]} of ${what}?`,
            text: `Opens the gate "${waitingGate.name}" of ${where}. ${waitingGate.description}`,
          }}
          run={run('approve')}
          onDone={() => setApprovedHere(approvalKey(canary, waitingGate))}
        />
      )}
      {haltGate && (
        <ActionButton
          label="Halt"
          permission={progressiveDeliveryCanaryRollbackPermission}
          {...shared}
          confirm={{
            title: `Halt ${what} at its gate?`,
            text: haltText(confirmGates, where),
          }}
          run={run('halt')}
          onDone={() => setApprovedHere(undefined)}
        />
      )}
      {rollbackGate && rollingOut && (
        <ActionButton
          label="Roll back"
          permission={progressiveDeliveryCanaryRollbackPermission}
          {...shared}
          confirm={{
            title: `Roll back ${what}?`,
            text: `Opens the rollback gate "${rollbackGate.name}" of ${where}: Flagger stops the analysis, routes all traffic to the primary and scales the canary down.`,
          }}
          run={run('rollback')}
        />
      )}
      {outcome.message && <ActionDone message={outcome.message} />}
    </ActionRow>
  );
}
