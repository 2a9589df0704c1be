import { EntityDeliveryState } from '@progressive-delivery/plugin-progressive-delivery-common';
import { useState } from 'react';
import { CanaryPanel } from '../components/canary/CanaryPanel';

/**
 * The Delivery tab's panel of the first canary, its state following a (simulated) live stream:
 * the "Next state" button moves to the next of `states`.
 */
export function LiveCanaryPanel(props: { states: EntityDeliveryState[] }) {
  const [index, setIndex] = useState(0);
  const state = props.states[index];
  const cluster = state.clusters[0];
  return (
    <>
      <button type="button" onClick={() => setIndex(index + 1)}>
        Next state
      </button>
      <CanaryPanel
        cluster={cluster}
        canary={cluster.canaries[0]}
        entityRef={state.entityRef}
      />
    </>
  );
}
