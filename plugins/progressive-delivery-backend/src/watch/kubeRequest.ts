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
 * One request to a cluster's API server with the `KubeConfig`'s credentials and TLS options.
 * Answers any HTTP status; rejects only when the server cannot be reached.
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
  return new Promise((resolve, reject) => {
    const req = transport.request(
      url,
      { ...options, method: request.method, headers },
      response => {
        const chunks: Buffer[] = [];
        response.on('data', chunk => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () =>
          resolve({
            statusCode: response.statusCode ?? 0,
            statusMessage: response.statusMessage ?? '',
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.setTimeout(timeoutMs, () =>
      req.destroy(
        new Error(`no answer from ${url.host} within ${timeoutMs / 1000}s`),
      ),
    );
    req.on('error', reject);
    req.end(request.body);
  });
}
