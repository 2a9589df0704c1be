import { ApiError, Errors } from './status';

/** Verbs and resources a token may use; `*` matches any. */
export interface AccessRule {
  verbs: string[];
  /** Plural names (`canaries`), qualified (`canaries.flagger.app`), or `services/proxy`. */
  resources: string[];
}

export interface TokenConfig {
  token: string;
  /** Shown in 403 messages; defaults to a service-account-like name. */
  user?: string;
  /** Absent: full access. Present: only what a rule allows. */
  allow?: AccessRule[];
}

export interface AccessRequest {
  verb: string;
  group: string;
  plural: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}

/** Bearer-token authentication and a minimal RBAC, so 401 and 403 can be produced on purpose. */
export class TokenAuthenticator {
  private readonly tokens = new Map<string, TokenConfig>();

  /**
   * `anonymous`: requests without credentials act as this token (like the
   * old insecure port). kubectl sends no token over plain HTTP, so the CLI
   * uses it with --http; a wrong token is still a 401.
   */
  constructor(tokens: TokenConfig[], private readonly anonymous?: TokenConfig) {
    for (const t of tokens) this.tokens.set(t.token, t);
  }

  /** The token's config, or a 401 error. */
  authenticate(authorization: string | undefined): TokenConfig {
    if (!authorization && this.anonymous) return this.anonymous;
    const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    const config = m ? this.tokens.get(m[1]) : undefined;
    if (!config) throw Errors.unauthorized();
    return config;
  }

  /** Throws a 403 when `config` may not do `request`. */
  authorize(config: TokenConfig, request: AccessRequest): void {
    if (!config.allow) return;
    const names = [request.plural, `${request.plural}.${request.group}`];
    if (request.subresource) {
      names.push(`${request.plural}/${request.subresource}`);
    }
    const allowed = config.allow.some(
      rule =>
        (rule.verbs.includes('*') || rule.verbs.includes(request.verb)) &&
        (rule.resources.includes('*') ||
          names.some(n => rule.resources.includes(n))),
    );
    if (!allowed) {
      const error: ApiError = Errors.forbidden(
        config.user ?? 'system:serviceaccount:simulator:restricted',
        request.verb,
        request.group,
        request.subresource
          ? `${request.plural}/${request.subresource}`
          : request.plural,
        request.namespace,
        request.name,
      );
      throw error;
    }
  }
}
