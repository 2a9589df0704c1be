import {
  CompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
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
  FluxActionName,
  ObjectRef,
  RolloutHistoryResponse,
  RolloutSummary,
} from '@internal/plugin-progressive-delivery-common';
import {
  CanaryListFilter,
  DeliveryStateObserver,
  DeliveryStateSubscription,
  LiveConnectionStatus,
  ProgressiveDeliveryApi,
  RolloutHistoryPage,
} from './ProgressiveDeliveryApi';
import { ServerSentEventParser } from './ServerSentEventParser';

const PLUGIN_ID = 'progressive-delivery';

/**
 * One live stream per entity, shared by every view that follows it (the overview cards, the
 * tab), so that an entity page holds one connection however many parts it shows.
 */
interface SharedStream {
  observers: Set<DeliveryStateObserver>;
  last?: EntityDeliveryState;
  status: LiveConnectionStatus;
  close(): void;
}

/**
 * Delay before reconnect attempt `attempt` (1, 2, ...): exponential from one second up to
 * thirty, with jitter so that browsers do not all come back at the same instant after a backend
 * restart.
 *
 * @public
 */
export function defaultReconnectDelay(attempt: number): number {
  const base = Math.min(30_000, 1_000 * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

/** Client errors other than timeouts and rate limits will not heal by retrying. */
function isPermanent(error: unknown): boolean {
  if (!(error instanceof ResponseError)) {
    return false;
  }
  const status = error.response.status;
  return status >= 400 && status < 500 && status !== 408 && status !== 429;
}

/**
 * {@link ProgressiveDeliveryApi} over HTTP, through Backstage's discovery and fetch APIs (the
 * fetch API adds the user's token, which a browser `EventSource` could not send).
 *
 * @public
 */
export class ProgressiveDeliveryClient implements ProgressiveDeliveryApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;
  private readonly reconnectDelay: (attempt: number) => number;
  private readonly streams = new Map<string, SharedStream>();

  constructor(options: {
    discoveryApi: DiscoveryApi;
    fetchApi: FetchApi;
    /** Milliseconds to wait before reconnect attempt `attempt`; see `defaultReconnectDelay`. */
    reconnectDelay?: (attempt: number) => number;
  }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
    this.reconnectDelay = options.reconnectDelay ?? defaultReconnectDelay;
  }

  async getEntityDeliveryState(
    entityRef: CompoundEntityRef,
  ): Promise<EntityDeliveryState> {
    return this.request<EntityDeliveryState>(entityPath(entityRef));
  }

  async listCanaries(filter?: CanaryListFilter): Promise<CanaryListResponse> {
    return this.request<CanaryListResponse>(
      `/v1/canaries${queryString({ ...filter })}`,
    );
  }

  async getRolloutHistory(
    entityRef: CompoundEntityRef,
    page?: RolloutHistoryPage,
  ): Promise<RolloutHistoryResponse> {
    return this.request<RolloutHistoryResponse>(
      `${entityPath(entityRef)}/history${queryString({ ...page })}`,
    );
  }

  async getRolloutSummary(
    entityRef: CompoundEntityRef,
    options?: { days?: number },
  ): Promise<RolloutSummary> {
    return this.request<RolloutSummary>(
      `${entityPath(entityRef)}/history/summary${queryString({ ...options })}`,
    );
  }

  async listClusters(): Promise<ClusterListResponse> {
    return this.request<ClusterListResponse>('/v1/clusters');
  }

  async runCanaryAction(
    canary: ObjectRef,
    action: CanaryActionName,
    request: ActionRequest = {},
  ): Promise<ActionResponse> {
    return this.post<ActionResponse>(
      `${objectPath(canary, 'canaries')}/${encodeURIComponent(action)}`,
      request,
    );
  }

  async runFluxAction(
    object: ObjectRef,
    action: FluxActionName,
    request: ActionRequest = {},
  ): Promise<ActionResponse> {
    const segment = Object.entries(FLUX_ACTION_KINDS).find(
      ([, kind]) => kind === object.kind,
    )?.[0];
    if (!segment) {
      throw new InputError(`Flux actions do not apply to ${object.kind}`);
    }
    return this.post<ActionResponse>(
      `${objectPath(object, segment)}/${encodeURIComponent(action)}`,
      request,
    );
  }

  subscribeToEntityDeliveryState(
    entityRef: CompoundEntityRef,
    observer: DeliveryStateObserver,
  ): DeliveryStateSubscription {
    const key = stringifyEntityRef(entityRef).toLocaleLowerCase('en-US');
    let stream = this.streams.get(key);
    if (stream) {
      stream.observers.add(observer);
      observer.status?.(stream.status);
      if (stream.last) {
        observer.next(stream.last);
      }
    } else {
      const shared: SharedStream = {
        observers: new Set([observer]),
        status: 'connecting',
        close: () => {},
      };
      stream = shared;
      this.streams.set(key, shared);
      shared.close = this.openStream(entityRef, {
        next: state => {
          shared.last = state;
          shared.observers.forEach(o => o.next(state));
        },
        error: error => shared.observers.forEach(o => o.error?.(error)),
        status: status => {
          shared.status = status;
          shared.observers.forEach(o => o.status?.(status));
        },
      });
    }
    const current = stream;
    return {
      unsubscribe: () => {
        current.observers.delete(observer);
        if (current.observers.size === 0) {
          current.close();
          this.streams.delete(key);
        }
      },
    };
  }

  /** Follows one entity's stream, reconnecting with backoff; returns how to stop. */
  private openStream(
    entityRef: CompoundEntityRef,
    observer: Required<DeliveryStateObserver>,
  ): () => void {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let attempt = 0;

    const connect = async () => {
      observer.status(attempt === 0 ? 'connecting' : 'reconnecting');
      try {
        await this.readStream(entityRef, controller.signal, {
          opened: () => observer.status('live'),
          state: state => {
            attempt = 0;
            observer.next(state);
          },
        });
        throw new Error('The live-update stream was closed by the server');
      } catch (error) {
        if (controller.signal.aborted) {
          return;
        }
        observer.error(error as Error);
        if (isPermanent(error)) {
          observer.status('stopped');
          return;
        }
        attempt += 1;
        observer.status('reconnecting');
        timer = setTimeout(connect, this.reconnectDelay(attempt));
      }
    };
    connect();

    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }

  private async readStream(
    entityRef: CompoundEntityRef,
    signal: AbortSignal,
    handlers: { opened(): void; state(state: EntityDeliveryState): void },
  ): Promise<void> {
    const baseUrl = await this.discoveryApi.getBaseUrl(PLUGIN_ID);
    const res = await this.fetchApi.fetch(
      `${baseUrl}${entityPath(entityRef)}/events`,
      { headers: { Accept: 'text/event-stream' }, signal },
    );
    if (!res.ok) {
      throw await ResponseError.fromResponse(res);
    }
    if (!res.body) {
      throw new Error('The live-update response has no body');
    }
    handlers.opened();
    const reader = res.body.getReader();
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

  private async post<T>(path: string, body: ActionRequest): Promise<T> {
    return this.request<T>(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  }

  private async request<T>(path: string, init?: RequestInit): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl(PLUGIN_ID);
    const res = await this.fetchApi.fetch(`${baseUrl}${path}`, init);
    if (!res.ok) {
      throw await ResponseError.fromResponse(res);
    }
    return (await res.json()) as T;
  }
}

/** `?a=1&b=2` of the parameters that are set, or nothing. */
function queryString(
  params: Record<string, string | number | undefined>,
): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') {
      query.set(key, String(value));
    }
  }
  return query.size > 0 ? `?${query}` : '';
}

function entityPath(ref: CompoundEntityRef): string {
  return `/v1/entities/${[
    ref.kind.toLocaleLowerCase('en-US'),
    ref.namespace,
    ref.name,
  ]
    .map(encodeURIComponent)
    .join('/')}`;
}

function objectPath(ref: ObjectRef, kinds: string): string {
  return `/v1/clusters/${[
    ref.cluster,
    'namespaces',
    ref.namespace,
    kinds,
    ref.name,
  ]
    .map(encodeURIComponent)
    .join('/')}`;
}
