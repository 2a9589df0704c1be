import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { parseAwsAccessKey } from '../cli';
import { Simulator, startSimulator } from '../Simulator';
import { httpsRequest } from '../testUtils/httpsRequest';
import { AWS_TOKEN_PREFIX, verifyAwsIamToken } from './awsIam';

const KEY = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  arn: 'arn:aws:iam::111122223333:role/backstage',
};
const NOW = Date.UTC(2026, 11, 3, 12, 0, 0);

/** A token as `aws eks get-token --cluster-name <id>` builds it (presigned STS call). */
async function token(
  options: {
    clusterId?: string;
    secret?: string;
    at?: number;
    action?: string;
  } = {},
): Promise<string> {
  const signer = new SignatureV4({
    credentials: {
      ...KEY,
      secretAccessKey: options.secret ?? KEY.secretAccessKey,
    },
    region: 'eu-west-1',
    service: 'sts',
    sha256: Sha256,
  });
  const hostname = 'sts.eu-west-1.amazonaws.com';
  const signed = await signer.presign(
    {
      method: 'GET',
      protocol: 'https:',
      hostname,
      path: '/',
      headers: { host: hostname, 'x-k8s-aws-id': options.clusterId ?? 'eks-1' },
      query: {
        Action: options.action ?? 'GetCallerIdentity',
        Version: '2011-06-15',
      },
    },
    { expiresIn: 60, signingDate: new Date(options.at ?? NOW) },
  );
  const query = new URLSearchParams(signed.query as Record<string, string>);
  const url = `https://${hostname}/?${query}`;
  return AWS_TOKEN_PREFIX + Buffer.from(url).toString('base64url');
}

const verify = async (t: string, clusterId = 'eks-1') =>
  verifyAwsIamToken(t, { clusterId, keys: [KEY], now: NOW });

describe('verifyAwsIamToken', () => {
  it("signs in the key's caller", async () => {
    await expect(verify(await token())).resolves.toBe(KEY.arn);
  });

  it('refuses a token signed for another cluster', async () => {
    await expect(verify(await token({ clusterId: 'eks-2' }))).rejects.toThrow(
      /signature does not match/,
    );
  });

  it('refuses a wrong secret, an unknown key, an old token and other calls', async () => {
    await expect(verify(await token({ secret: 'nope' }))).rejects.toThrow(
      /signature/,
    );
    await expect(
      verifyAwsIamToken(await token(), {
        clusterId: 'eks-1',
        keys: [],
        now: NOW,
      }),
    ).rejects.toThrow(/unknown access key "AKIAIOSFODNN7EXAMPLE"/);
    await expect(
      verify(await token({ at: NOW - 16 * 60 * 1000 })),
    ).rejects.toThrow(/older than 15 minutes/);
    await expect(verify(await token({ action: 'AssumeRole' }))).rejects.toThrow(
      /not an STS GetCallerIdentity/,
    );
    await expect(verify(`${AWS_TOKEN_PREFIX}!!`)).rejects.toThrow(
      /not a base64url presigned URL|unexpected STS host/,
    );
  });
});

describe('AWS IAM sign-in of a simulated cluster', () => {
  let sim: Simulator;

  beforeAll(async () => {
    sim = await startSimulator({ scenario: 'demo', awsAccessKeys: [KEY] });
  });

  afterAll(() => sim.stop());

  const CANARIES = '/apis/flagger.app/v1beta1/canaries';

  it('accepts a token for its own name, records the ARN, and refuses one for another cluster', async () => {
    const [prod, dev] = sim.clusters;
    const now = Date.now();
    const forDev = await token({ clusterId: dev.name, at: now });
    expect((await httpsRequest(dev, CANARIES, { token: forDev })).status).toBe(
      200,
    );
    const refused = await httpsRequest(prod, CANARIES, { token: forDev });
    expect(refused.status).toBe(401);
    expect(JSON.stringify(refused.body)).toContain(
      'aws-iam-authenticator: the signature does not match',
    );
    const patch = await httpsRequest(
      dev,
      '/apis/flagger.app/v1beta1/namespaces/tenant-b/canaries/payments',
      {
        token: forDev,
        method: 'PATCH',
        contentType: 'application/merge-patch+json',
        body: { metadata: { annotations: { touched: 'yes' } } },
      },
    );
    expect(patch.status).toBe(200);
    expect(sim.cluster(dev.name).audit.writes()).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ user: KEY.arn, name: 'payments' }),
      ]),
    );
  });
});

describe('--aws-access-key', () => {
  it('reads ID:SECRET:ARN with the ARN keeping its colons', () => {
    expect(
      parseAwsAccessKey(`${KEY.accessKeyId}:${KEY.secretAccessKey}:${KEY.arn}`),
    ).toEqual(KEY);
    expect(() => parseAwsAccessKey('AKIA:secret')).toThrow(
      /must be ACCESS_KEY_ID:SECRET:ARN/,
    );
  });
});
