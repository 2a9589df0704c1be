import { ObjectStore } from '../../api/ObjectStore';
import { KubeObject } from '../../types';
import { syncPrimaryConfigs, trackedConfigs } from '../configTracker';
import { computeSpecHash } from '../../util/hash';
import { Canary, primaryDeployment } from '../model';
import { primaryName } from '../names';

/** The Deployment fields the scheduler reads. */
export type Deployment = KubeObject & {
  spec: {
    replicas?: number;
    template: { metadata?: { labels?: Record<string, string> } };
  };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    availableReplicas?: number;
  };
};

/**
 * The target and primary Deployments of a canary
 * (pkg/canary/deployment_controller.go).
 */
export class DeploymentController {
  constructor(private readonly store: ObjectStore) {}

  private get(namespace: string, name: string): Deployment | undefined {
    return this.store.getByKind('apps/v1', 'Deployment', namespace, name) as
      | Deployment
      | undefined;
  }

  target(cd: Canary): Deployment | undefined {
    return this.get(cd.metadata.namespace ?? '', cd.spec.targetRef.name);
  }

  primary(cd: Canary): Deployment | undefined {
    return this.get(cd.metadata.namespace ?? '', primaryName(cd));
  }

  /** Initialize: creates `<target>-primary` from the target when missing. */
  createPrimary(cd: Canary, target: Deployment): void {
    if (this.primary(cd)) return;
    const primary = primaryDeployment(cd, target);
    syncPrimaryConfigs(this.store, cd, primary);
    this.store.create(primary, true);
  }

  /** Sets the target's replicas (ScaleToZero / ScaleFromZero). */
  scaleTarget(cd: Canary, replicas: number): void {
    const ns = cd.metadata.namespace;
    this.store.mutate(
      'apps/v1',
      'Deployment',
      ns,
      cd.spec.targetRef.name,
      d => {
        (d.spec as { replicas?: number }).replicas = replicas;
      },
    );
  }

  /** Promote: copy the target's pod template (and tracked configs) into the primary. */
  promote(cd: Canary, target: Deployment): void {
    const primary = this.primary(cd);
    if (!primary) return;
    const desired = primaryDeployment(cd, target, primary.spec.replicas);
    syncPrimaryConfigs(this.store, cd, desired);
    this.store.update({ ...primary, spec: desired.spec });
  }

  /**
   * HasTargetChanged (the pod template hash differs from lastAppliedSpec and
   * lastPromotedSpec) or HaveDependenciesChanged (a tracked config changed).
   */
  hasTargetChanged(cd: Canary, target: Deployment): boolean {
    const applied = cd.status?.lastAppliedSpec;
    if (!applied) return true;
    const hash = computeSpecHash(target.spec.template);
    if (cd.status?.lastPromotedSpec !== hash && applied !== hash) return true;
    const configs = trackedConfigs(
      this.store,
      cd.metadata.namespace ?? '',
      target.spec.template,
    );
    return (
      JSON.stringify(configs ?? {}) !==
      JSON.stringify(cd.status?.trackedConfigs ?? {})
    );
  }
}
