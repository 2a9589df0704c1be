import http from 'node:http';
import { AddressInfo } from 'node:net';
import {
  exportJWK,
  generateKeyPair,
  JSONWebKeySet,
  JWK,
  JWTPayload,
  KeyLike,
  SignJWT,
} from 'jose';
import { ClusterInfo, Simulator, startSimulator } from '../Simulator';
import { httpsRequest } from '../testUtils/httpsRequest';

const ISSUER = 'https://login.example.com/tenant';
const CLIENT_ID = 'kubernetes';
const CANARIES = '/apis/flagger.app/v1beta1/namespaces/tenant-a/canaries';
/** RSA key generation and signing take seconds on a busy machine. */
jest.setTimeout(60_000);

interface SigningKey {
  kid: string;
  privateKey: KeyLike;
  jwk: JWK;
}

async function signingKey(kid: string, alg = 'RS256'): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg);
  const jwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return { kid, privateKey, jwk };
}

function jwks(...keys: SigningKey[]): JSONWebKeySet {
  return { keys: keys.map(k => k.jwk) };
}

/** An ID token for `sub` (valid for an hour unless `claims` say otherwise). */
async function idToken(
  key: SigningKey,
  claims: JWTPayload = {},
  alg = 'RS256',
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    iss: ISSUER,
    aud: CLIENT_ID,
    sub: 'user-1',
    email: 'jane@example.com',
    groups: ['platform', 'oncall'],
    iat: now,
    exp: now + 3600,
    ...claims,
  })
    .setProtectedHeader({ alg, kid: key.kid })
    .sign(key.privateKey);
}

describe('OIDC sign-in', () => {
  let sim: Simulator;
  let prod: ClusterInfo;
  let key1: SigningKey;
  let key2: SigningKey;

  const oidc = () => ({
    issuerUrl: ISSUER,
    clientId: CLIENT_ID,
    jwks: jwks(key1),
    usernameClaim: 'email',
    usernamePrefix: 'oidc:',
    groupsClaim: 'groups',
    groupsPrefix: 'oidc:',
    allowUsers: {
      'oidc:viewer@example.com': [
        { verbs: ['get', 'list', 'watch'], resources: ['*'] },
      ],
    },
  });

  /** The 401's reason, or the status when it is not 401. */
  async function refusal(token: string): Promise<string | number> {
    const res = await httpsRequest(prod, CANARIES, { token });
    return res.status === 401 ? res.body.details.causes[0].message : res.status;
  }

  beforeAll(async () => {
    key1 = await signingKey('key-1');
    key2 = await signingKey('key-2');
    sim = await startSimulator({ scenario: 'demo', oidc: oidc() });
    prod = sim.clusters[0];
  });

  afterAll(() => sim.stop());

  afterEach(() => sim.auth.setOidc(oidc()));

  it('accepts a valid ID token and records the prefixed user and groups', async () => {
    const token = await idToken(key1);
    expect((await httpsRequest(prod, CANARIES, { token })).status).toBe(200);
    const audit = sim.cluster(prod.name).audit;
    audit.clear();
    const patched = await httpsRequest(prod, `${CANARIES}/podinfo`, {
      token,
      method: 'PATCH',
      contentType: 'application/merge-patch+json',
      body: { metadata: { annotations: { reviewed: 'yes' } } },
    });
    expect(patched.status).toBe(200);
    expect(audit.writes()).toEqual([
      expect.objectContaining({
        user: 'oidc:jane@example.com',
        groups: ['oidc:platform', 'oidc:oncall', 'system:authenticated'],
        method: 'oidc',
        verb: 'patch',
        resource: 'canaries',
        namespace: 'tenant-a',
        name: 'podinfo',
        code: 200,
      }),
    ]);
  });

  it('refuses expired, not-yet-valid, foreign and misaddressed tokens with the reason', async () => {
    const past = Math.floor(Date.now() / 1000) - 60;
    expect(await refusal(await idToken(key1, { exp: past }))).toMatch(
      /^oidc: token is expired \(Token Expiry: /,
    );
    expect(await refusal(await idToken(key1, { exp: undefined }))).toBe(
      'oidc: token has no exp (expiry) claim',
    );
    // nbf may be up to five minutes ahead (clock skew), not more.
    const soon = Math.floor(Date.now() / 1000) + 120;
    expect(await refusal(await idToken(key1, { nbf: soon }))).toBe(200);
    expect(await refusal(await idToken(key1, { nbf: soon + 600 }))).toMatch(
      /before the nbf \(not before\) time/,
    );
    expect(await refusal(await idToken(key1, { aud: 'other-app' }))).toBe(
      'oidc: expected audience "kubernetes" got "other-app"',
    );
    expect(
      await refusal(await idToken(key1, { aud: ['other-app', CLIENT_ID] })),
    ).toBe(200);
    expect(
      await refusal(await idToken(key1, { iss: 'https://evil.example.com' })),
    ).toBe(
      `oidc: id token issued by a different provider, expected "${ISSUER}" got "https://evil.example.com"`,
    );
    expect(await refusal(await idToken(key1, { email: undefined }))).toBe(
      'oidc: parse username claims "email": claim not present',
    );
    expect(await refusal(await idToken(key1, { email_verified: false }))).toBe(
      'oidc: email not verified',
    );
  });

  it('refuses a token signed by a key outside the JWKS, or with an algorithm not allowed', async () => {
    const impostor = { ...(await signingKey('key-1')), kid: 'key-1' };
    expect(await refusal(await idToken(impostor))).toMatch(
      /^oidc: failed to verify signature: /,
    );
    expect(await refusal(await idToken(key2))).toMatch(
      /^oidc: failed to verify signature: no applicable key/,
    );
    const ec = await signingKey('key-1', 'ES256');
    expect(await refusal(await idToken(ec, {}, 'ES256'))).toBe(
      'oidc: id token signed with unsupported algorithm, expected ["RS256"] got "ES256"',
    );
    const token = await idToken(key1);
    expect(`${token.slice(0, -4)}AAAA`).not.toBe(token);
    expect(await refusal(`${token.slice(0, -4)}AAAA`)).toMatch(
      /^oidc: failed to verify signature: /,
    );
  });

  it('follows key rotation when the JWKS is replaced', async () => {
    const old = await idToken(key1);
    const rotated = await idToken(key2);
    expect(await refusal(rotated)).not.toBe(200);
    sim.auth.setJwks(jwks(key1, key2));
    expect(await refusal(old)).toBe(200);
    expect(await refusal(rotated)).toBe(200);
    sim.auth.setJwks(jwks(key2));
    expect(await refusal(old)).toMatch(/^oidc: failed to verify signature/);
    expect(await refusal(rotated)).toBe(200);
  });

  it('names the OIDC user in a 403 and prefixes other claims with the issuer by default', async () => {
    const viewer = await idToken(key1, { email: 'viewer@example.com' });
    expect(await refusal(viewer)).toBe(200);
    const denied = await httpsRequest(prod, `${CANARIES}/podinfo`, {
      token: viewer,
      method: 'DELETE',
    });
    expect(denied.status).toBe(403);
    expect(denied.body.message).toContain(
      'User "oidc:viewer@example.com" cannot delete resource "canaries"',
    );

    const { usernamePrefix, allowUsers, ...rest } = oidc();
    sim.auth.setOidc({
      ...rest,
      usernameClaim: 'sub',
      allow: [{ verbs: ['get'], resources: ['pods'] }],
    });
    const res = await httpsRequest(prod, CANARIES, {
      token: await idToken(key1),
    });
    expect(res.body.message).toContain(`User "${ISSUER}#user-1" cannot list`);
    sim.auth.setOidc(undefined);
    expect(await refusal(await idToken(key1))).toBe('invalid bearer token');
  });
});

describe('OIDC keys from a jwksUri', () => {
  it('fetches the keys, and again when a token names a new key', async () => {
    const key1 = await signingKey('uri-1');
    const key2 = await signingKey('uri-2');
    let served = jwks(key1);
    let fetches = 0;
    const keyServer = http.createServer((_req, res) => {
      fetches++;
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(served));
    });
    await new Promise<void>(r => keyServer.listen(0, '127.0.0.1', r));
    const { port } = keyServer.address() as AddressInfo;
    const sim = await startSimulator({
      scenario: 'empty',
      oidc: {
        issuerUrl: ISSUER,
        clientId: CLIENT_ID,
        jwksUri: `http://127.0.0.1:${port}/keys`,
      },
    });
    try {
      const cluster = sim.clusters[0];
      const get = async (token: string) =>
        (await httpsRequest(cluster, '/api/v1/namespaces', { token })).status;
      expect(await get(await idToken(key1))).toBe(200);
      expect(fetches).toBe(1);
      expect(await get(await idToken(key2))).toBe(401);
      served = jwks(key2);
      expect(await get(await idToken(key2))).toBe(200);
      expect(await get(await idToken(key1))).toBe(401);
      expect(fetches).toBeGreaterThanOrEqual(3);
    } finally {
      await sim.stop();
      await new Promise(r => keyServer.close(r));
    }
  });
});
