import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  RolloutAnalysisResponse,
  RolloutHistoryResponse,
  RolloutSummary,
} from '@progressive-delivery/plugin-progressive-delivery-common';
import { EntityResolver } from '../resolve/EntityResolver';
import { readEntitySelection } from '../resolve/entitySelection';
import { CanaryKey, RolloutRepository } from './RolloutRepository';

const DAY_MS = 24 * 60 * 60 * 1000;
/** The summary reads at most this many rollouts of one entity in its window. */
const SUMMARY_LIMIT = 10_000;
/** A rollout id: the `rollouts` row's bigint id in decimal. */
const ROLLOUT_ID = /^[0-9]{1,18}$/;

export function median(values: number[]): number | undefined {
  if (values.length === 0) {
    return undefined;
  }
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? sorted[middle]
    : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * Answers an entity's rollout history and its summary figures: the rollouts recorded for the
 * entity and those of the canaries it owns now (so a renamed annotation keeps the history).
 */
export class RolloutHistoryService {
  constructor(
    private readonly options: {
      repository: RolloutRepository;
      resolver: EntityResolver;
      clusterNames: () => string[];
      now?: () => number;
    },
  ) {}

  async history(
    entity: Entity,
    page: { limit: number; cursor?: string },
  ): Promise<RolloutHistoryResponse> {
    return this.options.repository.listRollouts({
      entityRef: stringifyEntityRef(entity),
      canaries: this.canariesOf(entity),
      limit: page.limit,
      cursor: page.cursor,
    });
  }

  /**
   * The measured points of each check of one of the entity's rollouts (one its history
   * lists), oldest first. 404 when the rollout is not one of the entity's.
   */
  async analysis(
    entity: Entity,
    rolloutId: string,
  ): Promise<RolloutAnalysisResponse> {
    if (!ROLLOUT_ID.test(rolloutId)) {
      throw new InputError(
        `rollout id must be the id of a history record (1 to 18 digits), got "${rolloutId}"`,
      );
    }
    const entityRef = stringifyEntityRef(entity);
    const { repository } = this.options;
    const rollout = await repository.rolloutOf({
      id: rolloutId,
      entityRef,
      canaries: this.canariesOf(entity),
    });
    if (!rollout) {
      throw new NotFoundError(
        `rollout ${rolloutId} is not a recorded rollout of ${entityRef}`,
      );
    }
    const { checks } = await repository.analysis.evidenceOf(rollout);
    return { rolloutId: rollout.id, checks };
  }

  async summary(entity: Entity, days: number): Promise<RolloutSummary> {
    const to = (this.options.now ?? Date.now)();
    const from = to - days * DAY_MS;
    const entityRef = stringifyEntityRef(entity);
    const { items } = await this.options.repository.listRollouts({
      entityRef,
      canaries: this.canariesOf(entity),
      limit: SUMMARY_LIMIT,
      since: from,
      withEvents: false,
    });
    const count = (outcome: string) =>
      items.filter(r => r.outcome === outcome).length;
    const succeeded = count('succeeded');
    const failed = count('failed');
    const summary: RolloutSummary = {
      entityRef,
      days,
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      rollouts: items.length,
      succeeded,
      failed,
      progressing: count('progressing'),
      superseded: count('superseded'),
      rollbacks: failed,
      manualRollbacks: items.filter(r => r.rolledBackBy !== undefined).length,
    };
    if (succeeded + failed > 0) {
      summary.successRate = succeeded / (succeeded + failed);
    }
    const toPromote = median(
      items
        .filter(r => r.outcome === 'succeeded' && r.durationMs !== undefined)
        .map(r => r.durationMs!),
    );
    if (toPromote !== undefined) {
      summary.medianTimeToPromoteMs = toPromote;
    }
    return summary;
  }

  /** The canaries the entity resolves to now, in every cluster it may live in. */
  private canariesOf(entity: Entity): CanaryKey[] {
    const selection = readEntitySelection(entity);
    if (!selection) {
      return [];
    }
    return this.options
      .clusterNames()
      .filter(cluster => !selection.cluster || cluster === selection.cluster)
      .flatMap(cluster =>
        this.options.resolver.resolve(selection, cluster).canaries.map(c => ({
          cluster,
          namespace: c.canary.metadata?.namespace ?? '',
          canary: c.canary.metadata?.name ?? '',
        })),
      );
  }
}
