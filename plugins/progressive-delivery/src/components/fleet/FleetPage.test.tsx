import { renderInTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MockProgressiveDeliveryApi } from '../../api/MockProgressiveDeliveryApi';
import { progressiveDeliveryApiRef } from '../../api/ProgressiveDeliveryApi';
import { fleetCanaries } from '../../__fixtures__/deliveryStates';
import { component } from '../../__fixtures__/entities';
import { ProgressiveDeliveryPage } from './FleetPage';

const entities = [
  component('podinfo'),
  component('frontend'),
  component('checkout', undefined, 'group:default/team-b'),
  component('payments', undefined, 'group:default/team-b'),
];

async function renderFleet() {
  await renderInTestApp(<ProgressiveDeliveryPage />, {
    apis: [
      [
        progressiveDeliveryApiRef,
        new MockProgressiveDeliveryApi({ canaries: fleetCanaries() }),
      ],
      catalogApiMock({ entities }),
    ],
    mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
  });
  return screen.findByText('Canaries (4 of 4)');
}

function rowNames() {
  return screen
    .getAllByRole('row')
    .slice(1)
    .map(row => within(row).getAllByRole('cell')[0].textContent);
}

describe('ProgressiveDeliveryPage', () => {
  it('lists every canary, what needs attention first, linked to the Delivery tab', async () => {
    await renderFleet();
    expect(rowNames()).toEqual(['payments', 'checkout', 'frontend', 'podinfo']);
    expect(
      screen
        .getAllByRole('link', { name: 'podinfo' })
        .map(link => link.getAttribute('href')),
    ).toEqual(['/catalog/default/component/podinfo/delivery']);
    const podinfo = screen.getAllByRole('row')[4];
    expect(podinfo).toHaveTextContent('prod-eu-1');
    expect(podinfo).toHaveTextContent('tenant-a');
    expect(podinfo).toHaveTextContent('10% canary · step 3 of 6: 10%');
    expect(
      within(podinfo).getByRole('img', {
        name: 'Traffic split: primary 90%, canary 10%',
      }),
    ).toBeInTheDocument();
    expect(await within(podinfo).findByText('team-a')).toBeInTheDocument();
  });

  it('filters by cluster and by owner', async () => {
    await renderFleet();
    await userEvent.click(
      screen.getByRole('button', { name: 'Filter by cluster' }),
    );
    await userEvent.click(screen.getByRole('option', { name: 'dev-eu-1' }));
    expect(screen.getByText('Canaries (2 of 4)')).toBeInTheDocument();
    expect(rowNames()).toEqual(['payments', 'checkout']);

    await userEvent.click(
      screen.getByRole('button', { name: 'Filter by phase' }),
    );
    await userEvent.click(screen.getByRole('option', { name: 'Progressing' }));
    expect(rowNames()).toEqual(['checkout']);

    await userEvent.click(
      screen.getByRole('button', { name: 'Filter by owner' }),
    );
    await userEvent.click(
      screen.getByRole('option', { name: 'group:default/team-a' }),
    );
    expect(screen.getByText('Canaries (0 of 4)')).toBeInTheDocument();
  });
});
