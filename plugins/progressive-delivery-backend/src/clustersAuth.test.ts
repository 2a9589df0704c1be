import { AzureIdentityStrategy } from '@backstage/plugin-kubernetes-backend';
import { Simulator } from '@internal/cluster-simulator';
import { exportJWK, generateKeyPair, KeyLike, SignJWT } from 'jose';
import {
  canaryEvent,
  clusterAuthModule,
  clusterStatus,
  eventCount,
  FakeTokenCredential,
  waitForEvents,
} from './__testUtils__/clusterAuth';
import {
  PROD,
  SimulatorBackend,
  startDemoSimulator,
  startSimulatorBackend,
} from './__testUtils__/simulatorBackend';
import { waitFor } from './__testUtils__/waitFor';

jest.setTimeout(60_000);

const ISSUER = 'https://issuer.example.com';
const CLIENT_ID = 'backstage-kubernetes';

describe('cluster credentials from the Kubernetes plugin strategies', () => {
  let sim: Simulator;
  let backend: SimulatorBackend | undefined;

  beforeAll(async () => {
    sim = await startDemoSimulator();
  });

  afterEach(async () => {
    await backend?.stop();
    backend = undefined;
  });

  afterAll(async () => {
    await sim?.stop();
  });

  /** One config cluster (the simulator's PROD) with the given auth settings. */
  function oneCluster(settings: Record<string, unknown>) {
    const info = sim.clusters.find(c => c.name === PROD)!;
    return {
      clusterLocatorMethods: [
        {
          type: 'config',
          clusters: [{ name: PROD, url: info.url, ...settings }],
        },
      ],
    };
  }

  function azure(credential: FakeTokenCredential) {
    return clusterAuthModule(logger => ({
      azure: new AzureIdentityStrategy(logger, credential as any),
    }));
  }

  it('azure: an expired token is renewed by the strategy and the watch resumes with it', async () => {
    // The simulator accepts each token for 3 s; the strategy asks for a new one after 2.5 s,
    // as it renews an Azure token 15 minutes before it expires.
    const credential = new FakeTokenCredential(sim, {
      lifetimeMs: 3000,
      strategyLifetimeMs: 2500,
    });
    backend = await startSimulatorBackend(sim, {
      kubernetes: oneCluster({ authProvider: 'azure' }),
      features: [azure(credential)],
    });
    await waitFor(
      () => clusterStatus(backend!, PROD),
      c => c.state === 'synced',
      { what: 'the first sync' },
    );
    expect(await clusterStatus(backend, PROD)).toMatchObject({
      authProvider: 'azure',
      source: 'config',
    });
    const firstIssued = credential.issued.length;
    const before = await eventCount(backend, PROD);
    // Every token issued so far has expired: the simulator refuses them all.
    await new Promise(resolve => setTimeout(resolve, 3100));
    sim.cluster(PROD).faults.dropWatches();
    sim.cluster(PROD).objects.create(canaryEvent('after-expiry'));
    await waitForEvents(backend, PROD, before + 1, 'the watch to resume');
    expect(credential.issued.length).toBeGreaterThan(firstIssued);
    expect((await clusterStatus(backend, PROD)).state).toBe('synced');
  });

  it('a credential the API server keeps refusing is a cluster error naming the cluster and the strategy', async () => {
    const credential = new FakeTokenCredential(sim, {
      lifetimeMs: 60_000,
      refused: true,
    });
    backend = await startSimulatorBackend(sim, {
      kubernetes: oneCluster({ authProvider: 'azure' }),
      features: [azure(credential)],
    });
    const status = await clusterStatus(backend, PROD);
    expect(status.state).toBe('error');
    expect(status.errors).toEqual([
      {
        errorType: 'UNAUTHORIZED',
        message: expect.stringContaining(
          `cluster ${PROD}: the API server refused the credential from the azure strategy (Workload Identity / DefaultAzureCredential) with 401 Unauthorized`,
        ),
      },
    ]);
  });

  it('a user-delegated cluster without a server-side token says what to configure', async () => {
    backend = await startSimulatorBackend(sim, {
      kubernetes: oneCluster({
        authProvider: 'oidc',
        oidcTokenProvider: 'okta',
      }),
    });
    const status = await clusterStatus(backend, PROD);
    expect(status).toMatchObject({
      state: 'error',
      authProvider: 'oidc',
      oidcTokenProvider: 'okta',
      userDelegatedActions: true,
    });
    expect(status.errors[0].message).toBe(
      `cluster ${PROD} signs in as the user via oidc (token provider okta), but the watch cache needs a server-side credential: add serviceAccountToken (a service account that may get, list and watch the watched kinds) to its entry in kubernetes.clusterLocatorMethods, or to its authMetadata`,
    );
  });

  describe('oidc: actions with the user own cluster token', () => {
    let privateKey: KeyLike;

    beforeAll(async () => {
      const pair = await generateKeyPair('RS256');
      privateKey = pair.privateKey;
      const jwk = {
        ...(await exportJWK(pair.publicKey)),
        kid: 'k1',
        alg: 'RS256',
      };
      sim.auth.setOidc({
        issuerUrl: ISSUER,
        clientId: CLIENT_ID,
        jwks: { keys: [jwk] },
      });
    });

    afterAll(() => sim.auth.setOidc(undefined));

    const idToken = (subject: string) =>
      new SignJWT({})
        .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
        .setIssuer(ISSUER)
        .setAudience(CLIENT_ID)
        .setSubject(subject)
        .setIssuedAt()
        .setExpirationTime('10m')
        .sign(privateKey);

    it('reaches the cluster as the user (the cluster records who), and without the header is refused', async () => {
      const info = sim.clusters.find(c => c.name === PROD)!;
      backend = await startSimulatorBackend(sim, {
        kubernetes: oneCluster({
          authProvider: 'oidc',
          oidcTokenProvider: 'okta',
          // The watch cache's server-side credential.
          serviceAccountToken: info.token,
        }),
      });
      expect(await clusterStatus(backend, PROD)).toMatchObject({
        state: 'synced',
        userDelegatedActions: true,
      });
      const state = (
        await backend.get('/v1/entities/component/default/podinfo')
      ).body;
      const owner = state.clusters.find((c: any) => c.cluster === PROD)
        .canaries[0].fluxOwner;
      const path = `/v1/clusters/${PROD}/namespaces/${owner.namespace}/kustomizations/${owner.name}`;

      const refused = await backend.post(`${path}/suspend`);
      expect(refused.status).toBe(401);
      expect(refused.body.error.message).toBe(
        `cluster ${PROD} signs in as the user via oidc (token provider okta), and the request carried no token (header Backstage-Kubernetes-Authorization: Bearer <token>)`,
      );

      sim.cluster(PROD).audit.clear();
      const suspended = await backend
        .post(`${path}/suspend`)
        .set(
          'Backstage-Kubernetes-Authorization',
          `Bearer ${await idToken('alice')}`,
        );
      expect(suspended.status).toBe(200);
      const writes = sim
        .cluster(PROD)
        .audit.writes({ resource: 'kustomizations' });
      expect(writes).toEqual([
        expect.objectContaining({
          user: `${ISSUER}#alice`,
          method: 'oidc',
          verb: 'patch',
          name: owner.name,
        }),
      ]);

      const resumed = await backend
        .post(`${path}/resume`)
        .set('Backstage-Kubernetes-Authorization', 'Bearer not-a-jwt');
      expect(resumed.status).toBe(403);
      expect(resumed.body.error.message).toContain(
        'with your own cluster token (signed in via oidc (token provider okta)): the token was not accepted',
      );
      await waitFor(
        () => sim.cluster(PROD).audit.writes({ resource: 'kustomizations' }),
        w => w.length === 1,
      );
    });
  });
});
