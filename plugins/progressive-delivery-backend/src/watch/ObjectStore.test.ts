import { KubeObject } from '@progressive-delivery/plugin-progressive-delivery-common';
import { ObjectStore } from './ObjectStore';
import { ObjectChange } from './types';

function deployment(
  name: string,
  resourceVersion: string,
  labels: Record<string, string> = {},
): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name,
      namespace: 'tenant-a',
      resourceVersion,
      labels,
      annotations: {
        'kubectl.kubernetes.io/last-applied-configuration': '{"big":"blob"}',
        team: 'a',
      },
      managedFields: [{ manager: 'kubectl' }],
    } as KubeObject['metadata'],
  };
}

describe('ObjectStore', () => {
  it('keeps only what the plugin reads (see projectObject)', () => {
    const store = new ObjectStore();
    store.upsert('c1', deployment('podinfo', '1'));
    const stored = store.get('c1', 'Deployment', 'tenant-a', 'podinfo')!;
    expect(stored.metadata).not.toHaveProperty('managedFields');
    // Nothing reads a Deployment's annotations.
    expect(stored.metadata).not.toHaveProperty('annotations');
    expect(stored.metadata).toEqual({
      name: 'podinfo',
      namespace: 'tenant-a',
      resourceVersion: '1',
      labels: {},
    });
  });

  it('indexes by label, owner and canary target, and re-indexes on change', () => {
    const store = new ObjectStore();
    store.upsert(
      'c1',
      deployment('podinfo', '1', { 'backstage.io/kubernetes-id': 'podinfo' }),
    );
    store.upsert('c1', {
      kind: 'Canary',
      metadata: {
        name: 'podinfo',
        namespace: 'tenant-a',
        resourceVersion: '2',
        labels: {
          'kustomize.toolkit.fluxcd.io/name': 'apps',
          'kustomize.toolkit.fluxcd.io/namespace': 'tenant-a',
        },
      },
      spec: { targetRef: { kind: 'Deployment', name: 'podinfo' } },
    });
    store.upsert('c1', {
      kind: 'VirtualService',
      metadata: {
        name: 'podinfo',
        namespace: 'tenant-a',
        resourceVersion: '3',
        ownerReferences: [{ kind: 'Canary', name: 'podinfo' }],
      },
    });
    const names = (objects: KubeObject[]) =>
      objects.map(o => `${o.kind}/${o.metadata?.name}`);
    expect(
      names(store.byLabel('c1', 'backstage.io/kubernetes-id', 'podinfo')),
    ).toEqual(['Deployment/podinfo']);
    expect(names(store.byOwner('c1', 'tenant-a', 'Canary', 'podinfo'))).toEqual(
      ['VirtualService/podinfo'],
    );
    expect(
      names(store.canariesTargeting('c1', 'tenant-a', 'Deployment', 'podinfo')),
    ).toEqual(['Canary/podinfo']);
    expect(
      store.byLabel('c2', 'backstage.io/kubernetes-id', 'podinfo'),
    ).toEqual([]);

    store.upsert(
      'c1',
      deployment('podinfo', '4', { 'backstage.io/kubernetes-id': 'other' }),
    );
    expect(
      store.byLabel('c1', 'backstage.io/kubernetes-id', 'podinfo'),
    ).toEqual([]);
    expect(
      names(store.byLabel('c1', 'backstage.io/kubernetes-id', 'other')),
    ).toEqual(['Deployment/podinfo']);
  });

  it("keeps the order of a key's objects as they come and go, past a handful of them", () => {
    const store = new ObjectStore();
    const id = { 'backstage.io/kubernetes-id': 'many' };
    const names = () =>
      store
        .byLabel('c1', 'backstage.io/kubernetes-id', 'many')
        .map(o => o.metadata?.name);
    const all = Array.from({ length: 20 }, (_, i) => `d${i}`);
    all.forEach(name => store.upsert('c1', deployment(name, '1', id)));
    expect(names()).toEqual(all);
    store.delete('c1', deployment('d3', '1'));
    // A change re-indexes the object: it comes last, as with a Set.
    store.upsert('c1', deployment('d0', '2', id));
    store.upsert('c1', deployment('d1', '2', { other: 'x' }));
    expect(names()).toEqual([...all.slice(2).filter(n => n !== 'd3'), 'd0']);
    all.forEach(name => store.delete('c1', deployment(name, '3')));
    expect(names()).toEqual([]);
    expect(store.size('c1', 'Deployment')).toBe(0);
    expect(store.byLabel('c1', 'other', 'x')).toEqual([]);
  });

  it('keeps one object, then several, then one again under a key, and one object in two clusters apart', () => {
    const store = new ObjectStore();
    const owned = (name: string, owners: string[], version = '1') =>
      ({
        kind: 'DestinationRule',
        metadata: {
          name,
          namespace: 'tenant-a',
          resourceVersion: version,
          ownerReferences: owners.map(owner => ({
            kind: 'Canary',
            name: owner,
          })),
        },
      } as KubeObject);
    const names = (cluster: string, owner: string) =>
      store
        .byOwner(cluster, 'tenant-a', 'Canary', owner)
        .map(o => o.metadata?.name);
    // Two references to one owner index the object once.
    store.upsert('c1', owned('a', ['x', 'x']));
    expect(names('c1', 'x')).toEqual(['a']);
    store.upsert('c1', owned('b', ['x']));
    store.upsert('c1', owned('c', ['x', 'y']));
    expect(names('c1', 'x')).toEqual(['a', 'b', 'c']);
    store.delete('c1', owned('a', []));
    store.upsert('c1', owned('c', ['y'], '2'));
    expect(names('c1', 'x')).toEqual(['b']);
    expect(names('c1', 'y')).toEqual(['c']);
    store.upsert('c1', owned('d', ['x']));
    expect(names('c1', 'x')).toEqual(['b', 'd']);

    // A projected object upserted into a second cluster is the same object there.
    const shared = store.get('c1', 'DestinationRule', 'tenant-a', 'b')!;
    store.upsert('c2', shared);
    store.delete('c1', shared);
    expect(names('c1', 'x')).toEqual(['d']);
    expect(names('c2', 'x')).toEqual(['b']);
    expect(store.get('c2', 'DestinationRule', 'tenant-a', 'b')).toBe(shared);
    expect(store.size('c1', 'DestinationRule')).toBe(2);
    expect(store.size('c2', 'DestinationRule')).toBe(1);
  });

  it('takes a malformed object without failing the rest of the list', () => {
    const store = new ObjectStore();
    const odd = {
      kind: 'VirtualService',
      metadata: {
        name: 'odd',
        namespace: 'tenant-a',
        labels: 'app=odd',
        ownerReferences: 5,
      },
    } as unknown as KubeObject;
    store.replace('c1', 'VirtualService', [
      odd,
      { ...odd, metadata: { name: 'fine', namespace: 'tenant-a' } },
    ]);
    expect(
      store.list('c1', 'VirtualService').map(o => o.metadata?.name),
    ).toEqual(['odd', 'fine']);
  });

  it('notifies changes, skips unchanged resource versions, and drops vanished objects on replace', () => {
    const store = new ObjectStore();
    const changes: ObjectChange[] = [];
    store.subscribe(change => changes.push(change));
    store.replace('c1', 'Deployment', [
      deployment('a', '1'),
      deployment('b', '1'),
    ]);
    store.upsert('c1', deployment('a', '1'));
    store.replace('c1', 'Deployment', [deployment('a', '2')]);
    expect(changes.map(c => `${c.type} ${c.name}`)).toEqual([
      'upsert a',
      'upsert b',
      'upsert a',
      'delete b',
    ]);
    expect(store.list('c1', 'Deployment').map(o => o.metadata?.name)).toEqual([
      'a',
    ]);
    expect(store.size('c1', 'Deployment')).toBe(1);
  });
});
