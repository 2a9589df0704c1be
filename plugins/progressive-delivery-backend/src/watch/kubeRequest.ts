import { KubeConfig } from '@kubernetes/client-node';
import http from 'node:http';
import https from 'node:https';
import { ClusterConfig } from './WatchConfig';

/** A cluster's `KubeConfig` (from `@kubernetes/client-node`): credentials and TLS settings. */
export function kubeConfigFor(cluster: ClusterConfig): KubeConfig {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromClusterAndUser(
    {
      name: cluster.name,
      server: cluster.url,
      caData: cluster.caData,
      caFile: cluster.caFile,
      skipTLSVerify: cluster.skipTLSVerify,
    },
    { name: 'backstage', token: cluster.serviceAccountToken },
  );
  return kubeConfig;
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

/**
 * One request to a cluster's API server with the `KubeConfig`'s credentials and TLS options.
 * Answers any HTTP status; rejects (with a {@link KubeRequestError}) only when no answer came:
 * the server could not be reached, or did not answer within `timeoutMs`.
 */
export async function kubeRequest(
  cluster: ClusterConfig,
  kubeConfig: KubeConfig,
  request: {
    method: 'GET' | 'POST' | 'PATCH';
    path: string;
    body?: string;
    contentType?: string;
    timeoutMs?: number;
  },
): Promise<KubeResponse> {
  const url = new URL(`${cluster.url}${request.path}`);
  const options: https.RequestOptions = {};
  await kubeConfig.applyToHTTPSOptions(options);
  const transport = url.protocol === 'https:' ? https : http;
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
  return new Promise<KubeResponse>((resolve, reject) => {
    const fail = (error: Error) =>
      reject(new KubeRequestError(error.message, sent, timedOut));
    const req = transport.request(
      url,
      { ...options, method: request.method, headers },
      response => {
        const chunks: Buffer[] = [];
        response.on('data', chunk => chunks.push(chunk));
        response.on('error', fail);
        response.on('end', () =>
          resolve({
            statusCode: response.statusCode ?? 0,
            statusMessage: response.statusMessage ?? '',
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
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
    req.on('error', fail);
    req.end(request.body);
  });
}
