import { promises as fs } from 'node:fs';
import {
  AWS_TOKEN_PREFIX,
  AwsAccessKey,
  AwsIamTokenError,
  verifyAwsIamToken,
} from './awsIam';
import { AccessRule, AuthenticatedUser } from './identity';
import { OidcConfig, OidcVerifier } from './oidc';
import { ApiError, Errors } from './status';

export type { AccessRule, AuthenticatedUser, AuthMethod } from './identity';

/** A bearer token from the static list. */
export interface TokenConfig {
  token: string;
  /** The user name (403 messages, audit); defaults to a service-account-like name. */
  user?: string;
  /** Groups of the user, besides `system:authenticated`. */
  groups?: string[];
  /** Absent: full access. Present: only what a rule allows. */
  allow?: AccessRule[];
  /**
   * When the token stops working, in wall-clock ms (Date.now()): credentials
   * expire in real time even when the simulated clock is virtual. Absent: never.
   */
  expiresAt?: number;
}

/**
 * A file whose current content is a valid token, as the API server accepts
 * a pod's projected service-account token: the file is read on every request
 * that no static token matched, so after it is rewritten the old content is
 * refused (401) and the new one accepted at once.
 */
export interface TokenFileConfig {
  path: string;
  /** Default `system:serviceaccount:simulator:token-file`. */
  user?: string;
  groups?: string[];
  allow?: AccessRule[];
}

/** How one cluster signs requests in, at start. */
export interface AuthSettings {
  tokens?: TokenConfig[];
  tokenFiles?: TokenFileConfig[];
  oidc?: OidcConfig;
  /**
   * EKS-style sign-in (aws-iam-authenticator): `k8s-aws-v1.` tokens, presigned STS
   * GetCallerIdentity calls, checked against these access keys; the user is the key's ARN.
   */
  awsAccessKeys?: AwsAccessKey[];
  /** The cluster id an AWS token must be signed for (`x-k8s-aws-id`); default the cluster's name. */
  awsClusterId?: string;
  /** Requests without credentials act as `system:anonymous` with full access (plain-HTTP kubectl). */
  anonymous?: boolean;
}

/**
 * Changes sign-in methods while the simulator runs (`sim.auth` for every
 * cluster, `sim.cluster(name).auth` for one). Each change applies to the
 * next request.
 */
export interface AuthControl {
  /** Accepts a bearer token (replaces a token with the same value). */
  addToken(token: TokenConfig): void;
  /** Refuses a static token from now on (401); false when it was not known. */
  revokeToken(token: string): boolean;
  /** Accepts the current content of a file (replaces one with the same path). */
  addTokenFile(file: TokenFileConfig): void;
  removeTokenFile(path: string): boolean;
  /** Turns OIDC on with this configuration (replacing the previous one), or off with undefined. */
  setOidc(oidc: OidcConfig | undefined): void;
  /** Key rotation: the JWKS OIDC tokens are verified against from now on. */
  setJwks(jwks: OidcConfig['jwks'] & object): void;
  /** Accepts AWS IAM tokens signed with this access key (replaces one with the same id). */
  addAwsAccessKey(key: AwsAccessKey): void;
}

export interface AccessRequest {
  verb: string;
  group: string;
  plural: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}

/** Default user of a static token without `user` (kept as it always was). */
export const DEFAULT_TOKEN_USER = 'system:serviceaccount:simulator:restricted';
export const DEFAULT_TOKEN_FILE_USER =
  'system:serviceaccount:simulator:token-file';
const AUTHENTICATED = 'system:authenticated';

function authenticated(
  method: AuthenticatedUser['method'],
  user: string,
  groups: string[] | undefined,
  allow: AccessRule[] | undefined,
): AuthenticatedUser {
  return {
    method,
    user,
    groups: [...(groups ?? []), AUTHENTICATED],
    ...(allow ? { allow } : {}),
  };
}

/**
 * Authentication as kube-apiserver's union of authenticators (static
 * tokens, token files, OIDC) and a minimal RBAC, so 401 and 403 can be
 * produced on purpose. A 401 keeps the API server's message `Unauthorized`
 * and names the reason in `details.causes`.
 */
export class Authenticator implements AuthControl {
  private readonly tokens = new Map<string, TokenConfig>();
  private readonly tokenFiles = new Map<string, TokenFileConfig>();
  private oidc: OidcVerifier | undefined;
  private readonly awsKeys = new Map<string, AwsAccessKey>();

  constructor(private readonly settings: AuthSettings = {}) {
    for (const t of settings.tokens ?? []) this.addToken(t);
    for (const f of settings.tokenFiles ?? []) this.addTokenFile(f);
    this.setOidc(settings.oidc);
    for (const k of settings.awsAccessKeys ?? []) this.addAwsAccessKey(k);
  }

  addAwsAccessKey(key: AwsAccessKey): void {
    this.awsKeys.set(key.accessKeyId, { ...key });
  }

  addToken(token: TokenConfig): void {
    if (!token.token) throw new Error('a bearer token must not be empty');
    this.tokens.set(token.token, { ...token });
  }

  revokeToken(token: string): boolean {
    return this.tokens.delete(token);
  }

  addTokenFile(file: TokenFileConfig): void {
    this.tokenFiles.set(file.path, { ...file });
  }

  removeTokenFile(path: string): boolean {
    return this.tokenFiles.delete(path);
  }

  setOidc(oidc: OidcConfig | undefined): void {
    this.oidc = oidc ? new OidcVerifier(oidc) : undefined;
  }

  setJwks(jwks: OidcConfig['jwks'] & object): void {
    if (!this.oidc) throw new Error('OIDC is not configured; call setOidc');
    this.oidc.setJwks(jwks);
  }

  /** Who sent the request, or a 401 error naming why not. */
  async authenticate(
    authorization: string | undefined,
  ): Promise<AuthenticatedUser> {
    if (!authorization) {
      if (this.settings.anonymous) {
        return {
          method: 'anonymous',
          user: 'system:anonymous',
          groups: ['system:unauthenticated'],
        };
      }
      throw Errors.unauthorized('no bearer token in the request');
    }
    const m = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (!m) throw Errors.unauthorized('the Authorization header is not Bearer');
    const token = m[1];
    const listed = this.tokens.get(token);
    if (listed) {
      if (listed.expiresAt !== undefined && Date.now() >= listed.expiresAt) {
        throw Errors.unauthorized(
          `token expired at ${new Date(listed.expiresAt).toISOString()}`,
        );
      }
      return authenticated(
        'token',
        listed.user ?? DEFAULT_TOKEN_USER,
        listed.groups,
        listed.allow,
      );
    }
    const fromFile = await this.matchTokenFile(token);
    if (fromFile) return fromFile;
    if (this.awsKeys.size > 0 && token.startsWith(AWS_TOKEN_PREFIX)) {
      return this.verifyAws(token);
    }
    if (this.oidc && token.split('.').length === 3) {
      return this.oidc.verify(token).catch((e: unknown) => {
        throw Errors.unauthorized((e as Error).message);
      });
    }
    throw Errors.unauthorized('invalid bearer token');
  }

  private async verifyAws(token: string): Promise<AuthenticatedUser> {
    if (!this.settings.awsClusterId) {
      throw Errors.unauthorized('AWS IAM sign-in has no cluster id');
    }
    try {
      const arn = await verifyAwsIamToken(token, {
        clusterId: this.settings.awsClusterId,
        keys: [...this.awsKeys.values()],
      });
      return authenticated('aws', arn, undefined, undefined);
    } catch (e) {
      if (e instanceof AwsIamTokenError) {
        throw Errors.unauthorized(`aws-iam-authenticator: ${e.message}`);
      }
      throw e;
    }
  }

  private async matchTokenFile(
    token: string,
  ): Promise<AuthenticatedUser | undefined> {
    for (const file of this.tokenFiles.values()) {
      const current = await fs.readFile(file.path, 'utf8').then(
        text => text.trim(),
        () => undefined,
      );
      if (current && current === token) {
        return authenticated(
          'tokenFile',
          file.user ?? DEFAULT_TOKEN_FILE_USER,
          file.groups,
          file.allow,
        );
      }
    }
    return undefined;
  }

  /** Throws a 403 naming the user when `identity` may not do `request`. */
  authorize(identity: AuthenticatedUser, request: AccessRequest): void {
    if (!identity.allow) return;
    const names = [request.plural, `${request.plural}.${request.group}`];
    if (request.subresource) {
      names.push(`${request.plural}/${request.subresource}`);
    }
    const allowed = identity.allow.some(
      rule =>
        (rule.verbs.includes('*') || rule.verbs.includes(request.verb)) &&
        (rule.resources.includes('*') ||
          names.some(n => rule.resources.includes(n))),
    );
    if (!allowed) {
      const error: ApiError = Errors.forbidden(
        identity.user,
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
