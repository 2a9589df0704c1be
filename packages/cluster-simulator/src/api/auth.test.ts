import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ClusterInfo, Simulator, startSimulator } from '../Simulator';
import { httpsRequest } from '../testUtils/httpsRequest';

const CANARIES = '/apis/flagger.app/v1beta1/namespaces/tenant-a/canaries';

/** The status of a GET of `path` (default: tenant-a's canaries) with `token`. */
async function statusOf(
  cluster: ClusterInfo,
  token: string,
  resourcePath = CANARIES,
) {
  return (await httpsRequest(cluster, resourcePath, { token })).status;
}

describe('sign-in with bearer tokens and token files', () => {
  let sim: Simulator;
  let prod: ClusterInfo;
  let dev: ClusterInfo;
  let dir: string;
  let tokenFile: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sim-auth-'));
    tokenFile = path.join(dir, 'token');
    fs.writeFileSync(tokenFile, 'projected-token-1\n');
    sim = await startSimulator({
      scenario: 'demo',
      tokens: [
        {
          token: 'reader-token',
          user: 'jane@example.com',
          groups: ['readers'],
          allow: [{ verbs: ['get', 'list'], resources: ['canaries'] }],
        },
        { token: 'expired-token', expiresAt: Date.now() - 1000 },
      ],
      tokenFiles: [
        { path: tokenFile, user: 'system:serviceaccount:backstage:backstage' },
      ],
    });
    [prod, dev] = sim.clusters;
  });

  afterAll(async () => {
    await sim.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('accepts listed tokens and refuses unknown ones with 401 and a reason', async () => {
    expect(await statusOf(prod, 'simulator-token')).toBe(200);
    expect(await statusOf(prod, 'reader-token')).toBe(200);
    const unknown = await httpsRequest(prod, CANARIES, { token: 'nope' });
    expect(unknown.status).toBe(401);
    expect(unknown.body).toMatchObject({
      kind: 'Status',
      reason: 'Unauthorized',
      message: 'Unauthorized',
      details: { causes: [{ message: 'invalid bearer token' }] },
    });
    expect((await httpsRequest(prod, CANARIES)).status).toBe(401);
  });

  it('names the real user in a 403', async () => {
    const res = await httpsRequest(prod, `${CANARIES}/podinfo`, {
      token: 'reader-token',
      method: 'PATCH',
      contentType: 'application/merge-patch+json',
      body: { metadata: { labels: { x: 'y' } } },
    });
    expect(res.status).toBe(403);
    expect(res.body.message).toBe(
      'canaries.flagger.app "podinfo" is forbidden: User "jane@example.com" cannot patch resource "canaries" in API group "flagger.app" in the namespace "tenant-a"',
    );
  });

  it('refuses a token after its expiry (wall clock), even with a virtual clock', async () => {
    const expired = await httpsRequest(prod, CANARIES, {
      token: 'expired-token',
    });
    expect(expired.status).toBe(401);
    expect(expired.body.details.causes[0].message).toMatch(
      /^token expired at /,
    );

    sim.auth.addToken({ token: 'short-lived', expiresAt: Date.now() + 300 });
    expect(await statusOf(prod, 'short-lived')).toBe(200);
    await new Promise(r => setTimeout(r, 350));
    expect(await statusOf(prod, 'short-lived')).toBe(401);
  });

  it('adds and revokes tokens at runtime, for every cluster or for one', async () => {
    sim.auth.addToken({ token: 'everywhere' });
    sim.cluster('dev-eu-1').auth.addToken({ token: 'dev-only' });
    expect(await statusOf(prod, 'everywhere')).toBe(200);
    expect(await statusOf(dev, 'everywhere', '/api/v1/namespaces')).toBe(200);
    expect(await statusOf(dev, 'dev-only', '/api/v1/namespaces')).toBe(200);
    expect(await statusOf(prod, 'dev-only')).toBe(401);

    expect(sim.auth.revokeToken('everywhere')).toBe(true);
    expect(sim.auth.revokeToken('everywhere')).toBe(false);
    expect(await statusOf(prod, 'everywhere')).toBe(401);
    expect(await statusOf(dev, 'everywhere', '/api/v1/namespaces')).toBe(401);
  });

  it("accepts a token file's current content; after rotation the old token is refused", async () => {
    expect(await statusOf(prod, 'projected-token-1')).toBe(200);
    fs.writeFileSync(tokenFile, 'projected-token-2');
    expect(await statusOf(prod, 'projected-token-1')).toBe(401);
    expect(await statusOf(prod, 'projected-token-2')).toBe(200);
    // Rotated again at once, with a token of the same length.
    fs.writeFileSync(tokenFile, 'projected-token-3');
    expect(await statusOf(prod, 'projected-token-2')).toBe(401);
    expect(await statusOf(prod, 'projected-token-3')).toBe(200);
    // Atomic replacement (rename), as the kubelet updates projected volumes.
    fs.writeFileSync(`${tokenFile}.new`, 'projected-token-4');
    fs.renameSync(`${tokenFile}.new`, tokenFile);
    expect(await statusOf(prod, 'projected-token-3')).toBe(401);
    expect(await statusOf(prod, 'projected-token-4')).toBe(200);
    // A missing file accepts nothing.
    fs.rmSync(tokenFile);
    expect(await statusOf(prod, 'projected-token-4')).toBe(401);
    fs.writeFileSync(tokenFile, 'projected-token-4');
  });

  it('adds and removes token files at runtime', async () => {
    const other = path.join(dir, 'other-token');
    fs.writeFileSync(other, 'file-token-a');
    expect(await statusOf(prod, 'file-token-a')).toBe(401);
    sim.cluster('prod-eu-1').auth.addTokenFile({
      path: other,
      allow: [{ verbs: ['list'], resources: ['canaries'] }],
    });
    expect(await statusOf(prod, 'file-token-a')).toBe(200);
    const denied = await httpsRequest(prod, '/api/v1/namespaces', {
      token: 'file-token-a',
    });
    expect(denied.body.message).toContain(
      'User "system:serviceaccount:simulator:token-file"',
    );
    expect(sim.cluster('prod-eu-1').auth.removeTokenFile(other)).toBe(true);
    expect(await statusOf(prod, 'file-token-a')).toBe(401);
  });
});

describe('identity recording', () => {
  let sim: Simulator;

  beforeAll(async () => {
    sim = await startSimulator({
      scenario: 'demo',
      tokens: [
        {
          token: 'alice-token',
          user: 'alice@example.com',
          groups: ['platform'],
        },
        {
          token: 'bob-token',
          user: 'bob@example.com',
          allow: [{ verbs: ['get'], resources: ['canaries'] }],
        },
      ],
    });
  });

  afterAll(() => sim.stop());

  it('records who patched what, including refused writes, and serves it over HTTP', async () => {
    const prod = sim.clusters[0];
    const audit = sim.cluster(prod.name).audit;
    audit.clear();
    const before = sim.clock.now();
    const patch = (token: string, subresource = '') =>
      httpsRequest(prod, `${CANARIES}/podinfo${subresource}`, {
        token,
        method: 'PATCH',
        contentType: 'application/merge-patch+json',
        body: { metadata: { annotations: { who: token } } },
      });
    expect((await patch('alice-token')).status).toBe(200);
    expect((await patch('alice-token', '/status')).status).toBe(200);
    expect((await patch('bob-token')).status).toBe(403);
    // Reads are not recorded.
    expect(await statusOf(prod, 'alice-token')).toBe(200);

    expect(audit.writes()).toEqual([
      {
        user: 'alice@example.com',
        groups: ['platform', 'system:authenticated'],
        method: 'token',
        verb: 'patch',
        group: 'flagger.app',
        resource: 'canaries',
        namespace: 'tenant-a',
        name: 'podinfo',
        time: before,
        code: 200,
      },
      expect.objectContaining({
        user: 'alice@example.com',
        verb: 'patch',
        subresource: 'status',
        code: 200,
      }),
      expect.objectContaining({
        user: 'bob@example.com',
        verb: 'patch',
        code: 403,
      }),
    ]);
    expect(audit.writes({ user: 'bob@example.com' })).toHaveLength(1);

    const served = await httpsRequest(
      prod,
      '/_simulator/audit/writes?user=alice@example.com&subresource=status',
    );
    expect(served.body.writes).toEqual([
      expect.objectContaining({
        user: 'alice@example.com',
        subresource: 'status',
      }),
    ]);
    await httpsRequest(prod, '/_simulator/audit/reset', { method: 'POST' });
    expect(audit.writes()).toEqual([]);
  });

  it('records creates and deletes with the identity of the token', async () => {
    const dev = sim.clusters[1];
    const audit = sim.cluster(dev.name).audit;
    audit.clear();
    const cm = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'audited', namespace: 'flux-system' },
      data: { a: 'b' },
    };
    const base = '/api/v1/namespaces/flux-system/configmaps';
    expect(
      (
        await httpsRequest(dev, base, {
          token: 'alice-token',
          method: 'POST',
          body: cm,
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await httpsRequest(dev, `${base}/audited`, {
          token: 'simulator-token',
          method: 'DELETE',
        })
      ).status,
    ).toBe(200);
    expect(
      audit
        .writes()
        .map(w => [
          w.user,
          w.verb,
          w.group,
          w.resource,
          w.namespace,
          w.name,
          w.code,
        ]),
    ).toEqual([
      [
        'alice@example.com',
        'create',
        '',
        'configmaps',
        'flux-system',
        undefined,
        201,
      ],
      [
        'system:serviceaccount:kube-system:simulator-admin',
        'delete',
        '',
        'configmaps',
        'flux-system',
        'audited',
        200,
      ],
    ]);
  });
});
