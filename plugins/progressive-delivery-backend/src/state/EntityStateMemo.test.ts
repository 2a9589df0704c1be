import { gunzipSync } from 'node:zlib';
import { KubeObject } from '@progressive-delivery/plugin-progressive-delivery-common';
import {
  canaryOf,
  CLUSTER,
  deploymentOf,
  entityOf,
  ID,
  memoSetup as setup,
  NS,
} from '../__testUtils__/entityStates';
import { component } from '../__testUtils__/simulatorBackend';
import { assembleCluster } from './DeliveryStateAssembler';

jest.mock('./DeliveryStateAssembler', () => {
  const actual = jest.requireActual('./DeliveryStateAssembler');
  return { ...actual, assembleCluster: jest.fn(actual.assembleCluster) };
});
const assembled = assembleCluster as jest.MockedFunction<
  typeof assembleCluster
>;

function memoSetup() {
  const setUp = setup();
  assembled.mockClear();
  return setUp;
}

/** The canaries of each assembleCluster call since the last clear. */
const derivedCanaries = () =>
  assembled.mock.calls.map(([resolved]) =>
    resolved.canaries.map(c => c.canary.metadata?.name).join(','),
  );

describe('EntityStateMemo (through DeliveryStateService)', () => {
  it('derives an entity again only when a change touches what it comes from', () => {
    const { store, events, service, touched } = memoSetup();
    const [a, b, c] = ['a', 'b', 'c'].map(entityOf);
    const first = [a, b, c].map(e => service.viewOf(e));
    expect(derivedCanaries()).toEqual(['a', 'b', 'c']);
    expect([a, b, c].map(e => service.viewOf(e))).toEqual(first);
    expect(derivedCanaries()).toHaveLength(3);

    // b's canary changes: b alone is touched and derived again.
    const changed = canaryOf('b', '2');
    (changed.status as { canaryWeight: number }).canaryWeight = 30;
    store.upsert(CLUSTER, changed);
    expect(touched).toEqual(['component:default/b']);
    expect(service.viewOf(a)).toBe(first[0]);
    expect(service.viewOf(c)).toBe(first[2]);
    const second = service.viewOf(b);
    expect(second.version).toBeGreaterThan(first[1].version);
    expect(derivedCanaries()).toEqual(['a', 'b', 'c', 'b']);

    // Unrelated objects: another entity's Deployment, another namespace's policy.
    store.upsert(CLUSTER, deploymentOf('other'));
    store.upsert(CLUSTER, {
      apiVersion: 'security.istio.io/v1',
      kind: 'PeerAuthentication',
      metadata: {
        name: 'strict',
        namespace: 'elsewhere',
        resourceVersion: '1',
      },
    });
    expect(touched).toHaveLength(1);

    // Flagger's event about c; a new Deployment selected by a's annotation.
    events.upsert(CLUSTER, {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'c.1', namespace: NS, uid: 'e1', resourceVersion: '1' },
      involvedObject: { kind: 'Canary', name: 'c', namespace: NS },
      reason: 'Synced',
      message: 'Advance c canary weight 10',
      type: 'Normal',
    } as KubeObject);
    store.upsert(CLUSTER, deploymentOf('a-extra', { [ID]: 'a' }, 'other-ns'));
    expect(touched.slice(1)).toEqual([
      'component:default/c',
      'component:default/a',
    ]);
    [a, b, c].forEach(e => service.viewOf(e));
    expect(derivedCanaries().slice(4).sort()).toEqual(['a', 'c']);
    expect(service.viewOf(a).body().toString()).toContain('"a-extra"');
  });

  it('touches every entity a namespace-wide policy applies to', () => {
    const { store, service, touched } = memoSetup();
    ['a', 'b', 'c'].forEach(n => service.viewOf(entityOf(n)));
    store.upsert(CLUSTER, {
      apiVersion: 'security.istio.io/v1',
      kind: 'PeerAuthentication',
      metadata: { name: 'strict', namespace: NS, resourceVersion: '1' },
      spec: { mtls: { mode: 'STRICT' } },
    });
    expect(touched.sort()).toEqual([
      'component:default/a',
      'component:default/b',
      'component:default/c',
    ]);
  });

  it('keeps the version of a state that a change left as it was', () => {
    const { store, service, touched } = memoSetup();
    const a = entityOf('a');
    const first = service.viewOf(a);
    // A new resource version with the same content.
    store.upsert(CLUSTER, canaryOf('a', '7'));
    expect(touched).toEqual(['component:default/a']);
    expect(service.viewOf(a)).toBe(first);
    expect(derivedCanaries()).toEqual(['a', 'a']);
  });

  it('derives again when the cluster status, the annotations or the estimate age', () => {
    const { service, tick, setStatus, statusReads } = memoSetup();
    const a = entityOf('a');
    const first = service.viewOf(a);
    // The clusters' status is read again only when its version moved.
    const reads = statusReads();
    service.viewOf(a);
    service.viewOf(a);
    expect(statusReads()).toBe(reads);
    expect(
      first.state().clusters[0].canaries[0].progress.estimatedCompletionAt,
    ).toBeDefined();
    // Kept within the analysis interval (15 s) ...
    tick(10_000);
    expect(service.viewOf(a)).toBe(first);
    // ... derived again after it, relative to the new generatedAt.
    tick(5_000);
    const aged = service.viewOf(a);
    expect(aged.version).toBeGreaterThan(first.version);
    expect(aged.generatedAt).not.toBe(first.generatedAt);

    setStatus({ state: 'degraded', errors: [] });
    const degraded = service.viewOf(a);
    expect(degraded.state().clusters[0].state).toBe('degraded');
    expect(statusReads()).toBeGreaterThan(reads);

    // The catalog list read again: a new object with the same annotations is the same entity.
    expect(service.viewOf(entityOf('a'))).toBe(degraded);
    const renamed = component('a', { [ID]: 'b' });
    expect(
      service.viewOf(renamed).state().clusters[0].canaries[0].ref.name,
    ).toBe('b');
    expect(derivedCanaries()).toEqual(['a', 'a', 'a', 'b']);
  });

  it('serialises once: the compressed body is made once per version, the event frame from it', () => {
    const { service } = memoSetup();
    const view = service.viewOf(entityOf('a'));
    expect(service.viewOf(entityOf('a')).gzipped).toBe(view.gzipped);
    expect(gunzipSync(view.gzipped)).toEqual(view.body());
    // Only the compressed bytes are kept, not zlib's whole output chunk.
    expect(view.gzipped.buffer.byteLength).toBe(view.gzipped.length);
    expect(view.frame().toString()).toBe(
      `event: state\ndata: ${view.body().toString()}\n\n`,
    );
    expect(JSON.parse(view.body().toString())).toEqual(view.state());
    expect(view.etag('gzip')).not.toBe(view.etag('identity'));
    expect(view.state().generatedAt).toBe(view.generatedAt);
  });
});
