import { mockApis, registerMswTestHooks } from '@backstage/test-utils';
import type { KubernetesAuthProvidersApi } from '@backstage/plugin-kubernetes-react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { aksCluster, listedCluster } from '../__fixtures__/clusters';
import { ProgressiveDeliveryClient } from './ProgressiveDeliveryClient';

const baseUrl = 'http://backend.test/api/progressive-delivery';

/** Clusters as `GET /v1/clusters` reports them, with how each is signed in to. */
const clusters = [
  listedCluster('prod-eu-1'),
  aksCluster('aks-west'),
  listedCluster('oidc-east', {
    authProvider: 'oidc',
    oidcTokenProvider: 'okta',
    userDelegatedActions: true,
  }),
];

const canary = (cluster: string) => ({
  cluster,
  kind: 'Canary',
  namespace: 'tenant-a',
  name: 'podinfo',
});

/** The Kubernetes plugin's frontend auth providers, handing out one token per provider. */
function authProviders(
  tokens: Record<string, string | undefined>,
): KubernetesAuthProvidersApi & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    async getCredentials(authProvider: string) {
      asked.push(authProvider);
      if (!(authProvider in tokens)) {
        throw new Error(
          `authProvider "${authProvider}" has no KubernetesAuthProvider defined for it`,
        );
      }
      return { token: tokens[authProvider] };
    },
    async decorateRequestBodyForAuth(_provider, body) {
      return body;
    },
  };
}

describe('actions on clusters with user-delegated credentials', () => {
  const server = setupServer();
  registerMswTestHooks(server);
  const posted: Array<{ url: string; authorization: string | null }> = [];

  beforeEach(() => {
    posted.length = 0;
    server.use(
      http.get(`${baseUrl}/v1/clusters`, () =>
        HttpResponse.json({ items: clusters }),
      ),
      http.post(`${baseUrl}/v1/clusters/*`, ({ request }) => {
        posted.push({
          url: request.url.slice(baseUrl.length),
          authorization: request.headers.get(
            'Backstage-Kubernetes-Authorization',
          ),
        });
        return HttpResponse.json({
          action: 'approve',
          ref: canary('x'),
          entityRef: 'component:default/podinfo',
          message: 'done',
        });
      }),
    );
  });

  const client = () =>
    new ProgressiveDeliveryClient({
      discoveryApi: mockApis.discovery({ baseUrl: 'http://backend.test' }),
      fetchApi: { fetch },
    });

  it("sends the user's token only to clusters with user-delegated actions", async () => {
    const kubernetesAuthProviders = authProviders({
      aks: 'aks-user-token',
      'oidc.okta': 'okta-id-token',
    });
    const options = { kubernetesAuthProviders };
    await client().runCanaryAction(canary('prod-eu-1'), 'approve', {}, options);
    await client().runCanaryAction(canary('aks-west'), 'rollback', {}, options);
    await client().runFluxAction(
      {
        cluster: 'oidc-east',
        kind: 'Kustomization',
        namespace: 'flux-system',
        name: 'apps',
      },
      'reconcile',
      { withSource: true },
      options,
    );
    expect(posted).toEqual([
      {
        url: '/v1/clusters/prod-eu-1/namespaces/tenant-a/canaries/podinfo/approve',
        authorization: null,
      },
      {
        url: '/v1/clusters/aks-west/namespaces/tenant-a/canaries/podinfo/rollback',
        authorization: 'Bearer aks-user-token',
      },
      {
        url: '/v1/clusters/oidc-east/namespaces/flux-system/kustomizations/apps/reconcile',
        authorization: 'Bearer okta-id-token',
      },
    ]);
    // The server-side cluster never asks the user to sign in.
    expect(kubernetesAuthProviders.asked).toEqual(['aks', 'oidc.okta']);
  });

  it('works without the Kubernetes auth providers on clusters the backend signs in to', async () => {
    await client().runFluxAction(
      {
        cluster: 'prod-eu-1',
        kind: 'HelmRelease',
        namespace: 'flux-system',
        name: 'podinfo',
      },
      'suspend',
    );
    expect(posted).toEqual([
      {
        url: '/v1/clusters/prod-eu-1/namespaces/flux-system/helmreleases/podinfo/suspend',
        authorization: null,
      },
    ]);
  });

  it('says which provider is missing when the app has no Kubernetes auth providers', async () => {
    await expect(
      client().runCanaryAction(canary('aks-west'), 'approve'),
    ).rejects.toThrow(
      'Actions on cluster aks-west run with your own cluster credentials (auth provider "aks"), but this app has no Kubernetes auth providers: add the Kubernetes frontend plugin (@backstage/plugin-kubernetes), whose kubernetesAuthProvidersApiRef provides "aks".',
    );
    expect(posted).toEqual([]);
  });

  it('names the cluster and provider when the provider is not configured or gives no token', async () => {
    await expect(
      client().runCanaryAction(canary('oidc-east'), 'halt', undefined, {
        kubernetesAuthProviders: authProviders({ aks: 'aks-user-token' }),
      }),
    ).rejects.toThrow(
      'Could not get your credentials for cluster oidc-east from the Kubernetes auth provider "oidc.okta": authProvider "oidc.okta" has no KubernetesAuthProvider defined for it',
    );
    await expect(
      client().runCanaryAction(canary('aks-west'), 'halt', undefined, {
        kubernetesAuthProviders: authProviders({ aks: undefined }),
      }),
    ).rejects.toThrow(
      'The Kubernetes auth provider "aks" gave no token for cluster aks-west; sign in to it and try again.',
    );
    expect(posted).toEqual([]);
  });

  it('goes without a token when the cluster list cannot be read, leaving the refusal to the backend', async () => {
    server.use(
      http.get(`${baseUrl}/v1/clusters`, () =>
        HttpResponse.json(
          { error: { name: 'Error', message: 'boom' } },
          { status: 500 },
        ),
      ),
    );
    await client().runCanaryAction(
      canary('aks-west'),
      'approve',
      {},
      {
        kubernetesAuthProviders: authProviders({ aks: 'aks-user-token' }),
      },
    );
    expect(posted).toEqual([
      {
        url: '/v1/clusters/aks-west/namespaces/tenant-a/canaries/podinfo/approve',
        authorization: null,
      },
    ]);
  });
});
