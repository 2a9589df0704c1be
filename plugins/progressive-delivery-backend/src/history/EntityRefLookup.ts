import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { AnnotatedEntityCache } from '../resolve/AnnotatedEntityCache';
import { EntityResolver } from '../resolve/EntityResolver';
import { readEntitySelection } from '../resolve/entitySelection';
import { ObjectOwnership } from '../resolve/ObjectOwnership';
import { CanaryKey } from './RolloutRepository';
import { objectId } from '../watch/objectId';

/** The annotated entities, by what can link them to a canary. */
interface Candidates {
  generation: number;
  byKubernetesId: Map<string, Entity[]>;
  byCanaryRef: Map<string, Entity[]>;
  /** Entities with a label selector: any canary may match. */
  withSelector: Entity[];
  /** Owners found per canary with this list, so a busy canary costs one resolution. */
  refs: Map<string, string | undefined>;
}

function push(map: Map<string, Entity[]>, key: string, entity: Entity) {
  const list = map.get(key);
  if (list) {
    list.push(entity);
  } else {
    map.set(key, [entity]);
  }
}

/**
 * The catalog entity that owns a canary, for the recorder, from the annotated entities the
 * plugin keeps in memory (read with its own credentials), so a burst of changes costs no catalog
 * request. Only the entities that could select the canary (by its or its target's
 * `backstage.io/kubernetes-id`, by name, or by a label selector) are resolved to check. Several
 * owners: the first by entity ref, so every replica picks the same one.
 */
export class EntityRefLookup {
  private candidates?: Candidates;

  constructor(
    private readonly options: {
      entities: AnnotatedEntityCache;
      ownership: ObjectOwnership;
      resolver: EntityResolver;
    },
  ) {}

  async entityRefOf(key: CanaryKey): Promise<string | undefined> {
    const candidates = await this.currentCandidates();
    const id = objectId(key.cluster, key.namespace, key.canary);
    if (candidates.refs.has(id)) {
      return candidates.refs.get(id);
    }
    const possible = new Set<Entity>(candidates.withSelector);
    for (const kubernetesId of this.options.resolver.kubernetesIdsOfCanary(
      key.cluster,
      key.namespace,
      key.canary,
    )) {
      candidates.byKubernetesId
        .get(kubernetesId)
        ?.forEach(e => possible.add(e));
    }
    candidates.byCanaryRef
      .get(`${key.namespace}/${key.canary}`)
      ?.forEach(e => possible.add(e));
    const owners = [...possible]
      .filter(e =>
        this.options.ownership.owns(e, {
          cluster: key.cluster,
          kind: 'Canary',
          namespace: key.namespace,
          name: key.canary,
        }),
      )
      .map(e => stringifyEntityRef(e))
      .sort();
    candidates.refs.set(id, owners[0]);
    return owners[0];
  }

  private async currentCandidates(): Promise<Candidates> {
    const { entities, generation } = await this.options.entities.read();
    if (this.candidates?.generation === generation) {
      return this.candidates;
    }
    const candidates: Candidates = {
      generation,
      byKubernetesId: new Map(),
      byCanaryRef: new Map(),
      withSelector: [],
      refs: new Map(),
    };
    for (const entity of entities) {
      const selection = readEntitySelection(entity);
      if (!selection) {
        continue;
      }
      if (selection.kubernetesId) {
        push(candidates.byKubernetesId, selection.kubernetesId, entity);
      }
      for (const ref of selection.canaries) {
        push(candidates.byCanaryRef, `${ref.namespace}/${ref.name}`, entity);
      }
      if (selection.labelSelector) {
        candidates.withSelector.push(entity);
      }
    }
    this.candidates = candidates;
    return candidates;
  }
}
