import {
  asString,
  KubeObject,
  readPath,
  RolloutChanges,
  RolloutChangesOptions,
  RolloutOutcome,
} from '@progressive-delivery/plugin-progressive-delivery-common';
import { FluxLookup } from '../resolve/fluxLinks';
import { ChangeListener, ChangeSource } from '../watch/types';
import {
  canarySource,
  CanaryChangesObservation,
  CHANGES_PHASES,
  observeCanaryChanges,
  observeWithSource,
  ResolvedForChanges,
} from './canaryChanges';
import { PromotionMemory } from './PromotionMemory';
import {
  ObservedChanges,
  RolloutChangesRepository,
} from './RolloutChangesRepository';
import { CanaryKey } from './rolloutQueries';

interface Memo {
  inputs: unknown[];
  changes?: RolloutChanges;
}

const keyOf = (cluster: string, canary: KubeObject): CanaryKey => ({
  cluster,
  namespace: canary.metadata?.namespace ?? '',
  canary: canary.metadata?.name ?? '',
});

const revisionOf = (canary: KubeObject) =>
  asString(readPath(canary.status, 'lastAppliedSpec'));

/**
 * "What changed" in each rollout (issue 16). For the delivery state: a canary's changes from
 * memory (the objects and the promotion before its revision, see {@link PromotionMemory}),
 * derived again only when one of the objects they come from changed. For the recorder: the
 * same derivation with the promotion read from the history, and the writing of a rollout's
 * changes, tracked configs and source revision.
 */
export class RolloutChangesService implements ChangeSource {
  private readonly memo = new WeakMap<KubeObject, Memo>();

  constructor(
    private readonly options: {
      /** Where the Flux sources are found (the object store). */
      lookup: FluxLookup;
      promotions: Pick<
        PromotionMemory,
        'peek' | 'get' | 'promoted' | 'forget' | 'subscribe'
      >;
      repository: Pick<RolloutChangesRepository, 'record'>;
      /** Git hosts for compare links beyond github.com and gitlab.com. */
      changesOptions?: RolloutChangesOptions;
    },
  ) {}

  /** A promotion read from the history changes the state of its canary. */
  subscribe(listener: ChangeListener): () => void {
    return this.options.promotions.subscribe(listener);
  }

  /**
   * A canary's changes while its primary still runs the promoted revision (CHANGES_PHASES),
   * from memory.
   */
  changesOf(
    cluster: string,
    resolved: ResolvedForChanges,
  ): RolloutChanges | undefined {
    const { canary, target, primary } = resolved;
    const phase = asString(readPath(canary.status, 'phase')) ?? '';
    if (!target || !primary || !CHANGES_PHASES.has(phase)) {
      return undefined;
    }
    const revision = revisionOf(canary);
    const promotion = revision
      ? this.options.promotions.peek(keyOf(cluster, canary), revision)
      : undefined;
    const source = canarySource(
      this.options.lookup,
      cluster,
      resolved.fluxOwner,
    );
    const inputs = [
      target,
      primary,
      resolved.fluxOwner,
      source.source,
      source.revision,
      promotion,
    ];
    const memo = this.memo.get(canary);
    if (memo && memo.inputs.every((input, i) => input === inputs[i])) {
      return memo.changes;
    }
    const { changes } = observeWithSource(
      resolved,
      source,
      promotion,
      this.options.changesOptions,
    );
    this.memo.set(canary, { inputs, changes });
    return changes;
  }

  /** What the recorder stores of a canary's current rollout. */
  async observe(
    cluster: string,
    resolved: ResolvedForChanges,
  ): Promise<CanaryChangesObservation> {
    const revision = revisionOf(resolved.canary);
    const promotion = revision
      ? await this.options.promotions.get(
          keyOf(cluster, resolved.canary),
          revision,
        )
      : undefined;
    return observeCanaryChanges(
      this.options.lookup,
      cluster,
      resolved,
      promotion,
      this.options.changesOptions,
    );
  }

  /** Stores what was observed on the rollout's row (written by the recorder before). */
  async store(
    key: CanaryKey & { revision: string },
    observed: ObservedChanges,
    outcome: RolloutOutcome,
  ): Promise<void> {
    await this.options.repository.record(key, observed);
    if (outcome === 'succeeded') {
      this.options.promotions.promoted(key, key.revision);
    }
  }

  /** The canary was deleted. */
  forget(key: CanaryKey): void {
    this.options.promotions.forget(key);
  }
}
