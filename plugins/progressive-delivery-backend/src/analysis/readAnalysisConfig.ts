import { Config } from '@backstage/config';
import {
  AnalysisConfig,
  ClusterAnalysisConfig,
  ConfiguredPrometheus,
  DEFAULT_ANALYSIS_CONFIG,
  LinkTemplates,
} from './AnalysisConfig';
import { linkTemplateProblem } from './links';

const KEY = 'progressiveDelivery.analysis';
// RFC 1123 label: a namespace name.
const LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
// RFC 7230 token: an HTTP header name.
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Throws when `value` is not an http(s) URL; names the key. */
function httpUrl(value: string, key: string, what = 'an http(s) URL'): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${key} must be ${what}, got "${value}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`${key} must be ${what}, got "${value}"`);
  }
  return url;
}

function positive(
  section: Config | undefined,
  field: string,
  fallback: number,
  integer = false,
): number {
  const value = section?.getOptionalNumber(field) ?? fallback;
  if (
    !Number.isFinite(value) ||
    value <= 0 ||
    (integer && !Number.isInteger(value))
  ) {
    throw new Error(
      `${KEY}.${field} must be a positive ${
        integer ? 'integer' : 'number'
      }, got ${value}`,
    );
  }
  return value;
}

function readPrometheus(config: Config, key: string): ConfiguredPrometheus {
  const url = httpUrl(config.getString('url'), `${key}.url`);
  if (url.username || url.password) {
    throw new Error(
      `${key}.url must not carry credentials; use ${key}.basicAuth or ${key}.bearerToken`,
    );
  }
  const bearerToken = config.getOptionalString('bearerToken');
  const basic = config.getOptionalConfig('basicAuth');
  if (bearerToken && basic) {
    throw new Error(`${key}: set bearerToken or basicAuth, not both`);
  }
  const headers: Record<string, string> = {};
  const headerSection = config.getOptionalConfig('headers');
  for (const name of headerSection?.keys() ?? []) {
    if (!HEADER_NAME.test(name)) {
      throw new Error(`${key}.headers: "${name}" is not an HTTP header name`);
    }
    headers[name] = headerSection!.getString(name);
  }
  const prometheus: ConfiguredPrometheus = {
    url: url.toString().replace(/\/+$/, ''),
    headers,
  };
  if (bearerToken) {
    prometheus.bearerToken = bearerToken;
  }
  if (basic) {
    prometheus.basicAuth = {
      username: basic.getString('username'),
      password: basic.getString('password'),
    };
  }
  return prometheus;
}

function readLinks(config: Config | undefined, key: string): LinkTemplates {
  const links: LinkTemplates = {};
  for (const kind of config?.keys() ?? []) {
    if (kind !== 'grafana' && kind !== 'kiali') {
      throw new Error(
        `${key}.${kind} is not a link kind; known: grafana, kiali`,
      );
    }
    const template = config!.getString(kind);
    const problem = linkTemplateProblem(template);
    if (problem) {
      throw new Error(`${key}.${kind} ${problem}: "${template}"`);
    }
    links[kind] = template;
  }
  return links;
}

function readCluster(config: Config, key: string): ClusterAnalysisConfig {
  const cluster: ClusterAnalysisConfig = {
    links: readLinks(config.getOptionalConfig('links'), `${key}.links`),
  };
  const metricsServer = config.getOptionalString('metricsServer');
  if (metricsServer !== undefined) {
    httpUrl(metricsServer, `${key}.metricsServer`);
    cluster.metricsServer = metricsServer;
  }
  const meshProvider = config.getOptionalString('meshProvider');
  if (meshProvider !== undefined) {
    cluster.meshProvider = meshProvider;
  }
  const prometheus = config.getOptionalConfig('prometheus');
  if (prometheus) {
    cluster.prometheus = readPrometheus(prometheus, `${key}.prometheus`);
  }
  return cluster;
}

/**
 * Reads `progressiveDelivery.analysis` (all optional), with errors naming the key. `clusters`
 * are the watched clusters' names: an entry for any other cluster is an error. Undefined when
 * they are not all known at start (a catalog locator adds clusters while the backend runs).
 */
export function readAnalysisConfig(
  section: Config | undefined,
  clusters: string[] | undefined,
  /** The plugin's one timeout for cluster calls (`clusterCallTimeoutMs`), the default here. */
  defaultTimeoutMs: number = DEFAULT_ANALYSIS_CONFIG.timeoutMs,
): AnalysisConfig {
  const flaggerNamespace =
    section?.getOptionalString('flaggerNamespace') ??
    DEFAULT_ANALYSIS_CONFIG.flaggerNamespace;
  if (!LABEL.test(flaggerNamespace)) {
    throw new Error(
      `${KEY}.flaggerNamespace must be a namespace name, got "${flaggerNamespace}"`,
    );
  }
  const perCluster: Record<string, ClusterAnalysisConfig> = {};
  const clusterSection = section?.getOptionalConfig('clusters');
  const names = clusterSection?.keys() ?? [];
  const unknown = clusters
    ? names.filter(name => !clusters.includes(name))
    : [];
  if (clusters && unknown.length > 0) {
    throw new Error(
      `${KEY}.clusters names clusters that are not watched: ${unknown.join(
        ', ',
      )}; watched: ${clusters.join(', ') || 'none'}`,
    );
  }
  for (const name of names) {
    perCluster[name] = readCluster(
      clusterSection!.getConfig(name),
      `${KEY}.clusters.${name}`,
    );
  }
  return {
    enabled:
      section?.getOptionalBoolean('enabled') ?? DEFAULT_ANALYSIS_CONFIG.enabled,
    timeoutMs: positive(section, 'timeoutMs', defaultTimeoutMs),
    flaggerNamespace,
    maxPoints: positive(
      section,
      'maxPoints',
      DEFAULT_ANALYSIS_CONFIG.maxPoints,
      true,
    ),
    clusters: perCluster,
  };
}
