import { stringify } from 'yaml';

/** What one Prometheus scrapes: exactly one simulated cluster's `/metrics`. */
export interface ScrapeTarget {
  /** The cluster's base URL, `https://127.0.0.1:6443` or `http://…`. */
  url: string;
  /** Cluster name, put on every scraped series as the `cluster` label. */
  cluster?: string;
  /** PEM file of the CA that signed the cluster's certificate (HTTPS). */
  caFile?: string;
  /** Prometheus duration between scrapes, e.g. `5s` (tests) or `15s` (demo). */
  scrapeInterval?: string;
}

/** The scrape job's name (the `job` label of every scraped series). */
export const SCRAPE_JOB = 'cluster-simulator';

const DURATION = /^(\d+(ms|s|m|h))+$/;

/**
 * The Prometheus configuration (YAML) that scrapes one simulated cluster's
 * `/metrics`: Istio's telemetry and Flagger's own metrics. Nothing else is
 * scraped (not even Prometheus itself), so every series belongs to that
 * cluster.
 */
export function prometheusConfig(target: ScrapeTarget): string {
  const url = new URL(target.url);
  const scheme = url.protocol.replace(/:$/, '');
  if (scheme !== 'http' && scheme !== 'https') {
    throw new Error(`cannot scrape ${target.url}: not an http(s) URL`);
  }
  const interval = target.scrapeInterval ?? '15s';
  if (!DURATION.test(interval)) {
    throw new Error(`scrape interval "${interval}" is not a duration`);
  }
  const port = url.port || (scheme === 'https' ? '443' : '80');
  const job: Record<string, unknown> = {
    job_name: SCRAPE_JOB,
    scheme,
    metrics_path: `${url.pathname.replace(/\/$/, '')}/metrics`,
    scrape_interval: interval,
    scrape_timeout: interval,
    ...(scheme === 'https' && target.caFile
      ? { tls_config: { ca_file: target.caFile } }
      : {}),
    static_configs: [
      {
        targets: [`${url.hostname}:${port}`],
        ...(target.cluster ? { labels: { cluster: target.cluster } } : {}),
      },
    ],
  };
  return stringify({
    global: { scrape_interval: interval, evaluation_interval: interval },
    scrape_configs: [job],
  });
}
