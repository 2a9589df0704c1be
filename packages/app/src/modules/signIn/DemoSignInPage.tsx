import { SignInPage } from '@backstage/core-components';
import { configApiRef, useApi } from '@backstage/core-plugin-api';
import type { SignInPageProps } from '@backstage/plugin-app-react';

// core-components' SignInPage resumes the provider remembered under this key without asking;
// remembering `guest` up front is how the demo skips the "Enter" click.
const LAST_PROVIDER_KEY = '@backstage/core:SignInPage:provider';

export function DemoSignInPage(props: SignInPageProps) {
  const config = useApi(configApiRef);
  if (config.getOptionalBoolean('app.demoAutoGuestSignIn')) {
    window.localStorage.setItem(LAST_PROVIDER_KEY, 'guest');
  }
  return <SignInPage {...props} providers={['guest']} />;
}
