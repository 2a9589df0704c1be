import {
  ConflictError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { KubeConfig } from '@kubernetes/client-node';
import { KubeObject } from '@progressive-delivery/plugin-progressive-delivery-common';
import { ClusterConfig } from '../watch/WatchConfig';
import { WatchedKind } from '../watch/kinds';
import {
  kubeConfigFor,
  kubeRequest,
  KubeRequestError,
  KubeResponse,
  statusMessage,
} from '../watch/kubeRequest';
import { DEFAULT_CLUSTER_CALL_TIMEOUT_MS } from './ActionsConfig';
import { OutcomeUnknownError, proxyFailureWasSent } from './outcomeUnknown';
import { ServiceTarget, serviceProxyPath } from './webhookTarget';

/**
 * The calls the actions make to one cluster: merge patches of watched objects, POSTs to
 * in-cluster services through the API server's service proxy, and reading a Service to check a
 * gate's port. Nothing else is reachable. Every call ends within one timeout; a write that was
 * sent and got no answer rejects with {@link OutcomeUnknownError}, one that never left with
 * `ServiceUnavailableError`.
 */
export interface ClusterActionClient {
  mergePatch(
    kind: WatchedKind,
    namespace: string,
    name: string,
    patch: object,
  ): Promise<KubeObject>;
  proxyPost(target: ServiceTarget, path: string, body: object): Promise<void>;
  /** The Service, or undefined when the cluster has none of that name. */
  getService(namespace: string, name: string): Promise<KubeObject | undefined>;
}

/** {@link ClusterActionClient} with the cluster's `KubeConfig` from `@kubernetes/client-node`. */
export class KubeConfigActionClient implements ClusterActionClient {
  private readonly kubeConfig: KubeConfig;

  constructor(
    private readonly cluster: ClusterConfig,
    private readonly timeoutMs = DEFAULT_CLUSTER_CALL_TIMEOUT_MS,
  ) {
    this.kubeConfig = kubeConfigFor(cluster);
  }

  async mergePatch(
    kind: WatchedKind,
    namespace: string,
    name: string,
    patch: object,
  ): Promise<KubeObject> {
    const base = kind.group
      ? `/apis/${kind.group}/${kind.version}`
      : `/api/${kind.version}`;
    const what = `${kind.kind} ${namespace}/${name}`;
    const response = await this.send(what, {
      method: 'PATCH',
      path: `${base}/namespaces/${encodeURIComponent(namespace)}/${
        kind.plural
      }/${encodeURIComponent(name)}`,
      body: JSON.stringify(patch),
      contentType: 'application/merge-patch+json',
    });
    this.check(response, `patch ${kind.plural}`, what);
    return JSON.parse(response.body) as KubeObject;
  }

  async proxyPost(
    target: ServiceTarget,
    path: string,
    body: object,
  ): Promise<void> {
    const what = `service ${target.namespace}/${target.service}`;
    const response = await this.send(what, {
      method: 'POST',
      path: serviceProxyPath(target, path),
      body: JSON.stringify(body),
    });
    // The loadtester answers 202; Flagger treats anything above 202 as a failure.
    if (response.statusCode >= 200 && response.statusCode <= 202) {
      return;
    }
    const message = statusMessage(response.body, '');
    if (response.statusCode === 503 && proxyFailureWasSent(message)) {
      // The API server forwarded the request and lost the service's answer.
      throw new OutcomeUnknownError(
        `cluster ${this.cluster.name} forwarded POST ${path} to ${what}, which did not answer (${message})`,
      );
    }
    const isStatus = response.body.trimStart().startsWith('{');
    if (!isStatus) {
      throw new ConflictError(
        `${what} answered ${response.statusCode} to POST ${path}: ${
          response.body.trim() || response.statusMessage
        }`,
      );
    }
    this.check(response, 'create services/proxy', what);
  }

  async getService(
    namespace: string,
    name: string,
  ): Promise<KubeObject | undefined> {
    const what = `Service ${namespace}/${name}`;
    const response = await this.send(what, {
      method: 'GET',
      path: `/api/v1/namespaces/${encodeURIComponent(
        namespace,
      )}/services/${encodeURIComponent(name)}`,
    });
    if (response.statusCode === 404) {
      return undefined;
    }
    this.check(response, 'get services', what);
    return JSON.parse(response.body) as KubeObject;
  }

  /**
   * One call under the timeout. No answer: a write that was sent may have been carried out
   * (outcome unknown); anything else changed nothing (unreachable).
   */
  private async send(
    what: string,
    request: Parameters<typeof kubeRequest>[2],
  ): Promise<KubeResponse> {
    try {
      return await kubeRequest(this.cluster, this.kubeConfig, {
        ...request,
        timeoutMs: this.timeoutMs,
      });
    } catch (error) {
      const { message } = error as Error;
      const sent = error instanceof KubeRequestError && error.sent;
      if (sent && request.method !== 'GET') {
        throw new OutcomeUnknownError(
          `${request.method} of ${what} was sent to cluster ${this.cluster.name}, but no answer came back: ${message}`,
        );
      }
      throw new ServiceUnavailableError(
        sent
          ? `cluster ${this.cluster.name} did not answer for ${what}: ${message}`
          : `cluster ${this.cluster.name} is unreachable for ${what}: ${message}`,
      );
    }
  }

  /** Turns the API server's errors into Backstage errors a person can act on. */
  private check(response: KubeResponse, verb: string, what: string): void {
    const { statusCode, body } = response;
    if (statusCode >= 200 && statusCode < 300) {
      return;
    }
    const message = statusMessage(
      body,
      `${statusCode} ${response.statusMessage}`.trim(),
    );
    const where = `cluster ${this.cluster.name}`;
    switch (statusCode) {
      case 401:
      case 403:
        throw new NotAllowedError(
          `${where} refused to ${verb} for ${what}: the backend's service account needs that right (${message})`,
        );
      case 404:
        throw new NotFoundError(`${where}: ${what} not found (${message})`);
      case 409:
        throw new ConflictError(`${where}: ${what}: ${message}`);
      case 502:
      case 503:
      case 504:
        throw new ServiceUnavailableError(`${where}: ${what}: ${message}`);
      default:
        throw new Error(
          `${where} answered ${statusCode} to ${verb} for ${what}: ${message}`,
        );
    }
  }
}

/** The action client of each configured cluster, made on first use and kept. */
export function actionClientsFor(
  clusters: ClusterConfig[],
  timeoutMs = DEFAULT_CLUSTER_CALL_TIMEOUT_MS,
): (cluster: string) => ClusterActionClient {
  const clients = new Map<string, ClusterActionClient>();
  return name => {
    let client = clients.get(name);
    if (!client) {
      const cluster = clusters.find(c => c.name === name);
      if (!cluster) {
        throw new Error(`cluster ${name} is not configured`);
      }
      client = new KubeConfigActionClient(cluster, timeoutMs);
      clients.set(name, client);
    }
    return client;
  };
}
