import { KubeConfig, Watch } from '@kubernetes/client-node';
import { KubeObject } from '@progressive-delivery/plugin-progressive-delivery-common';
import { ClusterConfig } from './WatchConfig';
import { collectionPath, WatchedKind } from './kinds';
import {
  kubeConfigFor,
  kubeRequest,
  statusMessage,
  unauthorizedMessage,
} from './kubeRequest';
import { projectObject } from './projectObject';
import { LIST_TURNS } from './Turns';

/**
 * A failed request to a cluster's API server. `statusCode` is absent when the server could not
 * be reached at all.
 */
export class KubernetesRequestError extends Error {
  readonly statusCode?: number;
  readonly verb: 'list' | 'watch';

  constructor(options: {
    message: string;
    verb: 'list' | 'watch';
    statusCode?: number;
    cause?: unknown;
  }) {
    super(options.message, { cause: options.cause });
    this.name = 'KubernetesRequestError';
    this.statusCode = options.statusCode;
    this.verb = options.verb;
  }
}

export interface KubeList {
  items: KubeObject[];
  resourceVersion: string;
}

export type WatchEvent =
  | { type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: KubeObject }
  | { type: 'BOOKMARK'; resourceVersion: string }
  | { type: 'ERROR'; statusCode?: number; message: string };

export interface WatchHandle {
  stop(): void;
}

/**
 * The list and watch calls of one cluster. Talks to the API server with the credentials and
 * TLS settings of the cluster's `KubeConfig` (from `@kubernetes/client-node`).
 */
export interface KubernetesClient {
  /** `priority`: lower lists get their turns of the event loop first (see Turns). */
  list(kind: WatchedKind, options?: { priority?: number }): Promise<KubeList>;
  watch(
    kind: WatchedKind,
    resourceVersion: string,
    onEvent: (event: WatchEvent) => void,
    onClose: (error?: KubernetesRequestError) => void,
  ): Promise<WatchHandle>;
}

const PAGE_SIZE = 500;
/** Items projected per turn of the event loop (see Turns). */
const SLICE = 100;

interface KubeListPage {
  items?: KubeObject[];
  metadata?: { resourceVersion?: string; continue?: string };
}

/**
 * {@link KubernetesClient} over `@kubernetes/client-node`: its `KubeConfig` for credentials and
 * TLS, its `Watch` for watch streams, and one paginated GET per list. Each list page and each
 * watch asks the cluster's credential source for a credential; a 401 asks once more and tries
 * again, so a credential that expired mid-watch is renewed when the watch resumes.
 */
export class ClientNodeKubernetesClient implements KubernetesClient {
  private constructor(
    private readonly cluster: ClusterConfig,
    private readonly kubeConfig: KubeConfig,
  ) {}

  static async create(
    cluster: ClusterConfig,
  ): Promise<ClientNodeKubernetesClient> {
    return ClientNodeKubernetesClient.forCluster(cluster);
  }

  /** The client of a cluster: its static `KubeConfig`, or its credential source per request. */
  static forCluster(cluster: ClusterConfig): ClientNodeKubernetesClient {
    return new ClientNodeKubernetesClient(cluster, kubeConfigFor(cluster));
  }

  async list(
    kind: WatchedKind,
    options: { priority?: number } = {},
  ): Promise<KubeList> {
    const items: KubeObject[] = [];
    const apiVersion = kind.group
      ? `${kind.group}/${kind.version}`
      : kind.version;
    let continueToken: string | undefined;
    let resourceVersion = '';
    do {
      const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
      if (kind.fieldSelector) {
        query.set('fieldSelector', kind.fieldSelector);
      }
      if (continueToken) {
        query.set('continue', continueToken);
      }
      const page = await this.getPage(
        `${collectionPath(kind)}?${query}`,
        options.priority,
      );
      // The list's kind is FooList; items carry no apiVersion/kind. Each page is cut down to
      // what the plugin reads as it arrives, so a kind's raw pages are never all in memory;
      // a slice at a time, each in a turn of its own, so requests are answered meanwhile.
      const raw = page.items ?? [];
      for (let at = 0; at < raw.length; at += SLICE) {
        await LIST_TURNS.next(options.priority);
        for (const item of raw.slice(at, at + SLICE)) {
          items.push(projectObject({ ...item, apiVersion, kind: kind.kind }));
        }
      }
      resourceVersion = page.metadata?.resourceVersion ?? resourceVersion;
      continueToken = page.metadata?.continue || undefined;
    } while (continueToken);
    return { items, resourceVersion };
  }

  /** Fetches and parses one page; the body string is garbage as soon as this returns. */
  private async getPage(
    path: string,
    priority?: number,
  ): Promise<KubeListPage> {
    const body = await this.get(path);
    await LIST_TURNS.next(priority);
    return JSON.parse(body) as KubeListPage;
  }

  async watch(
    kind: WatchedKind,
    resourceVersion: string,
    onEvent: (event: WatchEvent) => void,
    onClose: (error?: KubernetesRequestError) => void,
  ): Promise<WatchHandle> {
    const source = this.cluster.credentials;
    if (!source) {
      return this.watchWith(
        this.kubeConfig,
        kind,
        resourceVersion,
        onEvent,
        onClose,
      );
    }
    let current: WatchHandle | undefined;
    let stopped = false;
    let eventSeen = false;
    const seen = (event: WatchEvent) => {
      eventSeen = true;
      onEvent(event);
    };
    const closed = (renewed: boolean) => (error?: KubernetesRequestError) => {
      if (stopped) {
        return;
      }
      if (error?.statusCode === 401 && !eventSeen && !renewed) {
        // The credential expired or rotated: ask for it again and watch once more.
        source
          .renew()
          .then(credential =>
            this.watchWith(
              kubeConfigFor(this.cluster, credential),
              kind,
              resourceVersion,
              seen,
              closed(true),
            ),
          )
          .then(handle => {
            if (stopped) {
              handle.stop();
            } else {
              current = handle;
            }
          }, onClose);
        return;
      }
      onClose(
        error?.statusCode === 401
          ? new KubernetesRequestError({
              message: unauthorizedMessage(this.cluster, error.message),
              verb: 'watch',
              statusCode: 401,
              cause: error,
            })
          : error,
      );
    };
    current = await this.watchWith(
      kubeConfigFor(this.cluster, await source.get()),
      kind,
      resourceVersion,
      seen,
      closed(false),
    );
    return {
      stop: () => {
        stopped = true;
        current?.stop();
      },
    };
  }

  private async watchWith(
    kubeConfig: KubeConfig,
    kind: WatchedKind,
    resourceVersion: string,
    onEvent: (event: WatchEvent) => void,
    onClose: (error?: KubernetesRequestError) => void,
  ): Promise<WatchHandle> {
    const watch = new Watch(kubeConfig);
    let stopped = false;
    const controller = await watch.watch(
      collectionPath(kind),
      {
        resourceVersion,
        allowWatchBookmarks: true,
        fieldSelector: kind.fieldSelector,
      },
      (type: string, object: any) => {
        if (stopped) {
          return;
        }
        if (type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED') {
          onEvent({
            type,
            object: { ...object, kind: object?.kind ?? kind.kind },
          });
        } else if (type === 'BOOKMARK') {
          onEvent({
            type,
            resourceVersion: String(object?.metadata?.resourceVersion ?? ''),
          });
        } else if (type === 'ERROR') {
          onEvent({
            type,
            statusCode:
              typeof object?.code === 'number' ? object.code : undefined,
            message: String(object?.message ?? 'watch error'),
          });
        }
      },
      (error: any) => {
        if (stopped) {
          return;
        }
        stopped = true;
        if (!error || error?.name === 'AbortError') {
          onClose();
          return;
        }
        onClose(
          new KubernetesRequestError({
            message: String(error?.message ?? error),
            verb: 'watch',
            statusCode:
              typeof error?.statusCode === 'number'
                ? error.statusCode
                : undefined,
            cause: error,
          }),
        );
      },
    );
    return {
      stop: () => {
        stopped = true;
        controller.abort();
      },
    };
  }

  private async get(path: string): Promise<string> {
    let response;
    try {
      response = await kubeRequest(this.cluster, this.kubeConfig, {
        method: 'GET',
        path,
      });
    } catch (error) {
      throw new KubernetesRequestError({
        message: `${this.cluster.name} is unreachable: ${
          (error as Error).message
        }`,
        verb: 'list',
        cause: error,
      });
    }
    const { statusCode, body } = response;
    if (statusCode >= 200 && statusCode < 300) {
      return body;
    }
    const message = statusMessage(
      body,
      `${statusCode} ${response.statusMessage}`.trim(),
    );
    throw new KubernetesRequestError({
      message:
        statusCode === 401
          ? unauthorizedMessage(this.cluster, message)
          : message,
      verb: 'list',
      statusCode,
    });
  }
}
