import { mockApis } from '@backstage/frontend-test-utils';
import { kubernetesAuthProvidersApiRef } from '@backstage/plugin-kubernetes-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { registerMswTestHooks } from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { progressiveDeliveryApiRef } from '../../api/ProgressiveDeliveryApi';
import { ProgressiveDeliveryClient } from '../../api/ProgressiveDeliveryClient';
import { podinfoState } from '../../__fixtures__/deliveryStates';
import { aksCluster } from '../../__fixtures__/clusters';
import {
  renderCanaryPanel,
  TestApis,
} from '../../__testUtils__/renderCanaryPanel';

const baseUrl = 'http://backend.test/api/progressive-delivery';

/**
 * The approve button of podinfo's Delivery tab over the real client and a backend double: the
 * Kubernetes plugin's auth providers come from the app's APIs when it has them.
 */
describe('actions with the user’s own cluster credentials', () => {
  const server = setupServer();
  registerMswTestHooks(server);
  const authorizations: Array<string | null> = [];

  beforeEach(() => {
    authorizations.length = 0;
    server.use(
      http.get(`${baseUrl}/v1/clusters`, () =>
        HttpResponse.json({ items: [aksCluster('prod-eu-1')] }),
      ),
      http.post(`${baseUrl}/v1/clusters/*`, ({ request }) => {
        authorizations.push(
          request.headers.get('Backstage-Kubernetes-Authorization'),
        );
        return HttpResponse.json({
          action: 'approve',
          ref: { ...podinfoState().clusters[0].canaries[0].ref },
          entityRef: 'component:default/podinfo',
          message: 'Opened the gate promotion-gate',
        });
      }),
    );
  });

  async function approve(extraApis: TestApis = []) {
    const client = new ProgressiveDeliveryClient({
      discoveryApi: mockApis.discovery({ baseUrl: 'http://backend.test' }),
      fetchApi: { fetch },
    });
    await renderCanaryPanel(podinfoState({ waitingPromotion: true }), [
      [progressiveDeliveryApiRef, client],
      mockApis.permission({ authorize: AuthorizeResult.ALLOW }),
      ...extraApis,
    ]);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Approve promotion' }),
    );
    await userEvent.click(
      within(screen.getByRole('dialog')).getByRole('button', {
        name: 'Approve promotion',
      }),
    );
  }

  it("sends the token the app's Kubernetes auth providers give", async () => {
    const asked: string[] = [];
    await approve([
      [
        kubernetesAuthProvidersApiRef,
        {
          async getCredentials(provider: string) {
            asked.push(provider);
            return { token: 'user-aks-token' };
          },
          async decorateRequestBodyForAuth(_provider: string, body: any) {
            return body;
          },
        },
      ],
    ]);
    await waitFor(() =>
      expect(authorizations).toEqual(['Bearer user-aks-token']),
    );
    expect(asked).toEqual(['aks']);
  });

  it('explains which provider is missing when the app has no Kubernetes plugin', async () => {
    await approve();
    const alert = await within(screen.getByRole('dialog')).findByRole('alert');
    expect(alert).toHaveTextContent(
      'Actions on cluster prod-eu-1 run with your own cluster credentials (auth provider "aks"), but this app has no Kubernetes auth providers: add the Kubernetes frontend plugin (@backstage/plugin-kubernetes)',
    );
    expect(authorizations).toEqual([]);
  });
});
