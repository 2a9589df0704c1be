import { stringifyEntityRef } from '@backstage/catalog-model';
import { AnnotatedEntityCache } from '../service/AnnotatedEntityCache';
import { ObjectOwnership } from '../service/ObjectOwnership';
import { CanaryKey } from './RolloutRepository';

/**
 * The catalog entity that owns a canary, for the recorder, from the annotated entities the
 * plugin keeps in memory (read with its own credentials), so a burst of changes costs no catalog
 * request. Several owners: the first by entity ref, so every replica picks the same one.
 */
export class EntityRefLookup {
  /** Owners found per canary with one list of entities, so a busy canary costs one resolution. */
  private refs = new Map<string, string | undefined>();
  private refsGeneration = -1;

  constructor(
    private readonly options: {
      entities: AnnotatedEntityCache;
      ownership: ObjectOwnership;
    },
  ) {}

  async entityRefOf(key: CanaryKey): Promise<string | undefined> {
    const { entities, generation } = await this.options.entities.read();
    if (generation !== this.refsGeneration) {
      this.refs = new Map();
      this.refsGeneration = generation;
    }
    const id = `${key.cluster}/${key.namespace}/${key.canary}`;
    if (this.refs.has(id)) {
      return this.refs.get(id);
    }
    const owners = entities
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
    this.refs.set(id, owners[0]);
    return owners[0];
  }
}
