import {
  AuthenticationError,
  ConflictError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { KubeConfig } from '@kubernetes/client-node';
import { KubeObject } from '@progressive-delivery/plugin-progressive-delivery-common';
import { HEADER_KUBERNETES_AUTH } from '../clusters/kubernetesBackendModules';
import { KubernetesCredential } from '@backstage/plugin-kubernetes-node';
import { AsyncLocalStorage } from 'node:async_hooks';
import { isUserDelegated } from '../clusters/ClusterConfig';
import { signsInVia } from '../clusters/clusterCredentials';
import { ClusterConfig } from '../watch/WatchConfig';
import { WatchedKind } from '../watch/kinds';
import {
  kubeConfigFor,
  kubeRequest,
  KubeRequestError,
  KubeResponse,
  statusMessage,
  unauthorizedMessage,
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

/**
 * Who the cluster calls of an action are made for: an HTTP request, with the user's own
 * cluster token when the frontend sent one (`Backstage-Kubernetes-Authorization`), or a tool.
 */
export interface ActionCallerContext {
  via: 'http' | 'tool';
  userClusterToken?: string;
}

const callerContext = new AsyncLocalStorage<ActionCallerContext>();

/** Runs `fn` with the caller's context, which the cluster calls inside it read. */
export function withActionCaller<T>(
  context: ActionCallerContext,
  fn: () => Promise<T>,
): Promise<T> {
  return callerContext.run(context, fn);
}

/** The bearer token of a `Backstage-Kubernetes-Authorization` header, if any. */
export function userClusterTokenOf(
  header: string | undefined,
): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}

/**
 * {@link ClusterActionClient} with the cluster's `KubeConfig` from `@kubernetes/client-node`:
 * the cluster's server-side credential, or on a user-delegated cluster (aks, google, oidc) the
 * user's own cluster token, so the cluster's RBAC decides and its audit log names the user.
 */
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
    const credential = await this.userCredential();
    try {
      return await kubeRequest(this.cluster, this.kubeConfig, {
        ...request,
        credential,
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

  /** On a user-delegated cluster: the user's cluster token, or why the call cannot be made. */
  private async userCredential(): Promise<KubernetesCredential | undefined> {
    if (!isUserDelegated(this.cluster)) {
      return undefined;
    }
    const caller = callerContext.getStore();
    const via = signsInVia(this.cluster);
    if (caller?.via === 'tool') {
      throw new NotAllowedError(
        `cluster ${this.cluster.name} signs in as the user via ${via}, and a tool call carries no user cluster token: perform this action in the Delivery tab`,
      );
    }
    if (!caller?.userClusterToken || !this.cluster.userCredentials) {
      throw new AuthenticationError(
        `cluster ${this.cluster.name} signs in as the user via ${via}, and the request carried no token (header ${HEADER_KUBERNETES_AUTH}: Bearer <token>)`,
      );
    }
    return this.cluster.userCredentials(caller.userClusterToken);
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
    if (
      isUserDelegated(this.cluster) &&
      (statusCode === 401 || statusCode === 403)
    ) {
      throw new NotAllowedError(
        `${where} refused to ${verb} for ${what} with your own cluster token (signed in via ${signsInVia(
          this.cluster,
        )}): ${
          statusCode === 401
            ? 'the token was not accepted'
            : "the cluster's RBAC does not allow it"
        } (${message})`,
      );
    }
    switch (statusCode) {
      case 401:
        throw new NotAllowedError(unauthorizedMessage(this.cluster, message));
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

/**
 * The action client of each known cluster, made on first use and kept while the cluster is.
 * `clusters` may be the cluster registry's live list: a catalog cluster that was replaced gets
 * a new client.
 */
export function actionClientsFor(
  clusters: ClusterConfig[],
  timeoutMs = DEFAULT_CLUSTER_CALL_TIMEOUT_MS,
): (cluster: string) => ClusterActionClient {
  const clients = new WeakMap<ClusterConfig, ClusterActionClient>();
  return name => {
    const cluster = clusters.find(c => c.name === name);
    if (!cluster) {
      throw new Error(`cluster ${name} is not configured`);
    }
    let client = clients.get(cluster);
    if (!client) {
      client = new KubeConfigActionClient(cluster, timeoutMs);
      clients.set(cluster, client);
    }
    return client;
  };
}
