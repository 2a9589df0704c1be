import { KubeEvent } from '@progressive-delivery/plugin-progressive-delivery-common';
import { EventHistory } from './EventHistory';

function event(name: string, at: string, message = name): KubeEvent {
  return {
    kind: 'Event',
    metadata: { name, namespace: 'tenant-a', uid: name, resourceVersion: '1' },
    involvedObject: { kind: 'Canary', name: 'podinfo', namespace: 'tenant-a' },
    reason: 'Synced',
    type: 'Normal',
    message,
    lastTimestamp: at,
  };
}

describe('EventHistory', () => {
  it('keeps events after Kubernetes deletes them', () => {
    const history = new EventHistory();
    const first = event('e1', '2026-01-01T00:00:00Z');
    history.replace('prod', 'Event', [first]);
    history.delete();
    history.replace('prod', 'Event', []);
    expect(
      history.eventsFor('prod', 'tenant-a', 'podinfo').map(e => e.message),
    ).toEqual(['e1']);
  });

  it('ignores events of other kinds and bounds the history per canary', () => {
    const history = new EventHistory(2);
    history.upsert('prod', {
      ...event('pod', '2026-01-01T00:00:00Z'),
      involvedObject: { kind: 'Pod', name: 'podinfo-123' },
    });
    history.upsert('prod', event('e1', '2026-01-01T00:00:01Z'));
    history.upsert('prod', event('e2', '2026-01-01T00:00:02Z'));
    history.upsert('prod', event('e3', '2026-01-01T00:00:03Z'));
    expect(
      history
        .eventsFor('prod', 'tenant-a', 'podinfo')
        .map(e => e.message)
        .sort(),
    ).toEqual(['e2', 'e3']);
    history.forget('prod', 'tenant-a', 'podinfo');
    expect(history.eventsFor('prod', 'tenant-a', 'podinfo')).toEqual([]);
  });

  it('keeps a capped copy of an event with a 300 KB message', () => {
    const history = new EventHistory();
    const huge = 'z'.repeat(300 * 1024);
    history.upsert('prod', event('big', '2026-01-01T00:00:00Z', huge));
    const [kept] = history.eventsFor('prod', 'tenant-a', 'podinfo');
    expect(Buffer.byteLength(String(kept.message))).toBeLessThan(1100);
    expect(kept.message).toMatch(
      new RegExp(`^z{1024}… \\[cut: ${huge.length - 1024} bytes\\]$`),
    );
  });
});
