import {
  eventTimestamp,
  KubeEvent,
  KubeObject,
} from '@progressive-delivery/plugin-progressive-delivery-common';
import { projectEvent } from './projectObject';
import {
  ChangeListener,
  ChangeNotifier,
  ChangeSource,
  ObjectSink,
} from './types';

const SEP = '\u0000';
const DEFAULT_MAX_PER_CANARY = 200;

/**
 * Flagger's events per canary. Kubernetes deletes events after an hour; this keeps them (up to
 * a bound per canary) so the current rollout's timeline survives that, and ignores deletions.
 */
export class EventHistory implements ObjectSink, ChangeSource {
  private readonly byCanary = new Map<string, Map<string, KubeEvent>>();
  private readonly notifier = new ChangeNotifier();

  constructor(private readonly maxPerCanary = DEFAULT_MAX_PER_CANARY) {}

  subscribe(listener: ChangeListener): () => void {
    return this.notifier.subscribe(listener);
  }

  replace(cluster: string, _kind: string, objects: KubeObject[]): void {
    for (const object of objects) {
      this.upsert(cluster, object);
    }
  }

  upsert(cluster: string, object: KubeObject): void {
    const event = object as KubeEvent;
    const involved = event.involvedObject;
    if (involved?.kind !== 'Canary' || !involved.name) {
      return;
    }
    const namespace = involved.namespace ?? event.metadata?.namespace ?? '';
    const canaryKey = [cluster, namespace, involved.name].join(SEP);
    let events = this.byCanary.get(canaryKey);
    if (!events) {
      events = new Map();
      this.byCanary.set(canaryKey, events);
    }
    const eventKey = event.metadata?.uid ?? event.metadata?.name ?? '';
    const previous = events.get(eventKey);
    if (
      previous &&
      previous.metadata?.resourceVersion === event.metadata?.resourceVersion
    ) {
      return;
    }
    events.set(eventKey, projectEvent(event));
    this.trim(events);
    this.notifier.emit({
      type: 'upsert',
      cluster,
      kind: 'Event',
      namespace,
      name: involved.name,
    });
  }

  /** Kubernetes expiring an event does not remove it from the history. */
  delete(): void {}

  /** The recorded events of one canary, in no particular order. */
  eventsFor(cluster: string, namespace: string, name: string): KubeEvent[] {
    return [
      ...(this.byCanary.get([cluster, namespace, name].join(SEP))?.values() ??
        []),
    ];
  }

  /** Forgets a deleted canary's events. */
  forget(cluster: string, namespace: string, name: string): void {
    this.byCanary.delete([cluster, namespace, name].join(SEP));
  }

  /** A canary that `canaries` (the object store) deletes takes its events with it. */
  forgetDeletedCanaries(canaries: ChangeSource): () => void {
    return canaries.subscribe(change => {
      if (change.type === 'delete' && change.kind === 'Canary') {
        this.forget(change.cluster, change.namespace, change.name);
      }
    });
  }

  private trim(events: Map<string, KubeEvent>): void {
    if (events.size <= this.maxPerCanary) {
      return;
    }
    const oldest = [...events.entries()].sort(
      ([, a], [, b]) =>
        Date.parse(eventTimestamp(a) ?? '') -
        Date.parse(eventTimestamp(b) ?? ''),
    );
    for (const [key] of oldest.slice(0, events.size - this.maxPerCanary)) {
      events.delete(key);
    }
  }
}
