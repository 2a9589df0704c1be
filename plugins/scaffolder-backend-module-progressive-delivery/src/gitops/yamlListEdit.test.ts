import { addToYamlList } from './yamlListEdit';

const overlay = `# Production EU 1: everything this cluster runs
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  # platform
  - ../../base/istio-system
  - ../../base/observability # Prometheus, Grafana
  # tenants
  - ../../base/team-a
patches:
  - path: cluster-values.yaml
`;

describe('addToYamlList', () => {
  it('appends the entry and keeps the other entries and comments', () => {
    const result = addToYamlList(
      overlay,
      ['resources'],
      '../../base/payments',
      'kustomization.yaml',
    );
    expect(result).toEqual({
      status: 'added',
      text: `# Production EU 1: everything this cluster runs
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  # platform
  - ../../base/istio-system
  - ../../base/observability # Prometheus, Grafana
  # tenants
  - ../../base/team-a
  - ../../base/payments
patches:
  - path: cluster-values.yaml
`,
    });
  });

  it('finds an entry already present, however it is spelled', () => {
    expect(
      addToYamlList(
        overlay.replace('../../base/team-a', '../../base/team-a/'),
        ['resources'],
        '../../base/team-a',
        'kustomization.yaml',
      ),
    ).toEqual({ status: 'present', existing: '../../base/team-a/' });
  });

  it('creates the list when the file has none', () => {
    const result = addToYamlList(
      'apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata:\n  name: tenants\n',
      ['spec', 'targets'],
      './kubernetes/apps/base/payments/catalog-info.yaml',
      'catalog-info.yaml',
    );
    expect(result.status).toBe('added');
    expect(result.status === 'added' && result.text).toContain(
      'spec:\n  targets:\n    - ./kubernetes/apps/base/payments/catalog-info.yaml\n',
    );
  });

  it('refuses a file that is not YAML or whose list is not a list', () => {
    expect(() =>
      addToYamlList('resources: [a', ['resources'], 'b', 'k.yaml'),
    ).toThrow(/k.yaml is not valid YAML/);
    expect(() =>
      addToYamlList('resources: a\n', ['resources'], 'b', 'k.yaml'),
    ).toThrow('k.yaml: resources is not a list');
  });
});
