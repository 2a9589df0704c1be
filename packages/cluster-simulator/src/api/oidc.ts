import https from 'node:https';
import {
  compactVerify,
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  JSONWebKeySet,
  JWTPayload,
} from 'jose';
import { AccessRule, AuthenticatedUser } from './identity';

/**
 * kube-apiserver's OIDC authenticator (the `--oidc-*` flags): ID tokens
 * signed by a key of the JWKS, issued by `issuerUrl` for `clientId`.
 */
export interface OidcConfig {
  /** Must equal the token's `iss` exactly. */
  issuerUrl: string;
  /** Must be one of the token's `aud`. */
  clientId: string;
  /** The keys, replaceable at runtime (`auth.setJwks`). One of jwks / jwksUri is required. */
  jwks?: JSONWebKeySet;
  /** Where to fetch the keys; fetched again when a token names an unknown `kid`. */
  jwksUri?: string;
  /** PEM CA for an HTTPS jwksUri with a private CA. */
  jwksCa?: string;
  /** Default `sub`. */
  usernameClaim?: string;
  /**
   * As `--oidc-username-prefix`: absent means the issuer URL and `#` for
   * claims other than `email` (no prefix for `email`); `-` means no prefix.
   */
  usernamePrefix?: string;
  /** A claim holding a string or a list of strings; absent: no groups. */
  groupsClaim?: string;
  groupsPrefix?: string;
  /** Accepted `alg`s, default `['RS256']` as the API server's default. */
  signingAlgs?: string[];
  /** What every OIDC user may do; absent: full access. */
  allow?: AccessRule[];
  /** Per user name (with its prefix), overriding `allow`. */
  allowUsers?: Record<string, AccessRule[]>;
}

/** go-oidc lets `nbf` be up to five minutes in the future (clock skew). */
const NBF_LEEWAY_SECONDS = 5 * 60;

type KeySet = ReturnType<typeof createLocalJWKSet>;

function keySetOf(config: OidcConfig): KeySet {
  if (config.jwks) return createLocalJWKSet(config.jwks);
  if (config.jwksUri) {
    return createRemoteJWKSet(new URL(config.jwksUri), {
      // As go-oidc's remote key set: an unknown kid fetches the keys again.
      cooldownDuration: 0,
      ...(config.jwksCa
        ? { agent: new https.Agent({ ca: config.jwksCa }) }
        : {}),
    });
  }
  throw new Error(`OIDC issuer ${config.issuerUrl}: set jwks or jwksUri`);
}

function expectedAlgs(config: OidcConfig): string[] {
  return config.signingAlgs ?? ['RS256'];
}

/** Verifies ID tokens; every failure is an Error whose message says why (go-oidc's wording). */
export class OidcVerifier {
  private keys: KeySet;

  constructor(private readonly config: OidcConfig) {
    if (!config.issuerUrl || !config.clientId) {
      throw new Error('OIDC needs issuerUrl and clientId');
    }
    this.keys = keySetOf(config);
  }

  setJwks(jwks: JSONWebKeySet): void {
    this.keys = createLocalJWKSet(jwks);
  }

  async verify(token: string): Promise<AuthenticatedUser> {
    let claims: JWTPayload;
    try {
      claims = decodeJwt(token);
    } catch (e) {
      throw new Error(`oidc: malformed jwt: ${(e as Error).message}`);
    }
    this.checkClaims(claims);
    const { alg } = decodeProtectedHeader(token);
    const algs = expectedAlgs(this.config);
    if (!alg || !algs.includes(alg)) {
      throw new Error(
        `oidc: id token signed with unsupported algorithm, expected ${JSON.stringify(
          algs,
        )} got ${JSON.stringify(alg)}`,
      );
    }
    try {
      await compactVerify(token, this.keys, { algorithms: algs });
    } catch (e) {
      throw new Error(
        `oidc: failed to verify signature: ${(e as Error).message}`,
      );
    }
    return this.identity(claims);
  }

  /** iss, aud, exp and nbf, in go-oidc's order. */
  private checkClaims(claims: JWTPayload): void {
    const { issuerUrl, clientId } = this.config;
    if (claims.iss !== issuerUrl) {
      throw new Error(
        `oidc: id token issued by a different provider, expected ${JSON.stringify(
          issuerUrl,
        )} got ${JSON.stringify(claims.iss)}`,
      );
    }
    const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!aud.includes(clientId)) {
      throw new Error(
        `oidc: expected audience ${JSON.stringify(
          clientId,
        )} got ${JSON.stringify(claims.aud ?? [])}`,
      );
    }
    const now = Date.now() / 1000;
    if (typeof claims.exp !== 'number') {
      throw new Error('oidc: token has no exp (expiry) claim');
    }
    if (claims.exp < now) {
      throw new Error(
        `oidc: token is expired (Token Expiry: ${new Date(
          claims.exp * 1000,
        ).toISOString()})`,
      );
    }
    if (
      typeof claims.nbf === 'number' &&
      now + NBF_LEEWAY_SECONDS < claims.nbf
    ) {
      throw new Error(
        `oidc: current time ${new Date(
          now * 1000,
        ).toISOString()} before the nbf (not before) time: ${new Date(
          claims.nbf * 1000,
        ).toISOString()}`,
      );
    }
  }

  /** The user name (claim with prefix) and groups, as the API server maps them. */
  private identity(claims: JWTPayload): AuthenticatedUser {
    const c = this.config;
    const claim = c.usernameClaim ?? 'sub';
    const value = claims[claim];
    if (typeof value !== 'string' || !value) {
      throw new Error(
        `oidc: parse username claims ${JSON.stringify(
          claim,
        )}: claim not present`,
      );
    }
    if (claim === 'email' && claims.email_verified === false) {
      throw new Error(`oidc: email not verified`);
    }
    let prefix = c.usernamePrefix;
    if (prefix === undefined)
      prefix = claim === 'email' ? '' : `${c.issuerUrl}#`;
    if (prefix === '-') prefix = '';
    const user = `${prefix}${value}`;
    const groups = this.groups(claims);
    const allow = c.allowUsers?.[user] ?? c.allow;
    return {
      method: 'oidc',
      user,
      groups: [...groups, 'system:authenticated'],
      ...(allow ? { allow } : {}),
    };
  }

  private groups(claims: JWTPayload): string[] {
    const { groupsClaim, groupsPrefix = '' } = this.config;
    if (!groupsClaim || claims[groupsClaim] === undefined) return [];
    const raw = claims[groupsClaim];
    const list = typeof raw === 'string' ? [raw] : raw;
    if (!Array.isArray(list) || list.some(g => typeof g !== 'string')) {
      throw new Error(
        `oidc: parse groups claim ${JSON.stringify(
          groupsClaim,
        )}: not a string or a list of strings`,
      );
    }
    return (list as string[]).map(g => `${groupsPrefix}${g}`);
  }
}
