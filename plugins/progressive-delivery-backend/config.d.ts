export interface Config {
  /**
   * The Backstage Kubernetes plugin's configuration; Progressive Delivery reads its clusters so
   * that they are configured once.
   */
  kubernetes?: {
    clusterLocatorMethods?: Array<{
      /**
       * Only `config` locators are read.
       * @visibility frontend
       */
      type: string;
      clusters?: Array<{
        /** @visibility frontend */
        name: string;
        /** @visibility frontend */
        url: string;
        /**
         * Only `serviceAccount` is supported.
         * @visibility frontend
         */
        authProvider?: string;
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
    /** Watch only these clusters (names from `kubernetes.clusterLocatorMethods`). */
    clusters?: string[];
    /**
     * Watch only these kinds, e.g. `[Canary, Deployment, Event, Kustomization, GitRepository]`.
     * Default: every supported kind.
     */
    kinds?: string[];
    /** Istio's root namespace, where mesh-wide policies live. Default `istio-system`. */
    istioRootNamespace?: string;
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
  };
}
