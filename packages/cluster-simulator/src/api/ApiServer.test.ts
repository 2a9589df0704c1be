import { Simulator, startSimulator } from '../Simulator';

/** The names of a list response's items, in order. */
function names(list: { items: Array<{ metadata: { name: string } }> }) {
  return list.items.map(i => i.metadata.name);
}

describe('KubeApiServer', () => {
  let sim: Simulator;
  let url: string;
  const auth = { Authorization: 'Bearer simulator-token' };

  beforeAll(async () => {
    sim = await startSimulator({
      scenario: 'demo',
      http: true,
      tokens: [
        {
          token: 'canary-reader',
          allow: [{ verbs: ['get', 'list', 'watch'], resources: ['canaries'] }],
        },
      ],
    });
    url = sim.clusters[0].url;
  });

  afterAll(() => sim.stop());

  /** Sends `body` as JSON of `contentType` with full access. */
  function send(
    method: string,
    path: string,
    contentType: string,
    body: unknown,
  ) {
    return fetch(`${url}${path}`, {
      method,
      headers: { ...auth, 'Content-Type': contentType },
      body: JSON.stringify(body),
    });
  }

  async function get(path: string, headers: Record<string, string> = auth) {
    const res = await fetch(`${url}${path}`, { headers });
    return { status: res.status, body: await res.json() };
  }

  it('serves discovery documents kubectl understands', async () => {
    const version = await get('/version');
    expect(version.body.major).toBe('1');
    const api = await get('/api');
    expect(api.body).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
    const groups = await get('/apis');
    const flagger = groups.body.groups.find(
      (g: { name: string }) => g.name === 'flagger.app',
    );
    expect(flagger.preferredVersion.groupVersion).toBe('flagger.app/v1beta1');
    const istio = groups.body.groups.find(
      (g: { name: string }) => g.name === 'networking.istio.io',
    );
    expect(istio.versions.map((v: { version: string }) => v.version)).toEqual([
      'v1',
      'v1beta1',
      'v1alpha3',
    ]);
    const resources = await get('/apis/flagger.app/v1beta1');
    expect(resources.body.resources).toContainEqual(
      expect.objectContaining({
        name: 'canaries',
        kind: 'Canary',
        namespaced: true,
      }),
    );
    expect(resources.body.resources).toContainEqual(
      expect.objectContaining({ name: 'canaries/status' }),
    );
  });

  it('serves the installed CRDs', async () => {
    const crd = await get(
      '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/canaries.flagger.app',
    );
    expect(crd.status).toBe(200);
    expect(crd.body.spec.names.kind).toBe('Canary');
  });

  it('lists across and within namespaces, and gets one object', async () => {
    const all = await get(
      '/apis/kustomize.toolkit.fluxcd.io/v1/kustomizations',
    );
    expect(all.status).toBe(200);
    expect(all.body.kind).toBe('KustomizationList');
    expect(names(all.body)).toEqual(['tenants', 'tenant-a', 'tenant-c']);
    const ns = await get(
      '/apis/flagger.app/v1beta1/namespaces/tenant-a/canaries',
    );
    expect(names(ns.body)).toEqual(['frontend', 'podinfo']);
    const one = await get(
      '/apis/flagger.app/v1beta1/namespaces/tenant-a/canaries/podinfo',
    );
    expect(one.body).toMatchObject({
      apiVersion: 'flagger.app/v1beta1',
      kind: 'Canary',
      metadata: { name: 'podinfo', namespace: 'tenant-a', generation: 1 },
    });
    expect(one.body.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(Number(one.body.metadata.resourceVersion)).toBeGreaterThan(0);
  });

  it('serves an object at every version of its group', async () => {
    const v1 = await get(
      '/apis/networking.istio.io/v1/namespaces/tenant-a/virtualservices/podinfo',
    );
    const beta = await get(
      '/apis/networking.istio.io/v1beta1/namespaces/tenant-a/virtualservices/podinfo',
    );
    expect(v1.body.apiVersion).toBe('networking.istio.io/v1');
    expect(beta.body.apiVersion).toBe('networking.istio.io/v1beta1');
    expect(beta.body.spec).toEqual(v1.body.spec);
    expect(v1.body.metadata.ownerReferences[0]).toMatchObject({
      kind: 'Canary',
      name: 'podinfo',
      controller: true,
    });
  });

  it('filters with label and field selectors', async () => {
    const byId = await get(
      `/apis/apps/v1/deployments?labelSelector=${encodeURIComponent(
        'backstage.io/kubernetes-id=podinfo',
      )}`,
    );
    expect(names(byId.body)).toEqual(['podinfo', 'podinfo-primary']);
    const setBased = await get(
      `/api/v1/namespaces/tenant-a/services?labelSelector=${encodeURIComponent(
        'app in (podinfo-canary,frontend-canary),backstage.io/kubernetes-id',
      )}`,
    );
    expect(names(setBased.body)).toEqual(['frontend-canary', 'podinfo-canary']);
    const notIn = await get(
      `/api/v1/namespaces/tenant-a/services?labelSelector=${encodeURIComponent(
        'app notin (podinfo,podinfo-primary,podinfo-canary),!missing',
      )}`,
    );
    expect(names(notIn.body)).toEqual([
      'cache-redis',
      'flagger-loadtester',
      'frontend',
      'frontend-canary',
      'frontend-primary',
    ]);
    const byName = await get(
      '/apis/apps/v1/deployments?fieldSelector=metadata.name%3Dfrontend,metadata.namespace%3Dtenant-a',
    );
    expect(byName.body.items).toHaveLength(1);
    const bad = await get(
      '/apis/apps/v1/deployments?fieldSelector=spec.replicas%3D1',
    );
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      code: 400,
    });
  });

  it('pages lists with limit and continue', async () => {
    const first = await get('/api/v1/namespaces/tenant-a/services?limit=4');
    expect(first.body.items).toHaveLength(4);
    expect(first.body.metadata.remainingItemCount).toBe(4);
    const rest = await get(
      `/api/v1/namespaces/tenant-a/services?limit=4&continue=${encodeURIComponent(
        first.body.metadata.continue,
      )}`,
    );
    expect(rest.body.items).toHaveLength(4);
    expect(rest.body.metadata.continue).toBeUndefined();
  });

  it('answers Kubernetes Status errors for 404, 401 and 403', async () => {
    const missing = await get(
      '/apis/flagger.app/v1beta1/namespaces/tenant-a/canaries/nope',
    );
    expect(missing).toEqual({
      status: 404,
      body: {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'canaries.flagger.app "nope" not found',
        reason: 'NotFound',
        details: { name: 'nope', group: 'flagger.app', kind: 'canaries' },
        code: 404,
      },
    });
    const noToken = await get('/api/v1/namespaces', {});
    expect(noToken.status).toBe(401);
    expect(noToken.body.reason).toBe('Unauthorized');
    const reader = { Authorization: 'Bearer canary-reader' };
    expect(
      (await get('/apis/flagger.app/v1beta1/canaries', reader)).status,
    ).toBe(200);
    const forbidden = await get(
      '/apis/apps/v1/namespaces/tenant-a/deployments',
      reader,
    );
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.message).toBe(
      'deployments.apps is forbidden: User "system:serviceaccount:simulator:restricted" cannot list resource "deployments" in API group "apps" in the namespace "tenant-a"',
    );
  });

  it('applies merge patches and JSON patches, bumping generation only for spec', async () => {
    const path =
      '/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/tenant-a/kustomizations/tenant-a';
    const before = (await get(path)).body;
    const merge = await send('PATCH', path, 'application/merge-patch+json', {
      metadata: { annotations: { 'reconcile.fluxcd.io/requestedAt': 'now' } },
      status: { conditions: [] },
    });
    const merged = await merge.json();
    expect(merge.status).toBe(200);
    expect(merged.metadata.annotations['reconcile.fluxcd.io/requestedAt']).toBe(
      'now',
    );
    expect(merged.metadata.generation).toBe(before.metadata.generation);
    // status is a subresource: the main resource ignores it
    expect(merged.status.conditions).toEqual(before.status.conditions);
    expect(Number(merged.metadata.resourceVersion)).toBeGreaterThan(
      Number(before.metadata.resourceVersion),
    );

    const json = await send('PATCH', path, 'application/json-patch+json', [
      { op: 'test', path: '/spec/prune', value: true },
      { op: 'add', path: '/spec/suspend', value: true },
    ]);
    const patched = await json.json();
    expect(patched.spec.suspend).toBe(true);
    expect(patched.metadata.generation).toBe(before.metadata.generation + 1);

    const failing = await send('PATCH', path, 'application/json-patch+json', [
      { op: 'test', path: '/spec/prune', value: false },
    ]);
    expect(failing.status).toBe(400);

    const statusPatch = await send(
      'PATCH',
      `${path}/status`,
      'application/merge-patch+json',
      { status: { lastHandledReconcileAt: 'now' } },
    );
    expect((await statusPatch.json()).status.lastHandledReconcileAt).toBe(
      'now',
    );
  });

  it('creates and deletes objects, collecting what they own', async () => {
    const configMaps = '/api/v1/namespaces/tenant-a/configmaps';
    const settings = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'settings' },
    };
    const create = await send('POST', configMaps, 'application/json', {
      ...settings,
      data: { a: '1' },
    });
    expect(create.status).toBe(201);
    const again = await send('POST', configMaps, 'application/json', settings);
    expect(again.status).toBe(409);
    expect((await again.json()).reason).toBe('AlreadyExists');

    const del = await fetch(
      `${url}/apis/flagger.app/v1beta1/namespaces/tenant-a/canaries/frontend`,
      { method: 'DELETE', headers: auth },
    );
    expect(del.status).toBe(200);
    const vs = await get(
      '/apis/networking.istio.io/v1beta1/namespaces/tenant-a/virtualservices/frontend',
    );
    expect(vs.status).toBe(404);
  });

  it('counts requests by verb and resource', async () => {
    const cluster = sim.cluster(sim.clusters[0].name);
    cluster.counters.reset();
    await get('/apis/flagger.app/v1beta1/canaries');
    await get('/apis/flagger.app/v1beta1/namespaces/tenant-a/canaries/podinfo');
    const counters = await get('/_simulator/counters', {});
    expect(counters.body.byVerbAndResource).toEqual({
      'list canaries.flagger.app': 1,
      'get canaries.flagger.app': 1,
    });
    expect(cluster.counters.total).toBe(2);
  });
});
