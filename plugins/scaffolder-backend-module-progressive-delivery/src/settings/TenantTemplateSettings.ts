import { Config } from '@backstage/config';

const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Where tenants live in the GitOps repository. */
export interface GitOpsLayout {
  /** `github.com?owner=acme&repo=gitops`, the format of the scaffolder's RepoUrlPicker. */
  repoUrl: string;
  branch: string;
  /** Directory holding one directory per tenant, e.g. `kubernetes/apps/base`. */
  basePath: string;
  /** Directory holding one directory per cluster, e.g. `kubernetes/apps/overlays`. */
  overlaysPath: string;
  /** The catalog Location file that lists every tenant's `catalog-info.yaml`. */
  catalogPath: string;
  /** Cluster (overlay) names a tenant may be deployed to. */
  clusters: string[];
}

/** Mesh and delivery defaults every generated tenant points at. */
export interface MeshDefaults {
  /** Istio Gateway the tenant's VirtualServices bind to. */
  gateway: { namespace: string; name: string };
  /** Service account of the Istio ingress gateway, as `<namespace>/<name>`. */
  ingressGatewayServiceAccount: { namespace: string; name: string };
  /** Prometheus that Flagger's MetricTemplates query. */
  prometheusUrl: string;
  /** Namespace of Flagger's loadtester (`flagger-loadtester` service). */
  loadtesterNamespace: string;
  /** Domain under which canary hosts are exposed, `<app>.<tenant>.<domain>`; optional. */
  appDomain?: string;
}

/**
 * The platform's choices that a user never types: the GitOps repository and its layout (from the
 * scaffolder's `scaffolder.defaultEnvironment.parameters`, which templates also read as
 * `${{ environment.parameters.* }}`) and the mesh defaults (from `progressiveDelivery.tenantTemplate`).
 */
export class TenantTemplateSettings {
  private constructor(
    readonly layout: GitOpsLayout,
    readonly mesh: MeshDefaults,
  ) {}

  static fromConfig(config: Config): TenantTemplateSettings {
    // The scaffolder reads every parameter with getString, so lists are comma-separated strings.
    const params = config.getOptionalConfig(
      'scaffolder.defaultEnvironment.parameters',
    );
    const param = (key: string) => params?.getOptionalString(key);
    const clusters = (param('gitopsClusters') ?? '')
      .split(',')
      .map(c => c.trim())
      .filter(Boolean);
    const mesh = config.getOptionalConfig('progressiveDelivery.tenantTemplate');
    return TenantTemplateSettings.create({
      layout: {
        repoUrl: param('gitopsRepoUrl') ?? '',
        branch: param('gitopsBranch') ?? 'main',
        basePath: param('gitopsBasePath') ?? 'kubernetes/apps/base',
        overlaysPath: param('gitopsOverlaysPath') ?? 'kubernetes/apps/overlays',
        catalogPath: param('gitopsCatalogPath') ?? 'catalog-info.yaml',
        clusters,
      },
      mesh: {
        gateway: parseNamespacedName(
          mesh?.getOptionalString('gateway') ?? 'istio-system/public-gateway',
          'progressiveDelivery.tenantTemplate.gateway',
        ),
        ingressGatewayServiceAccount: parseNamespacedName(
          mesh?.getOptionalString('ingressGatewayServiceAccount') ??
            'istio-system/istio-ingressgateway-service-account',
          'progressiveDelivery.tenantTemplate.ingressGatewayServiceAccount',
        ),
        prometheusUrl:
          mesh?.getOptionalString('prometheusUrl') ??
          'http://prometheus.istio-system:9090',
        loadtesterNamespace:
          mesh?.getOptionalString('loadtesterNamespace') ?? 'flagger-system',
        appDomain: mesh?.getOptionalString('appDomain'),
      },
    });
  }

  static create(options: {
    layout: GitOpsLayout;
    mesh: MeshDefaults;
  }): TenantTemplateSettings {
    const { layout, mesh } = options;
    const problems: string[] = [];
    if (!layout.repoUrl) {
      problems.push(
        'scaffolder.defaultEnvironment.parameters.gitopsRepoUrl is not set',
      );
    }
    if (layout.clusters.length === 0) {
      problems.push(
        'scaffolder.defaultEnvironment.parameters.gitopsClusters lists no cluster',
      );
    }
    for (const cluster of layout.clusters) {
      if (!DNS_1123_LABEL.test(cluster)) {
        problems.push(
          `scaffolder.defaultEnvironment.parameters.gitopsClusters: "${cluster}" is not a DNS-1123 label`,
        );
      }
    }
    if (!DNS_1123_LABEL.test(mesh.loadtesterNamespace)) {
      problems.push(
        `progressiveDelivery.tenantTemplate.loadtesterNamespace: "${mesh.loadtesterNamespace}" is not a namespace name`,
      );
    }
    if (problems.length > 0) {
      throw new Error(
        `The new-tenant template is not configured: ${problems.join('; ')}`,
      );
    }
    return new TenantTemplateSettings(
      {
        ...layout,
        basePath: trimSlashes(layout.basePath),
        overlaysPath: trimSlashes(layout.overlaysPath),
        catalogPath: trimSlashes(layout.catalogPath),
      },
      mesh,
    );
  }
}

function parseNamespacedName(
  value: string,
  key: string,
): { namespace: string; name: string } {
  const [namespace, name, ...rest] = value.split('/');
  if (
    rest.length > 0 ||
    !namespace ||
    !name ||
    !DNS_1123_LABEL.test(namespace)
  ) {
    throw new Error(`${key}: expected <namespace>/<name>, got "${value}"`);
  }
  return { namespace, name };
}

function trimSlashes(path: string): string {
  return path.replace(/^\.?\/+/, '').replace(/\/+$/, '');
}
