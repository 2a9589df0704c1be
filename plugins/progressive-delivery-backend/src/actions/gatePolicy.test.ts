import { KubeObject } from '@progressive-delivery/plugin-progressive-delivery-common';
import { DEFAULT_GATE_SERVICES } from './ActionsConfig';
import { gatePortProblem, gateServiceProblem } from './gatePolicy';
import { parseServiceUrl, ServiceTarget } from './webhookTarget';

function target(url: string): ServiceTarget {
  const parsed = parseServiceUrl(url);
  if ('error' in parsed) {
    throw new Error(parsed.error);
  }
  return parsed.target;
}

const policy = { namespaces: [], services: DEFAULT_GATE_SERVICES };

// The loadtester Service of Flagger's Helm chart (fluxcd/flagger@15bd6ad
// charts/loadtester/templates/service.yaml, values.yaml service.port 80).
const loadtesterService: KubeObject = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'flagger-loadtester', namespace: 'test' },
  spec: { ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
};

describe('gateServiceProblem', () => {
  it.each([
    // Flagger's tutorials: the loadtester in the canary's namespace.
    'http://flagger-loadtester.test/gate/check',
    'http://flagger-loadtester.test.svc/rollback/check',
    'http://flagger-loadtester.test.svc.cluster.local:80/gate/check',
    'http://loadtester.test/gate/check',
  ])("accepts the canary's own namespace's loadtester: %s", url => {
    expect(gateServiceProblem(target(url), 'test', policy)).toBeUndefined();
  });

  it("refuses another namespace's loadtester, naming both namespaces", () => {
    expect(
      gateServiceProblem(
        target('http://flagger-loadtester.tenant-b/gate/check'),
        'tenant-a',
        policy,
      ),
    ).toBe(
      "the service is in namespace tenant-b, not the canary's namespace tenant-a; an administrator can allow a shared loadtester namespace in progressiveDelivery.actions.gateNamespaces",
    );
  });

  it('accepts a shared loadtester in a namespace the administrator lists', () => {
    // The Prometheus Operator tutorial's shared loadtester (docs/gitbook/tutorials/prometheus-operator.md).
    const shared = target('http://loadtester.flagger-system/gate/check');
    const withShared = { ...policy, namespaces: ['flagger-system'] };
    expect(gateServiceProblem(shared, 'test', withShared)).toBeUndefined();
    expect(
      gateServiceProblem(
        target('http://flagger-loadtester.kube-system/gate/check'),
        'test',
        withShared,
      ),
    ).toBe(
      "the service is in namespace kube-system, not the canary's namespace test or one of progressiveDelivery.actions.gateNamespaces (flagger-system)",
    );
  });

  it('refuses another service of the same namespace', () => {
    expect(
      gateServiceProblem(
        target('http://podinfo.test:9898/gate/check'),
        'test',
        policy,
      ),
    ).toBe(
      'service podinfo is not a loadtester: gates are only called on a Service named flagger-loadtester or loadtester (progressiveDelivery.actions.gateServices)',
    );
    expect(
      gateServiceProblem(target('http://gates.test/gate/check'), 'test', {
        ...policy,
        services: ['gates'],
      }),
    ).toBeUndefined();
  });
});

describe('gatePortProblem', () => {
  it('accepts a port the Service declares', () => {
    expect(
      gatePortProblem(
        target('http://flagger-loadtester.test/gate/check'),
        loadtesterService,
        'prod',
      ),
    ).toBeUndefined();
  });

  it('refuses another port, naming the declared ones', () => {
    expect(
      gatePortProblem(
        target('http://flagger-loadtester.test:8080/gate/check'),
        loadtesterService,
        'prod',
      ),
    ).toBe(
      'port 8080 is not a port of Service test/flagger-loadtester, which declares 80',
    );
    expect(
      gatePortProblem(
        target('https://flagger-loadtester.test/gate/check'),
        loadtesterService,
        'prod',
      ),
    ).toBe(
      'port 443 is not a port of Service test/flagger-loadtester, which declares 80',
    );
    expect(
      gatePortProblem(
        target('http://flagger-loadtester.test/gate/check'),
        { ...loadtesterService, spec: {} },
        'prod',
      ),
    ).toBe(
      'port 80 is not a port of Service test/flagger-loadtester, which declares none',
    );
  });

  it('refuses a Service that does not exist', () => {
    expect(
      gatePortProblem(
        target('http://flagger-loadtester.test/gate/check'),
        undefined,
        'prod',
      ),
    ).toBe('Service test/flagger-loadtester does not exist in cluster prod');
  });
});
