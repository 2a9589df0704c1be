import { KubeConfig, User } from '@kubernetes/client-node';
import { KubernetesCredential } from '@backstage/plugin-kubernetes-node';
import http from 'node:http';
import https from 'node:https';
import { ClusterConfig } from './WatchConfig';

/** The `KubeConfig` user of a credential (client-node wants certificates base64-encoded). */
function userOf(credential: KubernetesCredential | undefined): User {
  if (credential?.type === 'bearer token') {
    return { name: 'backstage', token: credential.token };
  }
  if (credential?.type === 'x509 client certificate') {
    return {
      name: 'backstage',
      certData: Buffer.from(credential.cert).toString('base64'),
      keyData: Buffer.from(credential.key).toString('base64'),
    };
  }
  return { name: 'backstage' };
}

/**
 * A cluster's `KubeConfig` (from `@kubernetes/client-node`): TLS settings and one credential,
 * by default the cluster's static `serviceAccountToken`.
 */
export function kubeConfigFor(
  cluster: ClusterConfig,
  credential: KubernetesCredential | undefined = cluster.serviceAccountToken
    ? { type: 'bearer token', token: cluster.serviceAccountToken }
    : undefined,
): KubeConfig {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromClusterAndUser(
    {
      name: cluster.name,
      server: cluster.url,
      caData: cluster.caData,
      caFile: cluster.caFile,
      // client-node refuses plain HTTP unless told to skip TLS verification; over HTTP
      // (kubectl proxy, an allowed http:// URL) there is no TLS to verify.
      skipTLSVerify:
        cluster.skipTLSVerify || cluster.url.toLowerCase().startsWith('http:'),
    },
    userOf(credential),
  );
  return kubeConfig;
}

/** Where a cluster's requests get their credential, in words. */
export function credentialSourceOf(cluster: ClusterConfig): string {
  return (
    cluster.credentials?.description ??
    (cluster.serviceAccountToken
      ? 'the configured serviceAccountToken'
      : 'no credential')
  );
}

/** A persisting 401, naming the cluster and where its credential came from. */
export function unauthorizedMessage(
  cluster: ClusterConfig,
  detail: string,
): string {
  return `cluster ${
    cluster.name
  }: the API server refused the credential from ${credentialSourceOf(
    cluster,
  )} with 401 Unauthorized (${detail})`;
}

export interface KubeResponse {
  statusCode: number;
  statusMessage: string;
  body: string;
}

/** Reads the message of a Kubernetes `Status` body, if it is one. */
export function statusMessage(body: string, fallback: string): string {
  try {
    const status = JSON.parse(body);
    if (typeof status?.message === 'string') {
      return status.message;
    }
  } catch {
    // not a Kubernetes Status body
  }
  return fallback;
}

/**
 * Why a request to an API server got no answer. `sent` tells whether the request had been
 * written to the connection before it failed (Node's `finish` event: connected, TLS done, every
 * byte handed to the kernel): if not, the server never saw it; if so, it may have acted on it.
 */
export class KubeRequestError extends Error {
  constructor(
    message: string,
    readonly sent: boolean,
    readonly timedOut: boolean,
  ) {
    super(message);
    this.name = 'KubeRequestError';
  }
}

export interface KubeRequest {
  method: 'GET' | 'POST' | 'PATCH';
  path: string;
  body?: string;
  contentType?: string;
  timeoutMs?: number;
  /** The credential to send instead of the cluster's own (a user's cluster token). */
  credential?: KubernetesCredential;
}

/**
 * One request to a cluster's API server. With the cluster's credential source (see
 * `ClusterRegistry`), each request asks it for a credential, and a 401 asks it once more and
 * sends the request again (a token that expired or rotated meanwhile); without one, the
 * `KubeConfig`'s credential. An explicit `request.credential` is sent as it is. Answers any
 * HTTP status; rejects (with a {@link KubeRequestError}) only when no answer came: the server
 * could not be reached, or did not answer within `timeoutMs`.
 */
export async function kubeRequest(
  cluster: ClusterConfig,
  kubeConfig: KubeConfig,
  request: KubeRequest,
): Promise<KubeResponse> {
  const source = cluster.credentials;
  if (request.credential || !source) {
    const config = request.credential
      ? kubeConfigFor(cluster, request.credential)
      : kubeConfig;
    return sendOnce(cluster, config, request);
  }
  const first = await sendOnce(
    cluster,
    kubeConfigFor(cluster, await source.get()),
    request,
  );
  if (first.statusCode !== 401) {
    return first;
  }
  return sendOnce(
    cluster,
    kubeConfigFor(cluster, await source.renew()),
    request,
  );
}

/**
 * GETs (a cluster's list is hundreds of pages) reuse their connections instead of a TLS
 * handshake per page. Node keys pooled sockets by host and TLS options (CA, client
 * certificate), so clusters and credentials never share one. Writes get a fresh connection.
 */
const KEEP_ALIVE = {
  'https:': new https.Agent({ keepAlive: true, timeout: 4000 }),
  'http:': new http.Agent({ keepAlive: true, timeout: 4000 }),
} as const;

interface Settle {
  resolve: (response: KubeResponse | Promise<KubeResponse>) => void;
  reject: (error: Error) => void;
}

/**
 * A promise's resolve and reject that let go of it once settled. A kept-alive TLS connection
 * keeps the first request it carried alive as long as it lives (https.Agent's TLS session
 * listener holds it in its scope), and with it every closure of that request: holding the
 * promise, they held its answer, a list page's megabytes per connection.
 */
function settleOnce(
  resolve: Settle['resolve'],
  reject: Settle['reject'],
): Settle {
  let pending: Settle | undefined = { resolve, reject };
  const take = () => {
    const settling = pending;
    pending = undefined;
    return settling;
  };
  return {
    resolve: response => take()?.resolve(response),
    reject: error => take()?.reject(error),
  };
}

/** A pooled connection the server had already closed: the GET was never answered, resend it. */
const isStaleConnection = (error: unknown, req: http.ClientRequest) =>
  req.method === 'GET' &&
  req.reusedSocket &&
  (error as NodeJS.ErrnoException).code === 'ECONNRESET';

async function sendOnce(
  cluster: ClusterConfig,
  kubeConfig: KubeConfig,
  request: KubeRequest,
  retriedStale = false,
): Promise<KubeResponse> {
  const url = new URL(`${cluster.url}${request.path}`);
  const options: https.RequestOptions = {};
  await kubeConfig.applyToHTTPSOptions(options);
  const transport = url.protocol === 'https:' ? https : http;
  // client-node hands a new plain Agent per call (its TLS options are on `options` as well);
  // a proxy's agent stays.
  const plain =
    options.agent?.constructor === https.Agent ||
    options.agent?.constructor === http.Agent;
  if (request.method === 'GET' && (!options.agent || plain)) {
    options.agent = KEEP_ALIVE[url.protocol === 'https:' ? 'https:' : 'http:'];
  }
  const headers: Record<string, string | number> = {
    ...(options.headers as Record<string, string>),
    Accept: 'application/json',
  };
  if (request.body !== undefined) {
    headers['Content-Type'] = request.contentType ?? 'application/json';
    headers['Content-Length'] = Buffer.byteLength(request.body);
  }
  const timeoutMs = request.timeoutMs ?? 30_000;
  let sent = false;
  let timedOut = false;
  return new Promise<KubeResponse>((resolvePromise, rejectPromise) => {
    const { resolve, reject } = settleOnce(resolvePromise, rejectPromise);
    const fail = (error: Error) =>
      reject(new KubeRequestError(error.message, sent, timedOut));
    const req = transport.request(
      url,
      { ...options, method: request.method, headers },
      response => {
        let chunks: Buffer[] = [];
        response.on('data', chunk => chunks.push(chunk));
        response.on('error', fail);
        response.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          chunks = [];
          resolve({
            statusCode: response.statusCode ?? 0,
            statusMessage: response.statusMessage ?? '',
            body,
          });
        });
      },
    );
    req.setTimeout(timeoutMs, () => {
      timedOut = true;
      req.destroy(
        new Error(`no answer from ${url.host} within ${timeoutMs / 1000}s`),
      );
    });
    req.on('finish', () => {
      sent = true;
    });
    req.on('error', error => {
      if (!retriedStale && isStaleConnection(error, req)) {
        resolve(sendOnce(cluster, kubeConfig, request, true));
      } else {
        fail(error);
      }
    });
    req.end(request.body);
  });
}
