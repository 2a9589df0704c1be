import { ObjectStore } from '../../api/ObjectStore';
import { KubeObject } from '../../types';

/** Creates a generated object, or updates its spec when it drifted. */
export function createOrUpdateSpec(store: ObjectStore, obj: KubeObject): void {
  const existing = store.getByKind(
    obj.apiVersion,
    obj.kind,
    obj.metadata.namespace,
    obj.metadata.name,
  );
  if (!existing) store.create(obj);
  else if (JSON.stringify(existing.spec) !== JSON.stringify(obj.spec)) {
    store.update({ ...existing, spec: obj.spec });
  }
}
