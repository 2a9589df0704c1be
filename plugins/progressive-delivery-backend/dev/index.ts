// Runs the plugin alone with the catalog, for development against the cluster simulator:
//   npx cluster-simulator --scenario demo --port 6443 --kubeconfig .cluster-simulator/kubeconfig
//   npx backstage-cli package start --config ../../app-config.yaml --config dev/app-config.yaml
import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(import('../src'));
backend.start();
