import { intern } from './projectionShape';

/**
 * The one string naming an object of a cluster in the plugin's per-object maps (the rollout
 * recorder's, the notifier's, the analysis evaluator's, the entity lookup's, the promotions'):
 * joined, so it is one flat string (a template literal keeps a tree of its pieces alive, about
 * 100 bytes more), and interned, so all those maps share one copy per object.
 */
export function objectId(
  cluster: string,
  namespace: string,
  name: string,
): string {
  return intern([cluster, namespace, name].join('\u0000'));
}
