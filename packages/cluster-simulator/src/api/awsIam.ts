import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';

/**
 * EKS sign-in as aws-iam-authenticator does it, with STS played by this double.
 *
 * A client (the Kubernetes plugin's AwsIamStrategy, `aws eks get-token`) presigns an STS
 * `GetCallerIdentity` GET with the header `x-k8s-aws-id: <cluster id>` and sends
 * `k8s-aws-v1.<base64url of the presigned URL>` as its bearer token. aws-iam-authenticator checks
 * the URL's form (host `sts[.<region>].amazonaws.com`, path `/`, action, signed `x-k8s-aws-id`,
 * date within 15 minutes) and lets STS check the signature; here the signature is recomputed
 * with the secret of the access key the test registered. The caller's ARN is the user name.
 * Facts from kubernetes-sigs/aws-iam-authenticator pkg/token/token.go at
 * 0221afb8e2a5d14a20a93473edc4c2aa7676ce95 (Verify, `v1Prefix`, `maxTokenLenBytes` = 4 KiB,
 * `presignedURLExpiration` = 15 minutes after X-Amz-Date, `clusterIDHeader`).
 */
export interface AwsAccessKey {
  accessKeyId: string;
  secretAccessKey: string;
  /** The caller's ARN, e.g. `arn:aws:iam::111122223333:role/backstage`. */
  arn: string;
}

export const AWS_TOKEN_PREFIX = 'k8s-aws-v1.';
const MAX_AGE_MS = 15 * 60 * 1000;
const MAX_TOKEN_BYTES = 4 * 1024;
const HOST = /^sts(\.[a-z0-9-]+)?\.amazonaws\.com$/;

export class AwsIamTokenError extends Error {}

function parseAmzDate(value: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) throw new AwsIamTokenError(`X-Amz-Date "${value}" is malformed`);
  const [, y, mo, d, h, mi, s] = m.map(Number);
  return Date.UTC(y, mo - 1, d, h, mi, s);
}

function presignedUrl(token: string): URL {
  if (token.length > MAX_TOKEN_BYTES) {
    throw new AwsIamTokenError('the token is too large');
  }
  let url: URL;
  try {
    url = new URL(
      Buffer.from(token.slice(AWS_TOKEN_PREFIX.length), 'base64url').toString(),
    );
  } catch {
    throw new AwsIamTokenError('the token is not a base64url presigned URL');
  }
  if (url.protocol !== 'https:' || !HOST.test(url.hostname)) {
    throw new AwsIamTokenError(`unexpected STS host "${url.hostname}"`);
  }
  const params = url.searchParams;
  if (
    url.pathname !== '/' ||
    params.get('Action') !== 'GetCallerIdentity' ||
    params.get('Version') !== '2011-06-15'
  ) {
    throw new AwsIamTokenError('the URL is not an STS GetCallerIdentity call');
  }
  const signed = (params.get('X-Amz-SignedHeaders') ?? '').split(';');
  if (!signed.includes('x-k8s-aws-id')) {
    throw new AwsIamTokenError('x-k8s-aws-id is not a signed header');
  }
  return url;
}

/** The ARN of the caller a `k8s-aws-v1.` token signs in, or an {@link AwsIamTokenError}. */
export async function verifyAwsIamToken(
  token: string,
  options: { clusterId: string; keys: AwsAccessKey[]; now?: number },
): Promise<string> {
  const url = presignedUrl(token);
  const params = url.searchParams;
  const [accessKeyId, , region, service] = (
    params.get('X-Amz-Credential') ?? ''
  ).split('/');
  const key = options.keys.find(k => k.accessKeyId === accessKeyId);
  if (!key) throw new AwsIamTokenError(`unknown access key "${accessKeyId}"`);
  const signedAt = parseAmzDate(params.get('X-Amz-Date') ?? '');
  if (Math.abs((options.now ?? Date.now()) - signedAt) > MAX_AGE_MS) {
    throw new AwsIamTokenError('the token is older than 15 minutes');
  }
  const query: Record<string, string> = {};
  params.forEach((value, name) => {
    if (name !== 'X-Amz-Signature') query[name] = value;
  });
  const signer = new SignatureV4({
    credentials: key,
    region,
    service,
    sha256: Sha256,
  });
  const expected = await signer.presign(
    {
      method: 'GET',
      protocol: 'https:',
      hostname: url.hostname,
      path: '/',
      headers: { host: url.hostname, 'x-k8s-aws-id': options.clusterId },
      query: {
        Action: 'GetCallerIdentity',
        Version: '2011-06-15',
      },
    },
    {
      signingDate: new Date(signedAt),
      expiresIn: Number(params.get('X-Amz-Expires') ?? 0),
    },
  );
  if (expected.query?.['X-Amz-Signature'] !== params.get('X-Amz-Signature')) {
    throw new AwsIamTokenError(
      `the signature does not match (wrong secret, or signed for another cluster than "${options.clusterId}")`,
    );
  }
  return key.arn;
}
