import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { DemoPermissionPolicy } from './DemoPermissionPolicy';

/**
 * Installs {@link DemoPermissionPolicy} in the permission backend: everyone reads, only an
 * entity's owners act on its canaries and Flux objects.
 */
export const permissionModuleDemoPolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'progressive-delivery-demo-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint, userInfo: coreServices.userInfo },
      async init({ policy, userInfo }) {
        policy.setPolicy(new DemoPermissionPolicy({ userInfo }));
      },
    });
  },
});
