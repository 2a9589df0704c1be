import { Simulator } from '@internal/cluster-simulator';
import { clusterStatus } from './__testUtils__/clusterAuth';
import {
  DEV,
  SimulatorBackend,
  startDemoSimulator,
  startSimulatorBackend,
} from './__testUtils__/simulatorBackend';

// EKS-style sign-in with the Kubernetes plugin's AwsIamStrategy: the backend's AWS credentials
// (here the environment, as the default credential chain reads it) presign an STS
// GetCallerIdentity call for the cluster id; the simulator checks that signature as
// aws-iam-authenticator and STS do, and records the key's ARN as the user.
jest.setTimeout(60_000);

const KEY = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  arn: 'arn:aws:iam::111122223333:role/backstage',
};

describe('aws: server-side credentials from the AWS credential chain', () => {
  let sim: Simulator;
  let backend: SimulatorBackend | undefined;
  const saved = { ...process.env };

  beforeAll(async () => {
    sim = await startDemoSimulator();
    sim.auth.addAwsAccessKey(KEY);
    process.env.AWS_ACCESS_KEY_ID = KEY.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = KEY.secretAccessKey;
    process.env.AWS_REGION = 'eu-west-1';
  });

  afterEach(async () => {
    await backend?.stop();
    backend = undefined;
  });

  afterAll(async () => {
    process.env = saved;
    await sim?.stop();
  });

  function awsCluster(authMetadata: Record<string, string> = {}) {
    const info = sim.clusters.find(c => c.name === DEV)!;
    return {
      clusterLocatorMethods: [
        {
          type: 'config',
          clusters: [
            {
              name: DEV,
              url: info.url,
              authProvider: 'aws',
              ...(Object.keys(authMetadata).length
                ? {
                    authMetadata: {
                      'kubernetes.io/auth-provider': 'aws',
                      ...authMetadata,
                    },
                  }
                : {}),
            },
          ],
        },
      ],
    };
  }

  it('watches and acts as the role of the access key', async () => {
    backend = await startSimulatorBackend(sim, { kubernetes: awsCluster() });
    expect(await clusterStatus(backend, DEV)).toMatchObject({
      state: 'synced',
      authProvider: 'aws',
      source: 'config',
      userDelegatedActions: false,
    });
    const state = (await backend.get('/v1/entities/component/default/payments'))
      .body;
    const canary = state.clusters.find((c: any) => c.cluster === DEV)
      .canaries[0];
    expect(canary.ref).toMatchObject({
      namespace: 'tenant-b',
      name: 'payments',
    });

    sim.cluster(DEV).audit.clear();
    const owner = canary.fluxOwner;
    const suspended = await backend.post(
      `/v1/clusters/${DEV}/namespaces/${owner.namespace}/kustomizations/${owner.name}/suspend`,
    );
    expect(suspended.status).toBe(200);
    expect(
      sim.cluster(DEV).audit.writes({ resource: 'kustomizations' }),
    ).toEqual([
      expect.objectContaining({
        user: KEY.arn,
        method: 'aws',
        verb: 'patch',
        name: owner.name,
      }),
    ]);
  });

  it('a token signed for another cluster id is refused, and the error names the aws strategy', async () => {
    backend = await startSimulatorBackend(sim, {
      kubernetes: awsCluster({ 'kubernetes.io/x-k8s-aws-id': 'eks-other' }),
    });
    const status = await clusterStatus(backend, DEV);
    expect(status.state).toBe('error');
    expect(status.errors).toEqual([
      {
        errorType: 'UNAUTHORIZED',
        message: expect.stringContaining(
          `cluster ${DEV}: the API server refused the credential from the aws strategy`,
        ),
      },
    ]);
  });
});
