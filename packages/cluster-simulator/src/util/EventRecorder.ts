import { Clock } from '../clock';
import { isoTime } from './time';
import { KubeObject } from '../types';

export type EventType = 'Normal' | 'Warning';

/** A lookup by apiVersion, kind, namespace and name. */
type ByKind<R> = (
  apiVersion: string,
  kind: string,
  namespace: string | undefined,
  name: string,
) => R;

/** The store operations the recorder needs (the API server's ObjectStore has them). */
export interface EventStore {
  create(obj: KubeObject): KubeObject;
  getByKind: ByKind<KubeObject | undefined>;
  deleteByKind: ByKind<KubeObject>;
  listObjects(apiVersion: string, kind: string): KubeObject[];
  mutate(
    ...args: [...Parameters<ByKind<unknown>>, (draft: KubeObject) => void]
  ): KubeObject | undefined;
}

/** Events older than this are removed, as the API server's event TTL does. */
const EVENT_TTL_MS = 60 * 60 * 1000;

/**
 * Writes core/v1 Events the way client-go's event recorder does: named
 * `<object>.<hex nanoseconds>`, and a repeat of the same object, type, reason
 * and message bumps `count` and `lastTimestamp` instead of adding an event.
 */
export class EventRecorder {
  private readonly recent = new Map<
    string,
    { namespace: string; name: string }
  >();
  private sequence = 0;
  private lastGc = 0;

  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
  ) {}

  record(
    involved: KubeObject,
    type: EventType,
    reason: string,
    message: string,
    component: string,
  ): void {
    const now = this.clock.now();
    this.collectGarbage(now);
    const namespace = involved.metadata.namespace ?? 'default';
    const key = [
      component,
      involved.kind,
      namespace,
      involved.metadata.name,
      involved.metadata.uid,
      type,
      reason,
      message,
    ].join('\u0000');
    const existing = this.recent.get(key);
    if (existing) {
      const updated = this.store.mutate(
        'v1',
        'Event',
        existing.namespace,
        existing.name,
        e => {
          e.count = Number(e.count ?? 1) + 1;
          e.lastTimestamp = isoTime(now);
        },
      );
      if (updated) return;
    }
    // Nanosecond timestamps in hex, unique within the millisecond by a sequence.
    const nanos = BigInt(now) * 1000000n + BigInt(this.sequence++ % 1000000);
    const name = `${involved.metadata.name}.${nanos.toString(16)}`;
    this.store.create({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject: {
        kind: involved.kind,
        namespace,
        name: involved.metadata.name,
        uid: involved.metadata.uid,
        apiVersion: involved.apiVersion,
        resourceVersion: involved.metadata.resourceVersion,
      },
      reason,
      message,
      source: { component },
      firstTimestamp: isoTime(now),
      lastTimestamp: isoTime(now),
      count: 1,
      type,
      eventTime: null,
      reportingComponent: component,
      reportingInstance: '',
    });
    this.recent.set(key, { namespace, name });
  }

  private collectGarbage(now: number): void {
    if (now - this.lastGc < 60_000) return;
    this.lastGc = now;
    for (const event of this.store.listObjects('v1', 'Event')) {
      const last = Date.parse(String(event.lastTimestamp ?? ''));
      if (now - last > EVENT_TTL_MS) {
        this.store.deleteByKind(
          'v1',
          'Event',
          event.metadata.namespace,
          event.metadata.name,
        );
      }
    }
    for (const [key, ref] of this.recent) {
      if (!this.store.getByKind('v1', 'Event', ref.namespace, ref.name))
        this.recent.delete(key);
    }
  }
}
