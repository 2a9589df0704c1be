/** Verbs and resources a user may use; `*` matches any. */
export interface AccessRule {
  verbs: string[];
  /** Plural names (`canaries`), qualified (`canaries.flagger.app`), or `services/proxy`. */
  resources: string[];
}

/** Which sign-in method accepted a request. */
export type AuthMethod = 'token' | 'tokenFile' | 'oidc' | 'aws' | 'anonymous';

/** Who sent a request, as the API server's authenticators establish it. */
export interface AuthenticatedUser {
  method: AuthMethod;
  /** The user name (403 messages and the audit record use it). */
  user: string;
  /** With `system:authenticated` for every signed-in user, as the API server adds it. */
  groups: string[];
  /** Absent: full access. Present: only what a rule allows. */
  allow?: AccessRule[];
}
