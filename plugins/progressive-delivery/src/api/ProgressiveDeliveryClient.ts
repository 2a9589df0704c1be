import { CompoundEntityRef } from '@backstage/catalog-model';
import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { InputError, ResponseError } from '@backstage/errors';
import {
  ActionRequest,
  ActionResponse,
  CanaryActionName,
  CanaryListResponse,
  ClusterListResponse,
  EntityDeliveryState,
  FLUX_ACTION_KINDS,
  FluxActionKind,
  FluxActionName,
  ObjectRef,
  RolloutAnalysisResponse,
  RolloutHistoryResponse,
  RolloutSummary,
} from '@progressive-delivery/plugin-progressive-delivery-common';
import createClient, { Client } from 'openapi-fetch';
import { paths } from '../schema/openapi';
import {
  defaultReconnectDelay,
  EntityStateStreams,
  StreamHandlers,
} from './EntityStateStreams';
import {
  CanaryListFilter,
  DeliveryStateObserver,
  DeliveryStateSubscription,
  ProgressiveDeliveryApi,
  RolloutHistoryPage,
} from './ProgressiveDeliveryApi';
import { ServerSentEventParser } from './ServerSentEventParser';
import {
  ActionCallOptions,
  ClusterSignIn,
  userDelegatedHeaders,
} from './userDelegatedActions';

export { defaultReconnectDelay };

const PLUGIN_ID = 'progressive-delivery';

/** `a=1&b=2` of the parameters that are set. */
function queryString(params: Record<string, unknown> = {}): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') {
      query.set(key, String(value));
    }
  }
  return query.toString();
}

/** The path parameters of an entity's routes; the backend matches kinds in lower case. */
function entityPath(ref: CompoundEntityRef) {
  return {
    kind: ref.kind.toLocaleLowerCase('en-US'),
    namespace: ref.namespace,
    name: ref.name,
  };
}

function fluxKindSegment(kind: string): FluxActionKind | undefined {
  return (Object.keys(FLUX_ACTION_KINDS) as FluxActionKind[]).find(
    segment => FLUX_ACTION_KINDS[segment] === kind,
  );
}

/** The body of a successful answer; the fetch below has already thrown on any other. */
function dataOf<T>(result: { data?: T }): T {
  if (result.data === undefined) {
    throw new Error('The backend answered without a body');
  }
  return result.data;
}

/**
 * The spec describes an environment variable's value (`EnvVarValue`, in what changed) as one
 * object whose `source` says which of its optional fields are set (the spec tooling here has no
 * `oneOf`); the common type is the same shape as a union discriminated by `source`. The backend
 * builds it from that union and its tests check every answer against the spec, so the answer is
 * read as the union here.
 */
function withChanges<Common>(answer: object): Common {
  return answer as Common;
}

/**
 * {@link ProgressiveDeliveryApi} over HTTP, through Backstage's discovery and fetch APIs (the
 * fetch API adds the user's token, which a browser `EventSource` could not send). Requests go
 * through a client typed by the backend's OpenAPI spec (`src/schema/openapi`).
 *
 * @public
 */
export class ProgressiveDeliveryClient implements ProgressiveDeliveryApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly api: Client<paths>;
  private readonly streams: EntityStateStreams;

  constructor(options: {
    discoveryApi: DiscoveryApi;
    fetchApi: FetchApi;
    /** Milliseconds to wait before reconnect attempt `attempt`; see `defaultReconnectDelay`. */
    reconnectDelay?: (attempt: number) => number;
  }) {
    this.discoveryApi = options.discoveryApi;
    this.api = createClient<paths>({
      fetch: async request => {
        // Backstage's fetch middleware builds a Request from its input to inspect it and then
        // passes the input on; a Request input with a body is spent by then ("Cannot construct a
        // Request with a Request object that has already been used"). Hand over URL and init.
        const res = await options.fetchApi.fetch(request.url, {
          method: request.method,
          headers: request.headers,
          body: request.body ? await request.text() : undefined,
          signal: request.signal,
        });
        if (!res.ok) {
          throw await ResponseError.fromResponse(res);
        }
        return res;
      },
      querySerializer: queryString,
    });
    this.streams = new EntityStateStreams(
      (entityRef, signal, handlers) =>
        this.readStream(entityRef, signal, handlers),
      options.reconnectDelay ?? defaultReconnectDelay,
    );
  }

  async getEntityDeliveryState(
    entityRef: CompoundEntityRef,
  ): Promise<EntityDeliveryState> {
    return withChanges(
      dataOf(
        await this.api.request(
          'get',
          '/v1/entities/{kind}/{namespace}/{name}',
          await this.onEntity(entityRef),
        ),
      ),
    );
  }

  async listCanaries(filter?: CanaryListFilter): Promise<CanaryListResponse> {
    return dataOf(
      await this.api.request('get', '/v1/canaries', {
        baseUrl: await this.baseUrl(),
        params: { query: filter },
      }),
    );
  }

  async getRolloutHistory(
    entityRef: CompoundEntityRef,
    page?: RolloutHistoryPage,
  ): Promise<RolloutHistoryResponse> {
    return withChanges(
      dataOf(
        await this.api.request(
          'get',
          '/v1/entities/{kind}/{namespace}/{name}/history',
          await this.onEntity(entityRef, page),
        ),
      ),
    );
  }

  async getRolloutSummary(
    entityRef: CompoundEntityRef,
    options?: { days?: number },
  ): Promise<RolloutSummary> {
    return dataOf(
      await this.api.request(
        'get',
        '/v1/entities/{kind}/{namespace}/{name}/history/summary',
        await this.onEntity(entityRef, options),
      ),
    );
  }

  async getRolloutAnalysis(
    entityRef: CompoundEntityRef,
    rolloutId: string,
  ): Promise<RolloutAnalysisResponse> {
    return dataOf(
      await this.api.request(
        'get',
        '/v1/entities/{kind}/{namespace}/{name}/history/{rolloutId}/analysis',
        {
          baseUrl: await this.baseUrl(),
          params: { path: { ...entityPath(entityRef), rolloutId } },
        },
      ),
    );
  }

  async listClusters(): Promise<ClusterListResponse> {
    return dataOf(
      await this.api.request('get', '/v1/clusters', {
        baseUrl: await this.baseUrl(),
      }),
    );
  }

  async runCanaryAction(
    canary: ObjectRef,
    action: CanaryActionName,
    request: ActionRequest = {},
    options?: ActionCallOptions,
  ): Promise<ActionResponse> {
    const { cluster, namespace, name } = canary;
    return dataOf(
      await this.api.request(
        'post',
        '/v1/clusters/{cluster}/namespaces/{namespace}/canaries/{name}/{action}',
        {
          baseUrl: await this.baseUrl(),
          params: { path: { cluster, namespace, name, action } },
          headers: await this.actionHeaders(cluster, options),
          body: request,
        },
      ),
    );
  }

  async runFluxAction(
    object: ObjectRef,
    action: FluxActionName,
    request: ActionRequest = {},
    options?: ActionCallOptions,
  ): Promise<ActionResponse> {
    const kind = fluxKindSegment(object.kind);
    if (!kind) {
      throw new InputError(`Flux actions do not apply to ${object.kind}`);
    }
    const { cluster, namespace, name } = object;
    return dataOf(
      await this.api.request(
        'post',
        '/v1/clusters/{cluster}/namespaces/{namespace}/{kind}/{name}/{action}',
        {
          baseUrl: await this.baseUrl(),
          params: { path: { cluster, namespace, kind, name, action } },
          headers: await this.actionHeaders(cluster, options),
          body: request,
        },
      ),
    );
  }

  /**
   * The user's cluster token for clusters whose actions the backend performs with it
   * (`userDelegatedActions` in `GET /v1/clusters`), none for the others. The cluster list is
   * read for each action, so a cluster's sign-in is never stale. When it cannot be read, the
   * action goes without a token and the backend says what it lacks.
   */
  private async actionHeaders(
    cluster: string,
    options?: ActionCallOptions,
  ): Promise<Record<string, string>> {
    let signIn: ClusterSignIn | undefined;
    try {
      const { items } = await this.listClusters();
      signIn = items.find(c => c.name === cluster);
    } catch {
      signIn = undefined;
    }
    return userDelegatedHeaders(signIn, options);
  }

  subscribeToEntityDeliveryState(
    entityRef: CompoundEntityRef,
    observer: DeliveryStateObserver,
  ): DeliveryStateSubscription {
    return this.streams.subscribe(entityRef, observer);
  }

  /** Reads the entity's server-sent events (OpenAPI clients do not parse event streams). */
  private async readStream(
    entityRef: CompoundEntityRef,
    signal: AbortSignal,
    handlers: StreamHandlers,
  ): Promise<void> {
    const { data: body } = await this.api.request(
      'get',
      '/v1/entities/{kind}/{namespace}/{name}/events',
      {
        ...(await this.onEntity(entityRef)),
        headers: { Accept: 'text/event-stream' },
        parseAs: 'stream',
        signal,
      },
    );
    if (!body) {
      throw new Error('The live-update response has no body');
    }
    handlers.opened();
    const reader = body.getReader();
    const decoder = new TextDecoder();
    const parser = new ServerSentEventParser();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        return;
      }
      for (const message of parser.push(
        decoder.decode(value, { stream: true }),
      )) {
        if (message.event === 'state') {
          handlers.state(JSON.parse(message.data) as EntityDeliveryState);
        }
      }
    }
  }

  /** The base URL and path parameters of a request on one entity's routes. */
  private async onEntity<Query extends object = never>(
    entityRef: CompoundEntityRef,
    query?: Query,
  ) {
    return {
      baseUrl: await this.baseUrl(),
      params: { path: entityPath(entityRef), query },
    };
  }

  private baseUrl(): Promise<string> {
    return this.discoveryApi.getBaseUrl(PLUGIN_ID);
  }
}
