import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MockProgressiveDeliveryApi } from '../../api/MockProgressiveDeliveryApi';
import { progressiveDeliveryApiRef } from '../../api/ProgressiveDeliveryApi';
import { paymentsState, podinfoState } from '../../__fixtures__/deliveryStates';
import { CanaryPanel } from '../canary/CanaryPanel';
import { EntityDeliveryState } from '@internal/plugin-progressive-delivery-common';

async function renderPanel(
  state: EntityDeliveryState,
  authorize:
    | AuthorizeResult.ALLOW
    | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
) {
  const api = new MockProgressiveDeliveryApi();
  const cluster = state.clusters[0];
  await renderInTestApp(
    <CanaryPanel
      cluster={cluster}
      canary={cluster.canaries[0]}
      entityRef={state.entityRef}
    />,
    {
      apis: [
        [progressiveDeliveryApiRef, api],
        mockApis.permission({ authorize }),
      ],
    },
  );
  return api;
}

const podinfoCanary = {
  cluster: 'prod-eu-1',
  kind: 'Canary',
  namespace: 'tenant-a',
  name: 'podinfo',
};

describe('actions', () => {
  it('approves the gate the canary waits at, after confirmation', async () => {
    const api = await renderPanel(podinfoState({ waitingPromotion: true }));
    await userEvent.click(
      await screen.findByRole('button', { name: 'Approve promotion' }),
    );
    const dialog = screen.getByRole('dialog');
    expect(dialog).toHaveTextContent(
      'Approve promotion of podinfo:6.7.1?Opens the gate "promotion-gate" of tenant-a/podinfo in prod-eu-1.',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Approve promotion' }),
    );
    await waitFor(() =>
      expect(api.actions).toEqual([
        {
          ref: podinfoCanary,
          action: 'approve',
          request: { entityRef: 'component:default/podinfo' },
        },
      ]),
    );
  });

  it('offers a rollback while the rollout runs, and nothing is sent on cancel', async () => {
    const api = await renderPanel(podinfoState({ canaryWeight: 10 }));
    expect(
      screen.queryByRole('button', { name: /^Approve/ }),
    ).not.toBeInTheDocument();
    await userEvent.click(
      await screen.findByRole('button', { name: 'Roll back' }),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(api.actions).toEqual([]);
  });

  it('reconciles the Kustomization with its source from the delivery chain', async () => {
    const api = await renderPanel(podinfoState());
    await userEvent.click(
      await screen.findByRole('button', { name: 'Reconcile' }),
    );
    await userEvent.click(
      within(screen.getByRole('dialog')).getByRole('button', {
        name: 'Reconcile',
      }),
    );
    await waitFor(() =>
      expect(api.actions).toEqual([
        {
          ref: {
            cluster: 'prod-eu-1',
            kind: 'Kustomization',
            namespace: 'flux-system',
            name: 'tenant-a-apps',
          },
          action: 'reconcile',
          request: { entityRef: 'component:default/podinfo', withSource: true },
        },
      ]),
    );
  });

  it('disables the actions the user may not take', async () => {
    // Permission results are cached per entity across renders: use an entity of its own.
    const state = {
      ...podinfoState({ waitingPromotion: true }),
      entityRef: 'component:default/podinfo-of-another-team',
    };
    await renderPanel(state, AuthorizeResult.DENY);
    for (const name of ['Approve promotion', 'Roll back', 'Reconcile']) {
      await waitFor(() =>
        expect(screen.getByRole('button', { name })).toBeDisabled(),
      );
    }
  });

  it('offers no canary action once the rollout is over', async () => {
    await renderPanel(paymentsState());
    await screen.findByTestId('canary-headline');
    expect(
      screen.queryByRole('button', { name: /Approve|Roll back/ }),
    ).not.toBeInTheDocument();
  });
});
