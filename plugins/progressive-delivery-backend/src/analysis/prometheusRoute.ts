import { AnalysisQueryProvider } from '@progressive-delivery/plugin-progressive-delivery-common';
import { parseServiceUrl, ServiceTarget } from '../watch/serviceProxy';
import { ClusterAnalysisConfig, ConfiguredPrometheus } from './AnalysisConfig';

/**
 * Where the evaluator sends a check's query: a cluster-local Prometheus through the cluster's
 * API server service proxy, or the Prometheus URL configured for the cluster.
 */
export type PrometheusRoute =
  | {
      kind: 'proxy';
      cluster: string;
      target: ServiceTarget;
      /** The address as the object gives it. */
      address: string;
      /** The MetricTemplate's Secret, when it names one (the plugin never reads it). */
      secretRef?: string;
      /** `service proxy <address>`: shown with the check. */
      source: string;
    }
  | {
      kind: 'configured';
      cluster: string;
      prometheus: ConfiguredPrometheus;
      /** `configured <url>` (never credentials). */
      source: string;
    };

/** Why a check's queries are not sent anywhere. */
export interface RouteRefusal {
  refused: string;
}

/** The config key of a cluster's Prometheus URL, as messages name it. */
export const prometheusUrlKey = (cluster: string) =>
  `progressiveDelivery.analysis.clusters.${cluster}.prometheus.url`;

/**
 * Routes a provider the way the issue confines it: a non-prometheus provider is not supported;
 * with a URL configured for the cluster every prometheus query goes there; else the address
 * must name a cluster-local service (`http(s)://<svc>.<ns>[.svc[.cluster.local]][:port]`, or a
 * bare `<svc>` in Flagger's namespace, where Flagger resolves it), reached through the service
 * proxy. Nothing else is called: an address from an object is never fetched directly.
 */
export function routePrometheus(
  provider: AnalysisQueryProvider,
  cluster: string,
  settings: {
    flaggerNamespace: string;
    cluster: ClusterAnalysisConfig | undefined;
  },
): PrometheusRoute | RouteRefusal {
  if (provider.type !== 'prometheus') {
    return {
      refused: `provider type "${provider.type}" is not supported: the plugin queries Prometheus only`,
    };
  }
  const configured = settings.cluster?.prometheus;
  if (configured) {
    return {
      kind: 'configured',
      cluster,
      prometheus: configured,
      source: `configured ${configured.url}`,
    };
  }
  const address = provider.address ?? '';
  const parsed = parseServiceUrl(address, {
    bareHostNamespace: settings.flaggerNamespace,
  });
  if ('error' in parsed) {
    return {
      refused: `address ${
        address || '""'
      } is neither a cluster-local service nor configured (${
        parsed.error
      }); the plugin calls in-cluster services only through the API server's service proxy: set ${prometheusUrlKey(
        cluster,
      )} to query another Prometheus for this cluster`,
    };
  }
  return {
    kind: 'proxy',
    cluster,
    target: parsed.target,
    address,
    secretRef: provider.secretRef,
    source: `service proxy ${address}`,
  };
}
