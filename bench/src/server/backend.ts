/*
 * One benchmark backend, run as its own process so each target's RSS is its own:
 * `BENCH_TARGET=ours|peer|ceiling node --import tsx backend.ts --config FILE`.
 */
import { createBackend } from '@backstage/backend-defaults';
import { scaleEntitiesCatalogModule } from './catalogModule';
import { ceilingPlugin } from './ceilingPlugin';

const target = process.env.BENCH_TARGET;
const backend = createBackend();
if (target === 'ceiling') {
  backend.add(ceilingPlugin);
} else if (target === 'ours' || target === 'peer') {
  backend.add(import('@backstage/plugin-catalog-backend'));
  backend.add(scaleEntitiesCatalogModule);
  backend.add(import('@backstage/plugin-permission-backend'));
  backend.add(
    import('@backstage/plugin-permission-backend-module-allow-all-policy'),
  );
  backend.add(
    target === 'ours'
      ? import('@internal/plugin-progressive-delivery-backend')
      : import('@backstage/plugin-kubernetes-backend'),
  );
} else {
  throw new Error(`BENCH_TARGET must be ours, peer or ceiling, not ${target}`);
}
backend.start();
