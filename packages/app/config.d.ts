export interface Config {
  app?: {
    /**
     * Sign in as the guest user automatically. Meant for the demo configuration only; leave it
     * unset wherever real users sign in.
     * @visibility frontend
     */
    demoAutoGuestSignIn?: boolean;
  };
}
