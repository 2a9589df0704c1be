import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { EntityDeliveryState } from '@progressive-delivery/plugin-progressive-delivery-common';
import { ChangeNotifier } from '../watch/types';
import { EntityUpdateHub } from './EntityUpdateHub';

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
