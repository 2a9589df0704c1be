import { ConfigReader } from '@backstage/config';
import { TenantTemplateSettings } from './TenantTemplateSettings';

describe('TenantTemplateSettings', () => {
  it('reads the layout from the scaffolder default environment, with defaults', () => {
    const settings = TenantTemplateSettings.fromConfig(
      new ConfigReader({
        scaffolder: {
          defaultEnvironment: {
            parameters: {
              gitopsRepoUrl: 'github.com?owner=acme&repo=gitops',
              gitopsClusters: ' prod-eu-1 ,dev-eu-1,',
              gitopsBasePath: './kubernetes/apps/base/',
            },
          },
        },
      }),
    );
    expect(settings.layout).toEqual({
      repoUrl: 'github.com?owner=acme&repo=gitops',
      branch: 'main',
      basePath: 'kubernetes/apps/base',
      overlaysPath: 'kubernetes/apps/overlays',
      catalogPath: 'catalog-info.yaml',
      clusters: ['prod-eu-1', 'dev-eu-1'],
    });
    expect(settings.mesh).toEqual({
      gateway: { namespace: 'istio-system', name: 'public-gateway' },
      ingressGatewayServiceAccount: {
        namespace: 'istio-system',
        name: 'istio-ingressgateway-service-account',
      },
      prometheusUrl: 'http://prometheus.istio-system:9090',
      loadtesterNamespace: 'flagger-system',
      appDomain: undefined,
    });
  });

  it('names every missing or invalid setting', () => {
    expect(() =>
      TenantTemplateSettings.fromConfig(
        new ConfigReader({
          scaffolder: {
            defaultEnvironment: { parameters: { gitopsClusters: 'Prod_1' } },
          },
        }),
      ),
    ).toThrow(
      'The new-tenant template is not configured: scaffolder.defaultEnvironment.parameters.gitopsRepoUrl is not set; scaffolder.defaultEnvironment.parameters.gitopsClusters: "Prod_1" is not a DNS-1123 label',
    );
    expect(() =>
      TenantTemplateSettings.fromConfig(
        new ConfigReader({
          scaffolder: {
            defaultEnvironment: {
              parameters: {
                gitopsRepoUrl: 'github.com?owner=a&repo=b',
                gitopsClusters: 'c',
              },
            },
          },
          progressiveDelivery: {
            tenantTemplate: { gateway: 'public-gateway' },
          },
        }),
      ),
    ).toThrow(
      'progressiveDelivery.tenantTemplate.gateway: expected <namespace>/<name>, got "public-gateway"',
    );
  });
});
