/*
 * One benchmark backend, run as its own process so each target's RSS is its own:
 * `BENCH_TARGET=ours|peer|ceiling node --require @backstage/cli-node/config/nodeTransform.cjs
 * backend.ts --config FILE`.
 */
import { createBackend } from '@backstage/backend-defaults';
import { scaleEntitiesCatalogModule } from './catalogModule';
import { ceilingPlugin } from './ceilingPlugin';

const target = process.env.BENCH_TARGET;
if (target !== 'ours' && target !== 'peer' && target !== 'ceiling') {
  throw new Error(`BENCH_TARGET must be ours, peer or ceiling, not ${target}`);
}
// Every target is the same backend (catalog with the scale entities, permission backend with
// the allow-all policy) plus one plugin, so that what differs between them is the plugin.
const backend = createBackend();
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(scaleEntitiesCatalogModule);
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(
  import('@backstage/plugin-permission-backend-module-allow-all-policy'),
);
if (target === 'ceiling') {
  backend.add(ceilingPlugin);
} else if (target === 'ours') {
  backend.add(
    import('@progressive-delivery/plugin-progressive-delivery-backend'),
  );
} else {
  backend.add(import('@backstage/plugin-kubernetes-backend'));
}
backend.start();
