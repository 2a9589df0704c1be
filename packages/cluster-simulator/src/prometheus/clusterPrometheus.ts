import path from 'node:path';
import { PROMETHEUS_SERVICE } from '../scenarios/builders/istio';
import { PrometheusServer } from './PrometheusServer';

/** A simulated cluster as `Simulator.clusters` lists it. */
export interface PrometheusClusterTarget {
  name: string;
  url: string;
  /** Base64 PEM of the cluster's CA (HTTPS). */
  caData?: string;
  caFile?: string;
}

export interface ClusterPrometheusOptions {
  /** Port of the first cluster's Prometheus, the next ones on +1, +2, … (default: free ports). */
  firstPort?: number;
  /** Parent folder: each cluster's config and TSDB go to `<dir>/<cluster>/` (default: temporary). */
  dir?: string;
  /** Prometheus duration between scrapes (default `15s`). */
  scrapeInterval?: string;
  binary?: string;
}

/**
 * One Prometheus per simulated cluster, each scraping only its own cluster's
 * `/metrics` (series carry `cluster="<name>"`). Started one after another;
 * if one fails, those already started are stopped again.
 */
export async function startClusterPrometheus(
  clusters: PrometheusClusterTarget[],
  options: ClusterPrometheusOptions = {},
): Promise<Map<string, PrometheusServer>> {
  const servers = new Map<string, PrometheusServer>();
  try {
    for (const [i, cluster] of clusters.entries()) {
      const server = await PrometheusServer.start({
        url: cluster.url,
        cluster: cluster.name,
        caFile: cluster.caData ? undefined : cluster.caFile,
        caPem: cluster.caData
          ? Buffer.from(cluster.caData, 'base64').toString('utf8')
          : undefined,
        scrapeInterval: options.scrapeInterval,
        binary: options.binary,
        port: options.firstPort ? options.firstPort + i : undefined,
        dir: options.dir ? path.join(options.dir, cluster.name) : undefined,
      });
      servers.set(cluster.name, server);
    }
  } catch (e) {
    await Promise.all([...servers.values()].map(s => s.stop()));
    throw e;
  }
  return servers;
}

/** What `routeClusterPrometheus` needs of a simulator: its clusters' upstream registration. */
export interface UpstreamRegistry {
  cluster(name: string): {
    registerUpstream(
      namespace: string,
      service: string,
      port: number,
      baseUrl: string,
    ): () => void;
  };
}

/**
 * Makes each cluster's service proxy forward its `istio-system/prometheus:9090`
 * to the Prometheus started for that cluster, so
 * `/api/v1/namespaces/istio-system/services/prometheus:9090/proxy/api/v1/query?...`
 * on the cluster's API server (what Flagger's `http://prometheus.istio-system:9090`
 * reaches in a real cluster) answers from it. Returns the undo.
 */
export function routeClusterPrometheus(
  simulator: UpstreamRegistry,
  servers: Map<string, { url: string }>,
): () => void {
  const { namespace, name, port } = PROMETHEUS_SERVICE;
  const undo = [...servers].map(([cluster, server]) =>
    simulator
      .cluster(cluster)
      .registerUpstream(namespace, name, port, server.url),
  );
  return () => undo.forEach(u => u());
}

/**
 * `startClusterPrometheus` for every cluster of a simulator, each then served
 * through its cluster's service proxy (`routeClusterPrometheus`). The CLI's
 * `--prometheus-port` and tests use it.
 */
export async function startSimulatorPrometheus(
  simulator: UpstreamRegistry & { clusters: PrometheusClusterTarget[] },
  options: ClusterPrometheusOptions = {},
): Promise<Map<string, PrometheusServer>> {
  const servers = await startClusterPrometheus(simulator.clusters, options);
  routeClusterPrometheus(simulator, servers);
  return servers;
}
