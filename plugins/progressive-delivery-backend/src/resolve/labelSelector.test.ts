import { matchesSelector, parseLabelSelector } from './labelSelector';

describe('label selectors', () => {
  it.each<[string, Record<string, string>, boolean]>([
    ['app=podinfo', { app: 'podinfo' }, true],
    ['app==podinfo', { app: 'frontend' }, false],
    ['app!=podinfo', {}, true],
    ['tier in (web, api),app', { tier: 'api', app: 'x' }, true],
    ['tier notin (web)', { tier: 'web' }, false],
    ['!legacy', { legacy: 'true' }, false],
    [
      'backstage.io/kubernetes-id=podinfo',
      { 'backstage.io/kubernetes-id': 'podinfo' },
      true,
    ],
  ])('%s on %j is %s', (selector, labels, expected) => {
    expect(matchesSelector(parseLabelSelector(selector), labels)).toBe(
      expected,
    );
  });

  it('rejects malformed terms', () => {
    expect(() => parseLabelSelector('app=(podinfo')).toThrow(
      /invalid label selector term/,
    );
  });
});
