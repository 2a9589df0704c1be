import { AnalysisFault } from '@progressive-delivery/plugin-progressive-delivery-common';
import { KubeConfig } from '@kubernetes/client-node';
import { STATUS_CODES } from 'node:http';
import pLimit from 'p-limit';
import {
  kubeConfigFor,
  kubeRequest,
  statusMessage,
} from '../watch/kubeRequest';
import { serviceProxyPath } from '../watch/serviceProxy';
import { ClusterConfig } from '../watch/WatchConfig';
import { PrometheusRoute, prometheusUrlKey } from './prometheusRoute';
import {
  prometheusError,
  QueryReading,
  readInstantResult,
  readRangeResult,
} from './prometheusResult';

/** An HTTP answer, from Prometheus or from the API server's proxy in front of it. */
export interface HttpAnswer {
  statusCode: number;
  statusMessage?: string;
  body: string;
}

/**
 * Sends one GET to a routed Prometheus. Rejects only when nothing answered (connection refused,
 * timeout); any HTTP status is an answer.
 */
export interface PrometheusTransport {
  get(
    route: PrometheusRoute,
    apiPath: string,
    params: URLSearchParams,
  ): Promise<HttpAnswer>;
}

/** Go's path.Join of the address' path and the API path, as Flagger builds the query URL. */
export function joinApiPath(basePath: string, apiPath: string): string {
  return `${basePath.replace(/\/+$/, '')}${apiPath}`;
}

/**
 * Queries in flight to one Prometheus (one cluster's service proxy, or one configured origin).
 * Canaries that share an interval ask at the same moment: without a bound each query opened a
 * connection of its own (1,362 of them, 3 MB of heap, for the bench's 500 canaries under
 * analysis). Flagger itself asks one query at a time per canary.
 */
export const MAX_QUERIES_IN_FLIGHT = 10;

/**
 * The real transport: the service proxy with the cluster's credentials (`kubeRequest`, as the
 * actions call it), or the configured URL with its credentials, both under one timeout that
 * starts when the query is sent (not while it waits for its turn).
 */
export class HttpPrometheusTransport implements PrometheusTransport {
  private readonly kubeConfigs = new Map<string, KubeConfig>();
  private readonly limits = new Map<string, pLimit.Limit>();

  constructor(
    private readonly clusters: ClusterConfig[],
    private readonly timeoutMs: number,
  ) {}

  get(
    route: PrometheusRoute,
    apiPath: string,
    params: URLSearchParams,
  ): Promise<HttpAnswer> {
    const target =
      route.kind === 'proxy'
        ? `proxy ${route.cluster}`
        : new URL(route.prometheus.url).origin;
    let limit = this.limits.get(target);
    if (!limit) {
      limit = pLimit(MAX_QUERIES_IN_FLIGHT);
      this.limits.set(target, limit);
    }
    return limit(() => this.send(route, apiPath, params));
  }

  private async send(
    route: PrometheusRoute,
    apiPath: string,
    params: URLSearchParams,
  ): Promise<HttpAnswer> {
    if (route.kind === 'proxy') {
      const cluster = this.clusters.find(c => c.name === route.cluster);
      if (!cluster) {
        throw new Error(`cluster ${route.cluster} is not configured`);
      }
      let kubeConfig = this.kubeConfigs.get(cluster.name);
      if (!kubeConfig) {
        kubeConfig = kubeConfigFor(cluster);
        this.kubeConfigs.set(cluster.name, kubeConfig);
      }
      const path = serviceProxyPath(
        route.target,
        joinApiPath(route.target.path, apiPath),
      );
      return kubeRequest(cluster, kubeConfig, {
        method: 'GET',
        path: `${path}?${params}`,
        timeoutMs: this.timeoutMs,
      });
    }
    const { prometheus } = route;
    const url = new URL(prometheus.url);
    url.pathname = joinApiPath(url.pathname, apiPath);
    url.search = params.toString();
    const headers: Record<string, string> = {
      Accept: 'application/json',
      ...prometheus.headers,
    };
    if (prometheus.bearerToken) {
      headers.Authorization = `Bearer ${prometheus.bearerToken}`;
    } else if (prometheus.basicAuth) {
      const { username, password } = prometheus.basicAuth;
      headers.Authorization = `Basic ${Buffer.from(
        `${username}:${password}`,
      ).toString('base64')}`;
    }
    let response: Response;
    try {
      response = await fetch(url, {
        headers,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const cause =
        (error as Error).name === 'TimeoutError'
          ? `no answer within ${this.timeoutMs / 1000}s`
          : String((error as { cause?: unknown }).cause ?? error);
      throw new Error(cause);
    }
    return {
      statusCode: response.status,
      statusMessage: response.statusText,
      body: await response.text(),
    };
  }
}

/** A Kubernetes `Status` body: the API server answered, not the service behind the proxy. */
function isApiServerStatus(body: string): boolean {
  try {
    return JSON.parse(body)?.kind === 'Status';
  } catch {
    return false;
  }
}

const where = (route: PrometheusRoute) =>
  route.kind === 'proxy'
    ? `Prometheus at ${route.address} (service proxy of ${route.cluster})`
    : `Prometheus at ${route.prometheus.url} (configured for ${route.cluster})`;

/** What to do about a refusal, by route. */
function forbiddenAdvice(route: PrometheusRoute, fromApiServer: boolean) {
  if (route.kind === 'configured') {
    return `check the credentials in progressiveDelivery.analysis.clusters.${route.cluster}.prometheus`;
  }
  if (route.secretRef) {
    return `the MetricTemplate's provider names Secret ${
      route.secretRef
    } for its credentials, and the plugin does not read Secrets: set ${prometheusUrlKey(
      route.cluster,
    )} with the credentials (bearerToken, basicAuth or headers) for that cluster`;
  }
  return fromApiServer
    ? `the backend's service account needs get on services/proxy in namespace ${
        route.target.namespace
      }, or set ${prometheusUrlKey(route.cluster)}`
    : `set ${prometheusUrlKey(route.cluster)} with credentials for it`;
}

/** Turns an HTTP error answer (400 or more) into the check's fault. */
export function answerFault(
  route: PrometheusRoute,
  answer: HttpAnswer,
): AnalysisFault {
  const status = `${answer.statusCode} ${
    answer.statusMessage || STATUS_CODES[answer.statusCode] || ''
  }`.trim();
  const fromApiServer =
    route.kind === 'proxy' && isApiServerStatus(answer.body);
  if (answer.statusCode === 401 || answer.statusCode === 403) {
    const refusing = fromApiServer
      ? `cluster ${route.cluster} refused the service proxy to ${
          route.kind === 'proxy' ? route.address : ''
        } (${statusMessage(answer.body, status)})`
      : `${where(route)} answered ${status}`;
    return {
      kind: 'forbidden',
      message: `${refusing}: ${forbiddenAdvice(route, fromApiServer)}`,
    };
  }
  if (fromApiServer) {
    return {
      kind: 'unreachable',
      message: `${where(
        route,
      )}: the API server answered ${status}: ${statusMessage(
        answer.body,
        status,
      )}`,
    };
  }
  const error = prometheusError(answer.body);
  if (error) {
    return {
      kind: 'query',
      message: `${where(route)} rejected the query (${status}${
        error.errorType ? `, ${error.errorType}` : ''
      }): ${error.error}`,
    };
  }
  if ([502, 503, 504].includes(answer.statusCode)) {
    return {
      kind: 'unreachable',
      message: `${where(route)} answered ${status}: ${answer.body
        .trim()
        .slice(0, 300)}`,
    };
  }
  // Flagger: "error response: Status %d %s: %s".
  return {
    kind: 'query',
    message: `${where(route)}: error response: Status ${status}: ${answer.body
      .trim()
      .slice(0, 300)}`,
  };
}

/** A reading, or the fault of the call. */
export type QueryOutcome = { value: number } | { fault: AnalysisFault };

function readingOutcome(
  route: PrometheusRoute,
  reading: QueryReading,
): QueryOutcome {
  if ('value' in reading) {
    return reading;
  }
  return {
    fault: {
      kind: reading.problem,
      message: `${where(route)}: ${reading.detail}`,
    },
  };
}

/** Seconds since the epoch, as Prometheus reads `time`, `start` and `end` (ms precision). */
export const promTime = (ms: number) => (ms / 1000).toFixed(3);

/** Flagger's queries against a routed Prometheus: instant (as Flagger) and range (backfill). */
export class PrometheusQueries {
  constructor(private readonly transport: PrometheusTransport) {}

  /** Flagger's RunQuery at `atMs` (Flagger evaluates at its "now"; the time is given so that a
   * check's canary and primary queries are evaluated at the same instant). */
  async instant(
    route: PrometheusRoute,
    query: string,
    atMs: number,
  ): Promise<QueryOutcome> {
    const answer = await this.send(
      route,
      '/api/v1/query',
      new URLSearchParams({ query, time: promTime(atMs) }),
    );
    if ('fault' in answer) {
      return answer;
    }
    return readingOutcome(route, readInstantResult(answer.body));
  }

  /** The instant readings at `times` (ms), from one `/api/v1/query_range` with step = interval. */
  async range(
    route: PrometheusRoute,
    query: string,
    times: number[],
    stepMs: number,
  ): Promise<Map<number, QueryOutcome> | { fault: AnalysisFault }> {
    const answer = await this.send(
      route,
      '/api/v1/query_range',
      new URLSearchParams({
        query,
        start: promTime(times[0]),
        end: promTime(times[times.length - 1]),
        step: `${stepMs / 1000}`,
      }),
    );
    if ('fault' in answer) {
      return answer;
    }
    const readings = readRangeResult(
      answer.body,
      times.map(t => Number(promTime(t))),
    );
    if (!(readings instanceof Map)) {
      return readingOutcome(route, readings) as { fault: AnalysisFault };
    }
    const outcomes = new Map<number, QueryOutcome>();
    times.forEach(t =>
      outcomes.set(
        t,
        readingOutcome(route, readings.get(Number(promTime(t)))!),
      ),
    );
    return outcomes;
  }

  private async send(
    route: PrometheusRoute,
    apiPath: string,
    params: URLSearchParams,
  ): Promise<HttpAnswer | { fault: AnalysisFault }> {
    let answer: HttpAnswer;
    try {
      answer = await this.transport.get(route, apiPath, params);
    } catch (error) {
      return {
        fault: {
          kind: 'unreachable',
          message:
            route.kind === 'proxy'
              ? `cluster ${
                  route.cluster
                } is unreachable for the service proxy to ${route.address}: ${
                  (error as Error).message
                }`
              : `${where(route)} did not answer: ${(error as Error).message}`,
        },
      };
    }
    return answer.statusCode >= 400
      ? { fault: answerFault(route, answer) }
      : answer;
  }
}
