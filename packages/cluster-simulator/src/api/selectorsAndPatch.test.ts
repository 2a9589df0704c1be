import { applyJsonPatch, applyMergePatch, PatchError } from './patch';
import {
  matchesFields,
  matchesLabels,
  parseFieldSelector,
  parseLabelSelector,
  SelectorError,
} from './selectors';
import { KubeObject } from '../types';

describe('label selectors', () => {
  const labels = {
    app: 'podinfo',
    tier: 'web',
    'backstage.io/kubernetes-id': 'podinfo',
  };
  it.each([
    ['app=podinfo', true],
    ['app==podinfo', true],
    ['app!=podinfo', false],
    ['app!=other', true],
    ['missing!=x', true],
    ['app in (podinfo, frontend)', true],
    ['app in (frontend)', false],
    ['app notin (frontend)', true],
    ['missing notin (x)', true],
    ['tier', true],
    ['!tier', false],
    ['!missing', true],
    ['app=podinfo,tier in (web),backstage.io/kubernetes-id=podinfo', true],
    ['app=podinfo,tier notin (web)', false],
    ['', true],
  ])('%s -> %s', (selector, expected) => {
    expect(matchesLabels(parseLabelSelector(selector), labels)).toBe(expected);
  });

  it('rejects malformed selectors', () => {
    expect(() => parseLabelSelector('app in podinfo')).toThrow(SelectorError);
  });
});

describe('field selectors', () => {
  const event: KubeObject = {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: 'podinfo.1', namespace: 'tenant-a' },
    involvedObject: { kind: 'Canary', name: 'podinfo', namespace: 'tenant-a' },
    reason: 'Synced',
    type: 'Warning',
    source: { component: 'flagger' },
  };
  it.each([
    ['involvedObject.kind=Canary,involvedObject.name=podinfo', true],
    ['involvedObject.name!=podinfo', false],
    ['metadata.namespace=tenant-a', true],
    ['source=flagger,type=Warning', true],
    ['reason=Synced,metadata.name=other', false],
  ])('%s -> %s', (selector, expected) => {
    expect(matchesFields(parseFieldSelector(selector, 'Event'), event)).toBe(
      expected,
    );
  });

  it('only allows the fields Kubernetes indexes for the kind', () => {
    expect(() =>
      parseFieldSelector('involvedObject.name=x', 'Deployment'),
    ).toThrow('field label not supported: involvedObject.name');
  });
});

describe('patches', () => {
  const base = {
    metadata: { name: 'a', labels: { x: '1', y: '2' } },
    spec: { list: [1, 2, 3], suspend: false },
  };

  it('merge patch: merges objects, replaces lists, deletes with null', () => {
    expect(
      applyMergePatch(base, {
        metadata: { labels: { y: null, z: '3' } },
        spec: { list: [9], suspend: true },
      }),
    ).toEqual({
      metadata: { name: 'a', labels: { x: '1', z: '3' } },
      spec: { list: [9], suspend: true },
    });
  });

  it('JSON patch: add, remove, replace, move, copy, test', () => {
    expect(
      applyJsonPatch(base, [
        { op: 'test', path: '/spec/suspend', value: false },
        { op: 'replace', path: '/spec/suspend', value: true },
        { op: 'add', path: '/spec/list/-', value: 4 },
        { op: 'remove', path: '/spec/list/0' },
        { op: 'add', path: '/metadata/annotations', value: { 'a~b/c': 'v' } },
        {
          op: 'copy',
          from: '/metadata/annotations/a~0b~1c',
          path: '/metadata/labels/w',
        },
        { op: 'move', from: '/metadata/labels/x', path: '/metadata/labels/v' },
      ]),
    ).toEqual({
      metadata: {
        name: 'a',
        labels: { y: '2', w: 'v', v: '1' },
        annotations: { 'a~b/c': 'v' },
      },
      spec: { list: [2, 3, 4], suspend: true },
    });
    expect(base.spec.list).toEqual([1, 2, 3]);
  });

  it('JSON patch: a failing test or a missing path fails the whole patch', () => {
    expect(() =>
      applyJsonPatch(base, [
        { op: 'test', path: '/spec/suspend', value: true },
      ]),
    ).toThrow(PatchError);
    expect(() =>
      applyJsonPatch(base, [{ op: 'remove', path: '/spec/missing' }]),
    ).toThrow(PatchError);
    expect(() =>
      applyJsonPatch(base, [{ op: 'replace', path: '/nope/x', value: 1 }]),
    ).toThrow(PatchError);
  });
});
