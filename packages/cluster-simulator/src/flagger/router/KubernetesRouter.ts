import { ObjectStore } from '../../api/ObjectStore';
import { Canary, generatedServices } from '../model';
import { createOrUpdateSpec } from './applySpec';

/**
 * The apex, `-primary` and `-canary` Services every provider routes to
 * (pkg/router/kubernetes_default.go).
 */
export class KubernetesRouter {
  constructor(private readonly store: ObjectStore) {}

  /** Initialize: creates the Services that are missing, leaves the others. */
  initialize(cd: Canary): void {
    for (const svc of generatedServices(cd)) {
      const { namespace, name } = svc.metadata;
      if (!this.store.getByKind('v1', 'Service', namespace, name)) {
        this.store.create(svc);
      }
    }
  }

  /** Reconcile: creates the missing Services and updates drifted specs. */
  reconcile(cd: Canary): void {
    for (const svc of generatedServices(cd))
      createOrUpdateSpec(this.store, svc);
  }
}
