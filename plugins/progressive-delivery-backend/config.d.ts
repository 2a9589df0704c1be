export interface Config {
  /**
   * The Backstage Kubernetes plugin's configuration; Progressive Delivery reads its clusters so
   * that they are configured once.
   */
  kubernetes?: {
    clusterLocatorMethods?: Array<{
      /**
       * `config`, `catalog`, `localKubectlProxy` are read as the Kubernetes plugin reads them;
       * `gke` is reported as unsupported.
       * @visibility frontend
       */
      type: string;
      /** `catalog`: hosts (or `*.domain`) whose API server URL may be private or plain HTTP. */
      dangerouslyAllowClusterUrls?: string[];
      /** `catalog`: honour `kubernetes.io/skip-tls-verify` annotations. */
      dangerouslyAllowSkipTLSVerify?: boolean;
      /** `gke`: the project (named in the unsupported cluster's error). */
      projectId?: string;
      clusters?: Array<{
        /** @visibility frontend */
        name: string;
        /** @visibility frontend */
        url: string;
        /**
         * serviceAccount (without a token: the pod's own), azure, aws, googleServiceAccount,
         * localKubectlProxy; aks, google and oidc sign actions in as the user and need
         * serviceAccountToken for watching.
         * @visibility frontend
         */
        authProvider?: string;
        /** @visibility frontend */
        title?: string;
        /** oidc: the frontend's OIDC token provider. */
        oidcTokenProvider?: string;
        /** aws: the role to assume. */
        assumeRole?: string;
        /** aws: the external id of the assumed role. */
        externalId?: string;
        /** @visibility secret */
        serviceAccountToken?: string;
        /** @visibility secret */
        caData?: string;
        /** @visibility secret */
        caFile?: string;
        /** @visibility frontend */
        skipTLSVerify?: boolean;
        /** @visibility secret */
        authMetadata?: {
          [key: string]: string;
        };
      }>;
    }>;
  };

  /** Progressive Delivery plugin settings. All optional. */
  progressiveDelivery?: {
    /**
     * Watch only these clusters (names from `kubernetes.clusterLocatorMethods`, catalog
     * clusters included). Narrows, never adds.
     */
    clusters?: string[];
    /** How often the catalog's kubernetes-cluster Resources are read again, in seconds. Default 60. */
    catalogClusterRefreshSeconds?: number;
    /**
     * The in-cluster service account token file (a serviceAccount cluster without a token).
     * Default `/var/run/secrets/kubernetes.io/serviceaccount/token`; for tests.
     */
    inClusterTokenFile?: string;
    /** Where the localKubectlProxy locator's `kubectl proxy` listens. Default `http://localhost:8001`; for tests. */
    localKubectlProxyUrl?: string;
    /**
     * Watch only these kinds, e.g. `[Canary, Deployment, Event, Kustomization, GitRepository]`.
     * Default: every supported kind.
     */
    kinds?: string[];
    /** Istio's root namespace, where mesh-wide policies live. Default `istio-system`. */
    istioRootNamespace?: string;
    /**
     * How many kinds of one cluster are listed at once, Canaries first. Default 4. At start (and
     * after a watch expired) a cluster's Canaries arrive before its bulk kinds, so entities are
     * answerable while the rest is still listing.
     */
    listConcurrency?: number;
    /** Reconnect backoff after a failed list or watch. */
    backoff?: {
      /** First delay in milliseconds. Default 500. */
      initialMs?: number;
      /** Largest delay in milliseconds. Default 30000. */
      maxMs?: number;
    };
    /** The rollout history in the plugin's database. */
    history?: {
      /**
       * Rollouts that ended more than this many days ago (and older Flagger events) are
       * deleted once a day. Default 90.
       */
      retentionDays?: number;
    };
    /** Live streams of entity states (server-sent events). */
    streams?: {
      /**
       * Open streams one user may hold on one entity (the app opens one per browser tab); one
       * more is refused with 429 and Retry-After. Default 4.
       */
      perEntityPerUser?: number;
      /** Open streams in all; one more is refused with 503 and Retry-After. Default 2000. */
      max?: number;
    };
    /**
     * How long a call to a cluster may take, in milliseconds, before it ends. An action's write
     * that was sent and got no answer within it is reported and audited as "outcome unknown"
     * (504). Default 10000.
     */
    clusterCallTimeoutMs?: number;
    /** The actions (approve, halt, rollback, reconcile, suspend, resume). */
    actions?: {
      /**
       * Namespaces besides the canary's own whose loadtester a canary's gate webhooks may name,
       * e.g. a shared loadtester in `flagger-system`. Default none.
       */
      gateNamespaces?: string[];
      /**
       * The names of loadtester Services: a gate webhook naming another Service is refused.
       * Default `[flagger-loadtester, loadtester]`.
       */
      gateServices?: string[];
    };
    /**
     * Backstage notifications (`@backstage/plugin-notifications-backend`) to the owners of a
     * canary's catalog entity when its rollout waits at a gate, fails or is rolled back, and
     * optionally when it succeeds: one per rollout transition across replicas. Users mute them
     * by topic (`progressive-delivery:gate-waiting`, `progressive-delivery:rollout-failed`,
     * `progressive-delivery:rollout-succeeded`) in their notification settings. Links use
     * `app.baseUrl`.
     */
    notifications?: {
      /** Send them at all. Default true. */
      enabled?: boolean;
      /** Also when a rollout succeeds. Default false. */
      onSuccess?: boolean;
    };
    /**
     * The analysis evaluator: measures each canary's metric checks (canary and primary) against
     * the cluster's Prometheus once per analysis interval while Flagger analyses it.
     */
    analysis?: {
      /** Query Prometheus at all (dashboard links are shown either way). Default true. */
      enabled?: boolean;
      /** The timeout of every Prometheus call, in milliseconds. Default: `clusterCallTimeoutMs` (10000). */
      timeoutMs?: number;
      /**
       * The namespace Flagger runs in: a bare address (`http://prometheus:9090`) resolves
       * there. Default `istio-system`.
       */
      flaggerNamespace?: string;
      /** Points kept in memory per check and rollout (the oldest go first). Default 240. */
      maxPoints?: number;
      /** Per cluster (a name from `kubernetes.clusterLocatorMethods`). */
      clusters?: {
        [cluster: string]: {
          /**
           * Flagger's `-metrics-server` in that cluster, where built-in checks go. Default
           * Flagger's `http://prometheus:9090`.
           */
          metricsServer?: string;
          /** Flagger's `-mesh-provider` in that cluster. Default `istio`. */
          meshProvider?: string;
          /**
           * A Prometheus-compatible API for this cluster (Thanos, Mimir, a managed Prometheus):
           * when set, every prometheus query of the cluster goes here instead of through the
           * API server's service proxy.
           */
          prometheus?: {
            /** Base URL; `/api/v1/query` is appended to its path. */
            url: string;
            /** @visibility secret */
            bearerToken?: string;
            basicAuth?: {
              username: string;
              /** @visibility secret */
              password: string;
            };
            /**
             * Further request headers, e.g. `X-Scope-OrgID`.
             * @visibility secret
             */
            headers?: { [name: string]: string };
          };
          /**
           * Dashboard URL templates; `{{namespace}}`, `{{canary}}` (the Canary's name),
           * `{{target}}` (the canary workload), `{{primary}}` (`<target>-primary`) and
           * `{{cluster}}` are filled in, URL-encoded. Shown only when configured.
           */
          links?: {
            grafana?: string;
            kiali?: string;
          };
        };
      };
    };
  };
}
