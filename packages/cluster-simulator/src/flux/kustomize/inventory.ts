import { KubeObject } from '../../types';

/** An entry of a Kustomization's `status.inventory`. */
export interface InventoryEntry {
  id: string;
  v: string;
}

/** Kustomization inventory entry id: `<namespace>_<name>_<group>_<kind>`. */
export function inventoryEntry(obj: KubeObject): InventoryEntry {
  const [group, version] = obj.apiVersion.includes('/')
    ? obj.apiVersion.split('/')
    : ['', obj.apiVersion];
  return {
    id: `${obj.metadata.namespace ?? ''}_${obj.metadata.name}_${group}_${
      obj.kind
    }`,
    v: version,
  };
}
