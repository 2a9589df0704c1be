import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { SignInPageBlueprint } from '@backstage/plugin-app-react';
import { DemoSignInPage } from './DemoSignInPage';

/**
 * Replaces the app's sign-in page. With `app.demoAutoGuestSignIn: true` (the demo configuration
 * only) the guest user is signed in without a click, so the demo opens straight on the catalog.
 */
export const signInModule = createFrontendModule({
  pluginId: 'app',
  extensions: [
    SignInPageBlueprint.make({
      params: { loader: async () => DemoSignInPage },
    }),
  ],
});
