import { shownLinks } from './canaryLinks';

describe('shownLinks', () => {
  it('keeps http(s) links, Grafana first, and drops anything else', () => {
    expect(
      shownLinks([
        { kind: 'kiali', title: 'Kiali graph', url: 'https://kiali.test/x' },
        // A script URL on purpose: it must never become a button.
        // eslint-disable-next-line no-script-url
        { kind: 'grafana', title: 'Grafana', url: 'javascript:alert(1)' },
        { kind: 'grafana', title: 'Grafana dashboard', url: 'http://g.test/d' },
        { kind: 'kiali', title: 'Broken', url: 'not a url' },
      ]),
    ).toEqual([
      { kind: 'grafana', title: 'Grafana dashboard', url: 'http://g.test/d' },
      { kind: 'kiali', title: 'Kiali graph', url: 'https://kiali.test/x' },
    ]);
    expect(shownLinks(undefined)).toEqual([]);
  });
});
