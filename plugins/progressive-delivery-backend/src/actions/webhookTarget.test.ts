import {
  gateEndpoint,
  parseServiceUrl,
  serviceProxyPath,
} from './webhookTarget';

describe('parseServiceUrl', () => {
  it.each([
    ['http://flagger-loadtester.tenant-a/gate/check', 'tenant-a', '80'],
    ['http://flagger-loadtester.tenant-a.svc/gate/check', 'tenant-a', '80'],
    [
      'http://flagger-loadtester.tenant-a.svc.cluster.local:8080/gate/check',
      'tenant-a',
      '8080',
    ],
    ['https://flagger-loadtester.test:8443/gate/check', 'test', 'https:8443'],
  ])('accepts the cluster-local service %s', (url, namespace, port) => {
    expect(parseServiceUrl(url)).toEqual({
      target: {
        service: 'flagger-loadtester',
        namespace,
        port,
        path: '/gate/check',
      },
    });
  });

  it.each([
    ['https://hooks.example.com/gate/check', /not a cluster-local service/],
    ['http://evil.example.com.tenant-a/gate', /not a cluster-local service/],
    ['http://10.0.0.12/gate/check', /not a cluster-local service/],
    ['http://10.12:80/gate/check', /not a cluster-local service/],
    ['http://[::1]/gate/check', /not a cluster-local service/],
    ['http://loadtester/gate/check', /not a cluster-local service/],
    ['http://a.b.svc.cluster.example/gate/check', /not a cluster-local/],
    ['ftp://flagger-loadtester.tenant-a/gate/check', /scheme ftp:/],
    ['file:///etc/passwd', /scheme file:/],
    ['http://user:pw@flagger-loadtester.tenant-a/gate', /user information/],
    ['not a url', /not a URL/],
  ])('refuses %s', (url, reason) => {
    const result = parseServiceUrl(url);
    expect('error' in result && result.error).toMatch(reason);
  });
});

describe('serviceProxyPath', () => {
  it('addresses the service port through the API server proxy', () => {
    expect(
      serviceProxyPath(
        {
          service: 'flagger-loadtester',
          namespace: 'tenant-a',
          port: '80',
          path: '/gate/check',
        },
        '/gate/open',
      ),
    ).toBe(
      '/api/v1/namespaces/tenant-a/services/flagger-loadtester:80/proxy/gate/open',
    );
    expect(
      serviceProxyPath(
        { service: 'lt', namespace: 'ns', port: 'https:8443', path: '/' },
        '/rollback/open',
      ),
    ).toBe('/api/v1/namespaces/ns/services/https:lt:8443/proxy/rollback/open');
  });
});

describe('gateEndpoint', () => {
  it('maps check endpoints to open and close', () => {
    expect(gateEndpoint('/gate/check', 'open')).toBe('/gate/open');
    expect(gateEndpoint('/rollback/check', 'close')).toBe('/rollback/close');
    expect(gateEndpoint('/loadtester/gate/check/', 'open')).toBe(
      '/loadtester/gate/open',
    );
  });

  it('has no gate for static or task endpoints', () => {
    expect(gateEndpoint('/gate/approve', 'open')).toBeUndefined();
    expect(gateEndpoint('/', 'open')).toBeUndefined();
  });

  it('refuses paths that could leave the service proxy', () => {
    expect(gateEndpoint('/x%2F..%2F..%2Fgate/check', 'open')).toBeUndefined();
    expect(gateEndpoint('/../gate/check', 'open')).toBeUndefined();
    expect(gateEndpoint('/a/./gate/check', 'open')).toBeUndefined();
    expect(gateEndpoint('/gate/check?x=/', 'open')).toBeUndefined();
  });
});
