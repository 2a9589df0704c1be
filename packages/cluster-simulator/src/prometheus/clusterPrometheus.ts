import path from 'node:path';
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
