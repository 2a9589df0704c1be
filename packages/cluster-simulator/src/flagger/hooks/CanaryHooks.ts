import { CanaryStatusWriter } from '../canary/CanaryStatusWriter';
import { Canary, CanaryPhase, CanaryWebhook } from '../model';
import { canaryId } from '../names';
import { CanaryEvents } from '../recorder/CanaryEvents';
import { WebhookCaller, webhooksOfType } from './WebhookCaller';

export interface CanaryHooksOptions {
  webhooks: WebhookCaller;
  events: CanaryEvents;
  status: CanaryStatusWriter;
  now: () => number;
}

/** `confirm-rollout` -> `Confirm-rollout`, as Flagger's "check passed" events name a hook type. */
function capitalised(type: string): string {
  return type.charAt(0).toUpperCase() + type.slice(1);
}

/**
 * The gates and hooks of a rollout (pkg/controller/scheduler_hooks.go): each
 * runs the canary's webhooks of one type in order and stops at the first
 * that fails.
 */
export class CanaryHooks {
  constructor(private readonly options: CanaryHooksOptions) {}

  /** Calls the hooks of a type; on the first failure calls `onFailure` and answers false. */
  private run(
    cd: Canary,
    type: string,
    phase: CanaryPhase,
    onFailure: (hook: CanaryWebhook, err: string) => void,
  ): boolean {
    for (const hook of webhooksOfType(cd, type)) {
      const err = this.options.webhooks.call(cd, phase, hook);
      if (err !== undefined) {
        onFailure(hook, err);
        return false;
      }
      this.options.events.info(
        cd,
        `${capitalised(type)} check ${hook.name} passed`,
      );
    }
    return true;
  }

  /** confirm-rollout: a closed gate holds a new revision in Waiting. */
  confirmRollout(cd: Canary): boolean {
    return this.run(cd, 'confirm-rollout', cd.status?.phase ?? '', hook => {
      if (cd.status?.phase === 'Waiting') return;
      this.options.status.setPhase(cd, 'Waiting', this.options.now());
      this.options.events.warn(
        cd,
        `Halt ${canaryId(cd)} advancement waiting for approval ${hook.name}`,
      );
    });
  }

  /** confirm-traffic-increase: a closed gate holds the canary at its weight. */
  confirmTrafficIncrease(cd: Canary): boolean {
    return this.run(cd, 'confirm-traffic-increase', 'Progressing', hook =>
      this.options.events.warn(
        cd,
        `Halt ${canaryId(
          cd,
        )} advancement waiting for traffic increase approval ${hook.name}`,
      ),
    );
  }

  /** confirm-promotion: a closed gate holds the canary in WaitingPromotion. */
  confirmPromotion(cd: Canary): boolean {
    return this.run(cd, 'confirm-promotion', 'Progressing', hook => {
      const now = this.options.now();
      if (cd.status?.phase === 'WaitingPromotion') {
        const iterations = cd.spec.analysis?.iterations ?? 0;
        this.options.status.setIterations(cd, iterations - 1, now);
        return;
      }
      this.options.status.setPhase(cd, 'WaitingPromotion', now);
      this.options.events.warn(
        cd,
        `Halt ${canaryId(cd)} advancement waiting for promotion approval ${
          hook.name
        }`,
      );
    });
  }

  preRollout(cd: Canary): boolean {
    return this.run(cd, 'pre-rollout', 'Progressing', (hook, err) =>
      this.options.events.warn(
        cd,
        `Halt ${canaryId(cd)} advancement pre-rollout check ${
          hook.name
        } failed ${err}`,
      ),
    );
  }

  postRollout(cd: Canary, phase: CanaryPhase): void {
    this.run(cd, 'post-rollout', phase, (hook, err) =>
      this.options.events.warn(
        cd,
        `Post-rollout hook ${hook.name} failed ${err}`,
      ),
    );
  }

  /** rollback: true when a hook answers success, i.e. asks for a rollback. */
  rollback(cd: Canary, phase: CanaryPhase): boolean {
    for (const hook of webhooksOfType(cd, 'rollback')) {
      if (this.options.webhooks.call(cd, phase, hook) === undefined) {
        this.options.events.warn(cd, `Rollback check ${hook.name} passed`);
        return true;
      }
      this.options.events.info(
        cd,
        `Rollback hook ${hook.name} not signaling a rollback`,
      );
    }
    return false;
  }
}
