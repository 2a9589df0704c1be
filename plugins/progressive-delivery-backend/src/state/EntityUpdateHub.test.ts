import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { EntityDeliveryState } from '@progressive-delivery/plugin-progressive-delivery-common';
import { ServiceUnavailableError } from '@backstage/errors';
import {
  canaryOf,
  CLUSTER,
  entityOf,
  memoSetup,
} from '../__testUtils__/entityStates';
import { ChangeNotifier } from '../watch/types';
import { EntityUpdateHub } from './EntityUpdateHub';
import { TooManyStreamsError } from './StreamLimits';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'podinfo', namespace: 'default' },
};

function stateWith(weight: number): EntityDeliveryState {
  return {
    entityRef: 'component:default/podinfo',
    generatedAt: new Date().toISOString(),
    clusters: [
      {
        cluster: 'prod',
        state: 'synced',
        errors: [],
        notInstalled: [String(weight)],
        canaries: [],
        workloads: [],
        flux: [],
      },
    ],
  };
}

describe('EntityUpdateHub', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  function setup() {
    const source = new ChangeNotifier();
    let weight = 0;
    const stateOf = jest.fn(() => stateWith(weight));
    const hub = EntityUpdateHub.create({
      sources: [source],
      stateOf,
      logger: mockServices.logger.mock(),
      coalesceMs: 100,
      heartbeatMs: 15_000,
    });
    const sent: EntityDeliveryState[] = [];
    const heartbeat = jest.fn();
    const close = hub.open({ entity, send: s => sent.push(s), heartbeat });
    const change = (w: number) => {
      weight = w;
      source.emit({
        type: 'upsert',
        cluster: 'prod',
        kind: 'Canary',
        namespace: 'a',
        name: 'b',
      });
    };
    return { hub, sent, heartbeat, close, change, stateOf };
  }

  it('sends the state at once, then one push per burst of changes', () => {
    const { sent, change, stateOf } = setup();
    expect(sent).toHaveLength(1);
    for (let i = 1; i <= 50; i++) {
      change(i);
    }
    expect(sent).toHaveLength(1);
    jest.advanceTimersByTime(100);
    expect(sent).toHaveLength(2);
    expect(sent[1].clusters[0].notInstalled).toEqual(['50']);
    expect(stateOf).toHaveBeenCalledTimes(2);
  });

  it('does not push a state that did not change', () => {
    const { sent, change } = setup();
    change(0);
    jest.advanceTimersByTime(100);
    expect(sent).toHaveLength(1);
  });

  it('sends heartbeats and stops after the stream closes', () => {
    const { sent, heartbeat, close, change, hub } = setup();
    jest.advanceTimersByTime(15_000);
    expect(heartbeat).toHaveBeenCalledTimes(1);
    close();
    expect(hub.openStreams()).toBe(0);
    change(3);
    jest.advanceTimersByTime(30_000);
    expect(sent).toHaveLength(1);
    expect(heartbeat).toHaveBeenCalledTimes(1);
  });
});

describe('EntityUpdateHub over the state memo', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  function hubSetup(limits = { perEntityPerUser: 4, max: 100 }) {
    const setup = memoSetup();
    const hub = EntityUpdateHub.create({
      views: setup.service.memo,
      logger: mockServices.logger.mock(),
      limits,
    });
    const stream = (name: string, holder = 'user:default/ann') => {
      const frames: Buffer[] = [];
      const close = hub.open({
        entity: entityOf(name),
        holder,
        write: frame => frames.push(frame),
        heartbeat: () => {},
      });
      return { frames, close };
    };
    return { ...setup, hub, stream };
  }

  it('derives and serialises once for a view and all streams of an entity, and pushes only touched entities', () => {
    const { store, service, hub, stream } = hubSetup();
    const stringify = jest.spyOn(JSON, 'stringify');
    const view = service.viewOf(entityOf('a'));
    const streams = ['u1', 'u2', 'u3', 'u4', 'u5'].map(user =>
      stream('a', user),
    );
    const others = stream('b');
    expect(service.memo.stats().derivations).toBe(2);
    // One body: each stream's first frame made from it as the stream came.
    streams.forEach(s => expect(s.frames).toEqual([view.frame()]));
    const changed = canaryOf('a', '2');
    (changed.status as { canaryWeight: number }).canaryWeight = 30;
    store.upsert(CLUSTER, changed);
    jest.advanceTimersByTime(100);
    expect(service.memo.stats().derivations).toBe(3);
    const next = service.viewOf(entityOf('a'));
    expect(next.version).toBeGreaterThan(view.version);
    // One frame for the change, the same object to each stream.
    streams.forEach(s => expect(s.frames[1]).toEqual(next.frame()));
    streams.forEach(s => expect(s.frames[1]).toBe(streams[0].frames[1]));
    expect(others.frames).toHaveLength(1);
    // States serialised: a (twice) and b; nothing per stream.
    const bodies = stringify.mock.calls.filter(
      ([value]) => (value as { entityRef?: string })?.entityRef !== undefined,
    );
    expect(bodies).toHaveLength(3);
    stringify.mockRestore();
    hub.stop();
  });

  it('refuses a stream beyond the per-entity, per-user cap (429) and the global cap (503)', () => {
    const { hub, stream } = hubSetup({ perEntityPerUser: 2, max: 5 });
    const first = stream('a');
    stream('a');
    expect(() => stream('a')).toThrow(TooManyStreamsError);
    expect(() => stream('a')).toThrow(
      expect.objectContaining({ statusCode: 429 }),
    );
    // Another user, another entity: allowed.
    stream('a', 'user:default/bob');
    stream('b');
    expect(hub.openStreams()).toBe(4);
    // A closed stream frees its place.
    first.close();
    first.close();
    stream('a');
    expect(hub.openStreams()).toBe(4);
    stream('c');
    expect(hub.openStreams()).toBe(5);
    expect(() => stream('c', 'user:default/carol')).toThrow(
      ServiceUnavailableError,
    );
    hub.stop();
  });

  it('pushes a cluster status change found by the poll', () => {
    const { hub, stream, setStatus } = hubSetup();
    const { frames } = stream('a');
    jest.advanceTimersByTime(2_000);
    expect(frames).toHaveLength(1);
    setStatus({ state: 'degraded' });
    jest.advanceTimersByTime(2_100);
    expect(frames).toHaveLength(2);
    expect(frames[1].toString()).toContain('"state":"degraded"');
    hub.stop();
  });
});
