import { screen, waitFor } from '@testing-library/react';
import { MockProgressiveDeliveryApi } from '../../api/MockProgressiveDeliveryApi';
import { renderDeliveryTab } from '../../__testUtils__/renderDeliveryTab';
import { component } from '../../__fixtures__/entities';
import { podinfoState } from '../../__fixtures__/deliveryStates';
import { readDeliveryDeepLink } from './useDeepLinkFocus';

describe('readDeliveryDeepLink', () => {
  it('reads the cluster, the canary and the action of a notification link', () => {
    expect(
      readDeliveryDeepLink(
        '?cluster=prod-eu-1&canary=tenant-a%2Fpodinfo&action=approve',
      ),
    ).toEqual({
      cluster: 'prod-eu-1',
      canary: 'tenant-a/podinfo',
      action: 'approve',
    });
  });

  it('ignores links without a cluster or with a malformed canary', () => {
    expect(readDeliveryDeepLink('?canary=tenant-a/podinfo')).toBeUndefined();
    expect(
      readDeliveryDeepLink('?cluster=prod-eu-1&canary=podinfo'),
    ).toBeUndefined();
    expect(readDeliveryDeepLink('')).toBeUndefined();
  });
});

describe('a link to the approve button', () => {
  it('focuses the waiting canary’s approve button once it is shown', async () => {
    const api = new MockProgressiveDeliveryApi({
      entities: [podinfoState({ waitingPromotion: true })],
    });
    await renderDeliveryTab(
      component('podinfo'),
      api,
      '/catalog/default/component/podinfo/delivery?cluster=prod-eu-1&canary=tenant-a%2Fpodinfo&action=approve',
    );
    const approve = await screen.findByRole('button', {
      name: 'Approve promotion',
    });
    await waitFor(() => expect(approve).toHaveFocus());
  });

  it('focuses nothing without the link', async () => {
    const api = new MockProgressiveDeliveryApi({
      entities: [podinfoState({ waitingPromotion: true })],
    });
    await renderDeliveryTab(component('podinfo'), api);
    const approve = await screen.findByRole('button', {
      name: 'Approve promotion',
    });
    await new Promise(resolve => setTimeout(resolve, 200));
    expect(approve).not.toHaveFocus();
  });
});
