import http from 'node:http';
import { Simulator, startSimulator } from '../Simulator';

describe('fault switches', () => {
  let sim: Simulator;
  let url: string;
  const auth = { Authorization: 'Bearer simulator-token' };

  beforeAll(async () => {
    sim = await startSimulator({ scenario: 'demo', http: true });
    url = sim.clusters[0].url;
  });

  afterAll(() => sim.stop());

  afterEach(() => sim.cluster('prod-eu-1').faults.reset());

  const control = async (body: unknown) => {
    const res = await fetch(`${url}/_simulator/faults`, {
      method: 'POST',
      body: JSON.stringify(body),
    });
    return res.json();
  };

  it('answers a share of requests under a path prefix with errors', async () => {
    expect(await control({ errorRates: { '/apis/flagger.app': 1 } })).toEqual({
      latencyMs: 0,
      pathLatencyMs: {},
      errorRates: { '/apis/flagger.app': 1 },
      errorCode: 500,
      down: false,
    });
    const failing = await fetch(`${url}/apis/flagger.app/v1beta1/canaries`, {
      headers: auth,
    });
    expect(failing.status).toBe(500);
    expect(await failing.json()).toMatchObject({
      kind: 'Status',
      reason: 'InternalError',
      code: 500,
    });
    const other = await fetch(`${url}/apis/apps/v1/deployments`, {
      headers: auth,
    });
    expect(other.status).toBe(200);

    await control({ errorCode: 503 });
    const unavailable = await fetch(
      `${url}/apis/flagger.app/v1beta1/canaries`,
      { headers: auth },
    );
    expect(unavailable.status).toBe(503);
    expect((await unavailable.json()).reason).toBe('ServiceUnavailable');

    // A fraction fails some requests and not others, reproducibly (seeded).
    await control({ errorRates: { '/apis': 0.5 }, errorCode: 500 });
    const codes: number[] = [];
    for (let i = 0; i < 20; i++) {
      codes.push(
        (await fetch(`${url}/apis/apps/v1/deployments`, { headers: auth }))
          .status,
      );
    }
    expect(codes).toContain(500);
    expect(codes).toContain(200);
  });

  it('makes the whole server unavailable while down, except the control paths', async () => {
    await control({ down: true });
    await expect(
      fetch(`${url}/api/v1/namespaces`, { headers: auth }),
    ).rejects.toThrow();
    expect((await control({ down: false })).down).toBe(false);
    expect(
      (await fetch(`${url}/api/v1/namespaces`, { headers: auth })).status,
    ).toBe(200);
  });

  it('adds latency as configured', async () => {
    const prod = sim.cluster('prod-eu-1');
    prod.faults.set({ latencyMs: 25 });
    expect(prod.faults.snapshot().latencyMs).toBe(25);
    expect((await fetch(`${url}/version`, { headers: auth })).status).toBe(200);
  });

  it('drops open watch connections on request', async () => {
    const closed = new Promise<string>(resolve => {
      const req = http.get(
        `${url}/api/v1/namespaces/tenant-a/configmaps?watch=true`,
        { headers: auth },
        res => {
          res.on('data', () => {});
          res.on('close', () => resolve('closed'));
        },
      );
      req.on('error', () => resolve('closed'));
    });
    const api = sim.cluster('prod-eu-1').cluster.api;
    for (let i = 0; i < 200 && api.openWatchCount === 0; i++) {
      await new Promise(r => setTimeout(r, 5));
    }
    expect(api.openWatchCount).toBe(1);
    await control({ dropWatches: true });
    expect(await closed).toBe('closed');
    expect(api.openWatchCount).toBe(0);
  });

  it('serves and resets request counters over HTTP', async () => {
    await fetch(`${url}/_simulator/counters/reset`, { method: 'POST' });
    await fetch(`${url}/apis/apps/v1/namespaces/tenant-a/deployments`, {
      headers: auth,
    });
    await fetch(`${url}/apis/apps/v1/namespaces/tenant-a/deployments/podinfo`, {
      headers: auth,
    });
    const counters = await (await fetch(`${url}/_simulator/counters`)).json();
    expect(counters).toEqual({
      total: 2,
      byVerb: { list: 1, get: 1 },
      byResource: { 'deployments.apps': 2 },
      byVerbAndResource: {
        'list deployments.apps': 1,
        'get deployments.apps': 1,
      },
    });
  });
});
