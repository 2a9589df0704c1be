import * as KubernetesBackend from '@backstage/plugin-kubernetes-backend';
import {
  HEADER_KUBERNETES_AUTH,
  loadStrategyClass,
  StrategyClasses,
} from './kubernetesBackendModules';

const NAMES: Array<keyof StrategyClasses> = [
  'AksStrategy',
  'AnonymousStrategy',
  'AwsIamStrategy',
  'AzureIdentityStrategy',
  'GoogleServiceAccountStrategy',
  'GoogleStrategy',
  'OidcStrategy',
  'ServiceAccountStrategy',
];

describe("the Kubernetes plugin's strategy modules", () => {
  it.each(NAMES)(
    '%s is in its own module, the same class as the index exports',
    name => {
      // The own module, not the fallback: an upgrade that moves it fails here.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const own = require(`@backstage/plugin-kubernetes-backend/dist/auth/${name}.cjs.js`);
      expect(own[name]).toBe(KubernetesBackend[name]);
      expect(loadStrategyClass(name)).toBe(KubernetesBackend[name]);
    },
  );

  it('reads the user token from the header the Kubernetes plugin uses', () => {
    expect(HEADER_KUBERNETES_AUTH).toBe(
      KubernetesBackend.HEADER_KUBERNETES_AUTH,
    );
  });
});
