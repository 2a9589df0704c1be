export interface Config {
  scaffolder?: {
    defaultEnvironment?: {
      /**
       * The new-tenant template reads its GitOps repository from here; templates see the same
       * values as `${{ environment.parameters.* }}`. The scaffolder requires string values.
       */
      parameters?: {
        /** `github.com?owner=acme&repo=gitops` (the RepoUrlPicker format). */
        gitopsRepoUrl?: string;
        /** Branch pull requests target; default `main`. */
        gitopsBranch?: string;
        /** Default `kubernetes/apps/base`. */
        gitopsBasePath?: string;
        /** Default `kubernetes/apps/overlays`. */
        gitopsOverlaysPath?: string;
        /** Comma-separated cluster (overlay) names, e.g. `prod-eu-1,dev-eu-1`. */
        gitopsClusters?: string;
        /** The catalog Location file listing tenants; default `catalog-info.yaml`. */
        gitopsCatalogPath?: string;
      };
    };
  };
  progressiveDelivery?: {
    /** Mesh defaults of the tenants the new-tenant template generates. */
    tenantTemplate?: {
      /** Istio Gateway as `<namespace>/<name>`; default `istio-system/public-gateway`. */
      gateway?: string;
      /** Ingress gateway service account as `<namespace>/<name>`; default `istio-system/istio-ingressgateway-service-account`. */
      ingressGatewayServiceAccount?: string;
      /** Prometheus the MetricTemplates query; default `http://prometheus.istio-system:9090`. */
      prometheusUrl?: string;
      /** Namespace of `flagger-loadtester`; default `flagger-system`. */
      loadtesterNamespace?: string;
      /** Canary hosts are `<app>.<tenant>.<appDomain>` when set. */
      appDomain?: string;
    };
  };
}
