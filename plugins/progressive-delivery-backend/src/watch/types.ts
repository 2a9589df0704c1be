import { KubeObject } from '@progressive-delivery/plugin-progressive-delivery-common';

/** A change to what the plugin knows about a cluster. */
export interface ObjectChange {
  type: 'upsert' | 'delete';
  cluster: string;
  kind: string;
  namespace: string;
  name: string;
  /**
   * The object as stored after an upsert, or as it was before a delete (the object store sets
   * it; other sources name the object only). Its labels, owner references and canary target
   * tell which entities the change can touch (see resolve/ObjectDependencies).
   */
  object?: KubeObject;
}

export type ChangeListener = (change: ObjectChange) => void;

/** Something that tells about changes: the object store, the event history. */
export interface ChangeSource {
  /** Returns the unsubscribe. */
  subscribe(listener: ChangeListener): () => void;
}

/**
 * Where a watcher puts what it lists and watches. `replace` is a full re-list: objects missing
 * from it were deleted while the watch was down.
 */
export interface ObjectSink {
  replace(cluster: string, kind: string, objects: KubeObject[]): void;
  upsert(cluster: string, object: KubeObject): void;
  delete(cluster: string, object: KubeObject): void;
}

/** Fans changes out to listeners; a throwing listener does not stop the others. */
export class ChangeNotifier {
  private readonly listeners = new Set<ChangeListener>();

  subscribe(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  emit(change: ObjectChange): void {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch {
        // A listener's failure is its own; the store must keep going.
      }
    }
  }
}
