import { act, screen, within } from '@testing-library/react';
import { MockProgressiveDeliveryApi } from '../../api/MockProgressiveDeliveryApi';
import { renderDeliveryTab as renderTab } from '../../__testUtils__/renderDeliveryTab';
import { component } from '../../__fixtures__/entities';
import {
  paymentsState,
  podinfoState,
  podinfoWithUnreachableCluster,
} from '../../__fixtures__/deliveryStates';

function firstGate() {
  const gates = screen.getByRole('list', { name: 'Gates and webhooks' });
  return within(gates).getAllByRole('listitem')[0];
}

describe('EntityProgressiveDeliveryContent', () => {
  it('leads with the headline, then the split, the steps and the analysis', async () => {
    const api = new MockProgressiveDeliveryApi({ entities: [podinfoState()] });
    await renderTab(component('podinfo'), api);

    expect(await screen.findByTestId('canary-headline')).toHaveTextContent(
      'Rolling out revision podinfo:6.7.1 — 10% of traffic on the canary, all checks passing; about 5 min to promotion',
    );
    expect(
      screen.getByRole('img', {
        name: 'Traffic split: primary 90%, canary 10%',
      }),
    ).toBeInTheDocument();
    const steps = screen.getByRole('list', {
      name: 'Rollout steps: step 3 of 6, 10%',
    });
    expect(within(steps).getAllByRole('listitem')).toHaveLength(6);
    expect(steps.querySelector('[aria-current="step"]')).toHaveTextContent(
      '10%',
    );
    expect(screen.getByText('0 of 5 allowed')).toBeInTheDocument();

    const checks = screen.getByRole('table', { name: 'Analysis checks' });
    expect(
      within(checks).getByText('request-success-rate'),
    ).toBeInTheDocument();
    expect(
      within(checks).getByText('istio-system/latency'),
    ).toBeInTheDocument();
    expect(within(checks).getByText('≤ 500')).toBeInTheDocument();

    expect(firstGate()).toHaveTextContent(
      'promotion-gate (confirm-promotion) — not waiting',
    );
    const chain = screen.getByRole('list', { name: 'Delivery chain' });
    expect(within(chain).getByText('flux-system/tenant-a')).toBeInTheDocument();
    expect(
      within(chain).getByText('https://git.example.com/tenant-a/gitops.git'),
    ).toBeInTheDocument();
    expect(
      within(chain).getByText('flux-system/tenant-a-apps'),
    ).toBeInTheDocument();
    expect(
      within(chain).getByText('primary 90% / canary 10%'),
    ).toBeInTheDocument();
    expect(
      within(chain).getByText('mTLS STRICT (namespace)'),
    ).toBeInTheDocument();

    const events = screen.getByRole('list', {
      name: 'Flagger events, newest first',
    });
    expect(within(events).getAllByRole('listitem')[0]).toHaveTextContent(
      'Advance podinfo.tenant-a canary weight 10',
    );
    expect(
      screen.getByRole('table', { name: 'VirtualService routes' }),
    ).toHaveTextContent('podinfo-canarycanary10%');
  });

  it('follows live updates in place, without replacing the view', async () => {
    const api = new MockProgressiveDeliveryApi({ entities: [podinfoState()] });
    await renderTab(component('podinfo'), api);
    const bar = await screen.findByTestId('traffic-split');
    expect(screen.getByRole('status')).toHaveTextContent('Live');

    act(() => api.setEntityState(podinfoState({ canaryWeight: 15 })));
    expect(bar).toHaveAccessibleName('Traffic split: primary 85%, canary 15%');
    expect(screen.getByTestId('traffic-split')).toBe(bar);
    expect(
      screen.getByRole('list', { name: 'Rollout steps: step 4 of 6, 15%' }),
    ).toBeInTheDocument();

    act(() => api.setEntityState(podinfoState({ waitingPromotion: true })));
    expect(screen.getByTestId('canary-headline')).toHaveTextContent(
      'Waiting for approval to promote revision podinfo:6.7.1 — 20% of traffic on the canary, all checks passing',
    );
    expect(firstGate()).toHaveTextContent(
      'promotion-gate (confirm-promotion) — waiting: open it to continue',
    );
  });

  it('ignores a state older than the one shown', async () => {
    const api = new MockProgressiveDeliveryApi({
      entities: [podinfoState({ canaryWeight: 15 })],
    });
    await renderTab(component('podinfo'), api);
    const bar = await screen.findByTestId('traffic-split');
    act(() => api.setEntityState(podinfoState({ canaryWeight: 5 })));
    expect(bar).toHaveAccessibleName('Traffic split: primary 85%, canary 15%');
  });

  it('shows a failing cluster inline and keeps the others', async () => {
    const api = new MockProgressiveDeliveryApi({
      entities: [podinfoWithUnreachableCluster()],
    });
    await renderTab(component('podinfo'), api);
    expect(
      await screen.findByText(/dev-eu-1: unreachable while list Canary/),
    ).toBeInTheDocument();
    expect(
      screen.getByText('connect ECONNREFUSED 127.0.0.1:6444'),
    ).toBeInTheDocument();
    expect(
      screen.getByTestId('canary-prod-eu-1-tenant-a/podinfo'),
    ).toBeInTheDocument();
  });

  it('shows a rolled-back canary and the failing health check of its Kustomization', async () => {
    const api = new MockProgressiveDeliveryApi({ entities: [paymentsState()] });
    await renderTab(component('payments'), api);
    expect(await screen.findByTestId('canary-headline')).toHaveTextContent(
      'Revision 8e7f6a5b4 failed analysis and was rolled back — the primary serves all traffic',
    );
    const chain = screen.getByRole('list', { name: 'Delivery chain' });
    expect(
      within(chain).getByText(
        "Health check: timeout waiting for: [Deployment/tenant-b/payments status: 'InProgress']",
      ),
    ).toBeInTheDocument();
    expect(within(chain).getByText(/Attempted/)).toHaveTextContent(
      'Attempted main@9b8c7d6 (not applied)',
    );
    expect(
      within(chain).getByText('GitRepository tenant-b not found'),
    ).toBeInTheDocument();
  });

  it('explains which annotations to add to an entity without them', async () => {
    const api = new MockProgressiveDeliveryApi();
    await renderTab(component('legacy-batch', {}), api);
    expect(await screen.findByText('Missing Annotation')).toBeInTheDocument();
    expect(
      screen.getAllByText(/backstage.io\/kubernetes-id/).length,
    ).toBeGreaterThan(0);
    expect(api.subscriberCount('component:default/legacy-batch')).toBe(0);
  });

  it('closes its subscription when unmounted', async () => {
    const api = new MockProgressiveDeliveryApi({ entities: [podinfoState()] });
    const { unmount } = await renderTab(component('podinfo'), api);
    await screen.findByTestId('canary-headline');
    expect(api.subscriberCount('component:default/podinfo')).toBe(1);
    unmount();
    expect(api.subscriberCount('component:default/podinfo')).toBe(0);
  });
});
