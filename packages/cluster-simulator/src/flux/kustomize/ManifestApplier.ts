import { ObjectStore } from '../../api/ObjectStore';
import { applyMergePatch } from '../../api/patch';
import { KubeObject } from '../../types';
import { InventoryEntry, inventoryEntry } from './inventory';
import { kustomizeOwnerLabels } from './ownerLabels';

/** What a Kustomization applies, and where. */
export interface ApplyRequest {
  kustomization: KubeObject;
  manifests: KubeObject[];
  targetNamespace?: string;
  prune: boolean;
  previousInventory: InventoryEntry[];
}

export interface ApplyResult {
  applied: KubeObject[];
  /** `<Kind>/<namespace>/<name> created|configured|deleted`, as kustomize-controller logs them. */
  changes: string[];
}

/**
 * Applies a Kustomization's manifests like server-side apply: fields in the
 * manifest win, fields only in the cluster stay; objects get the
 * Kustomization's owner labels, and what left the inventory is pruned.
 */
export class ManifestApplier {
  constructor(private readonly store: ObjectStore) {}

  apply(request: ApplyRequest): ApplyResult {
    const changes: string[] = [];
    const applied: KubeObject[] = [];
    for (const m of request.manifests) {
      const obj = this.owned(request, m);
      applied.push(obj);
      const change = this.applyOne(obj);
      if (change) changes.push(`${objectId(obj)} ${change}`);
    }
    if (request.prune) {
      changes.push(...this.prune(request.previousInventory, applied));
    }
    return { applied, changes };
  }

  /** The manifest in its namespace, with the Kustomization's owner labels. */
  private owned(request: ApplyRequest, m: KubeObject): KubeObject {
    const ks = request.kustomization;
    const resource = this.store.resourceFor(m);
    return {
      ...m,
      metadata: {
        ...m.metadata,
        namespace: resource.namespaced
          ? request.targetNamespace ??
            m.metadata.namespace ??
            ks.metadata.namespace
          : undefined,
        labels: {
          ...(m.metadata.labels ?? {}),
          ...kustomizeOwnerLabels(
            ks.metadata.name,
            ks.metadata.namespace ?? '',
          ),
        },
      },
    };
  }

  private applyOne(obj: KubeObject): 'created' | 'configured' | undefined {
    const existing = this.store.get(
      this.store.resourceFor(obj),
      obj.metadata.namespace,
      obj.metadata.name,
    );
    if (!existing) {
      this.store.create(obj);
      return 'created';
    }
    const { status: _s, ...desired } = obj;
    const merged = applyMergePatch(existing, desired) as KubeObject;
    return this.store.update(merged) !== existing ? 'configured' : undefined;
  }

  /** Deletes what the previous inventory had and this apply does not. */
  private prune(previous: InventoryEntry[], applied: KubeObject[]): string[] {
    const keep = new Set(applied.map(o => inventoryEntry(o).id));
    const deleted: string[] = [];
    for (const entry of previous) {
      if (keep.has(entry.id)) continue;
      const [namespace, name, group, kind] = entry.id.split('_');
      try {
        const resource = this.store.registry.forKind(
          group ? `${group}/${entry.v}` : entry.v,
          kind,
        );
        if (this.store.get(resource, namespace || undefined, name)) {
          this.store.delete(resource, namespace || undefined, name);
          deleted.push(
            `${objectId({ kind, metadata: { namespace, name } })} deleted`,
          );
        }
      } catch {
        // an unknown kind cannot have been applied here
      }
    }
    return deleted;
  }
}

function objectId(obj: Pick<KubeObject, 'kind' | 'metadata'>): string {
  const { namespace, name } = obj.metadata;
  return `${obj.kind}/${namespace ? `${namespace}/` : ''}${name}`;
}
