import { KubeObject } from '@progressive-delivery/plugin-progressive-delivery-common';
import { canaryLinks, linkTemplateProblem } from './links';

const canary: KubeObject = {
  apiVersion: 'flagger.app/v1beta1',
  kind: 'Canary',
  metadata: { name: 'podinfo canary', namespace: 'tenant a' },
  spec: { targetRef: { kind: 'Deployment', name: 'podinfo&v2' } },
};

describe('canaryLinks', () => {
  it('fills in every placeholder, URL-encoded', () => {
    expect(
      canaryLinks('prod/eu 1', canary, {
        grafana:
          'https://grafana.example.com/d/flagger-istio/istio-canary?var-namespace={{namespace}}&var-primary={{primary}}&var-canary={{target}}&cluster={{ cluster }}',
        kiali:
          'https://kiali.example.com/kiali/console/namespaces/{{namespace}}/workloads/{{target}}?canary={{canary}}',
      }),
    ).toEqual([
      {
        kind: 'grafana',
        title: 'Grafana dashboard',
        url: 'https://grafana.example.com/d/flagger-istio/istio-canary?var-namespace=tenant%20a&var-primary=podinfo%26v2-primary&var-canary=podinfo%26v2&cluster=prod%2Feu%201',
      },
      {
        kind: 'kiali',
        title: 'Kiali graph',
        url: 'https://kiali.example.com/kiali/console/namespaces/tenant%20a/workloads/podinfo%26v2?canary=podinfo%20canary',
      },
    ]);
  });

  it('shows only the links configured', () => {
    expect(canaryLinks('prod', canary, undefined)).toEqual([]);
    expect(canaryLinks('prod', canary, {})).toEqual([]);
    expect(
      canaryLinks('prod', canary, { kiali: 'https://k/{{namespace}}' }).map(
        l => l.kind,
      ),
    ).toEqual(['kiali']);
  });
});

describe('linkTemplateProblem', () => {
  it('accepts an http(s) template with known placeholders', () => {
    expect(
      linkTemplateProblem('https://g/d?ns={{namespace}}&c={{canary}}'),
    ).toBeUndefined();
  });

  it.each([
    [
      'https://g/d?ns={{ns}}&x={{name}}',
      /unknown placeholders {{ns}}, {{name}}/,
    ],
    ['ftp://files.example.com/{{canary}}', /not an http\(s\) URL/],
    ['{{namespace}}/dashboards', /is not a URL/],
  ])('refuses %s', (template, problem) => {
    expect(linkTemplateProblem(template)).toMatch(problem);
  });
});
