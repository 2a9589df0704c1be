import { renderInTestApp } from '@backstage/frontend-test-utils';
import { EntityDeliveryState } from '@progressive-delivery/plugin-progressive-delivery-common';
import { CanaryPanel } from '../components/canary/CanaryPanel';

/** The APIs a test app is given: `[apiRef, implementation]` pairs and mock APIs. */
export type TestApis = NonNullable<
  NonNullable<Parameters<typeof renderInTestApp>[1]>['apis']
>;

/** Renders the panel of the state's first canary (in its first cluster) over `apis`. */
export async function renderCanaryPanel(
  state: EntityDeliveryState,
  apis: TestApis,
) {
  const cluster = state.clusters[0];
  return renderInTestApp(
    <CanaryPanel
      cluster={cluster}
      canary={cluster.canaries[0]}
      entityRef={state.entityRef}
    />,
    { apis },
  );
}
