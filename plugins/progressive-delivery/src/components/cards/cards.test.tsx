import { renderInTestApp } from '@backstage/frontend-test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { screen } from '@testing-library/react';
import { MockProgressiveDeliveryApi } from '../../api/MockProgressiveDeliveryApi';
import { progressiveDeliveryApiRef } from '../../api/ProgressiveDeliveryApi';
import { component } from '../../__fixtures__/entities';
import { paymentsState, podinfoState } from '../../__fixtures__/deliveryStates';
import { EntityCanaryStatusCard } from './EntityCanaryStatusCard';
import { EntityFluxSyncCard } from './EntityFluxSyncCard';
import { Entity } from '@backstage/catalog-model';

async function renderCard(element: JSX.Element, entity: Entity) {
  const api = new MockProgressiveDeliveryApi({
    entities: [podinfoState({ waitingPromotion: true }), paymentsState()],
  });
  await renderInTestApp(
    <EntityProvider entity={entity}>{element}</EntityProvider>,
    {
      apis: [[progressiveDeliveryApiRef, api]],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    },
  );
}

describe('overview cards', () => {
  it('the canary card says what the rollout waits for and links to the tab', async () => {
    await renderCard(<EntityCanaryStatusCard />, component('podinfo'));
    expect(await screen.findByTestId('canary-headline')).toHaveTextContent(
      'Waiting for approval to promote revision podinfo:6.7.1',
    );
    expect(
      screen.getByRole('img', {
        name: 'Traffic split: primary 80%, canary 20%',
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('list', { name: 'Rollout steps: step 6 of 6, promote' }),
    ).toBeInTheDocument();
    expect(
      screen.getByText('prod-eu-1 · tenant-a/podinfo'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: /Delivery details/ }),
    ).toHaveAttribute('href', '/catalog/default/component/podinfo/delivery');
  });

  it('the Flux card shows the failing health check', async () => {
    await renderCard(<EntityFluxSyncCard />, component('payments'));
    expect(
      await screen.findByText(
        "Health check: timeout waiting for: [Deployment/tenant-b/payments status: 'InProgress']",
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Kustomization flux-system/tenant-b-apps'),
    ).toBeInTheDocument();
    expect(screen.getByText('Failed')).toBeInTheDocument();
  });

  it('both cards explain the annotations on an entity without them', async () => {
    await renderCard(
      <>
        <EntityCanaryStatusCard />
        <EntityFluxSyncCard />
      </>,
      component('legacy-batch', {}),
    );
    expect(await screen.findAllByText('Missing Annotation')).toHaveLength(2);
  });
});
