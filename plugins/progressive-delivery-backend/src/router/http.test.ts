import { Simulator } from '@internal/cluster-simulator';
import request from 'supertest';
import { specViolations } from '../__testUtils__/specConformance';
import {
  API,
  PROD,
  SimulatorBackend,
  startDemoSimulator,
  startSimulatorBackend,
} from '../__testUtils__/simulatorBackend';

jest.setTimeout(60_000);

const ACTION = `/v1/clusters/${PROD}/namespaces/tenant-a/canaries/podinfo/approve`;
const FLUX_ACTION = `/v1/clusters/${PROD}/namespaces/tenant-a/kustomizations/tenant-a/reconcile`;
const STATE = '/v1/entities/component/default/podinfo';

/** Starts the plugin with NODE_ENV set as given (the error handler reads it at start). */
async function startWithNodeEnv(
  sim: Simulator,
  nodeEnv: string,
): Promise<SimulatorBackend> {
  const previous = process.env.NODE_ENV;
  process.env.NODE_ENV = nodeEnv;
  try {
    return await startSimulatorBackend(sim);
  } finally {
    process.env.NODE_ENV = previous;
  }
}

describe('HTTP as HTTP means it', () => {
  let sim: Simulator;
  let production: SimulatorBackend;
  let development: SimulatorBackend;

  beforeAll(async () => {
    sim = await startDemoSimulator();
    production = await startWithNodeEnv(sim, 'production');
    development = await startWithNodeEnv(sim, 'development');
  });

  afterAll(async () => {
    await production?.stop();
    await development?.stop();
    await sim?.stop();
  });

  it('answers 405 with Allow: POST to another method on an action path', async () => {
    for (const path of [ACTION, FLUX_ACTION]) {
      for (const method of ['get', 'put', 'delete', 'patch'] as const) {
        const res = await request(production.server)[method](`${API}${path}`);
        expect({ method, path, status: res.status }).toEqual({
          method,
          path,
          status: 405,
        });
        expect(res.headers.allow).toBe('POST');
        expect(specViolations(res.body, 'Error')).toEqual([]);
        expect(res.body.error).toMatchObject({
          name: 'MethodNotAllowedError',
          message: `${method.toUpperCase()} is not allowed on ${API}${path}; allowed: POST`,
        });
      }
    }
  });

  it('answers 405 with Allow: GET, HEAD to a write on a read path', async () => {
    for (const path of [
      STATE,
      `${STATE}/history`,
      '/v1/canaries',
      '/v1/clusters',
    ]) {
      const res = await request(production.server)
        .put(`${API}${path}`)
        .send({});
      expect({ path, status: res.status }).toEqual({ path, status: 405 });
      expect(res.headers.allow).toBe('GET, HEAD');
    }
    // The methods a path allows still work.
    expect((await production.get(STATE)).status).toBe(200);
    expect(
      (await request(production.server).head(`${API}${STATE}`)).status,
    ).toBe(200);
  });

  it('leaves paths the API does not have at 404', async () => {
    const res = await request(production.server).get(`${API}/v1/nowhere`);
    expect(res.status).toBe(404);
  });

  it('answers 413 to an oversized body, without calling the cluster', async () => {
    sim.cluster(PROD).counters.reset();
    const body = JSON.stringify({
      entityRef: 'component:default/podinfo',
      padding: 'x'.repeat(2 * 1024 * 1024),
    });
    const res = await request(production.server)
      .post(`${API}${ACTION}`)
      .set('Content-Type', 'application/json')
      .send(body);
    expect(res.status).toBe(413);
    expect(res.body.error.name).toBe('PayloadTooLargeError');
    expect(specViolations(res.body, 'Error')).toEqual([]);
    expect(res.body.error.message).toMatch(
      /^The request body is \d+ bytes; this API accepts at most 65536$/,
    );
    expect(sim.cluster(PROD).counters.snapshot().total).toBe(0);
  });

  it('still answers 400 to a malformed body', async () => {
    const res = await request(production.server)
      .post(`${API}${ACTION}`)
      .set('Content-Type', 'application/json')
      .send('{"entityRef":');
    expect(res.status).toBe(400);
    expect(res.body.error.stack).toBeUndefined();
  });

  it('has no stack traces in error bodies outside development', async () => {
    const unknownCluster = `/v1/clusters/nowhere/namespaces/tenant-a/canaries/podinfo/approve`;
    const notFound = await production.post(unknownCluster);
    expect(notFound.status).toBe(404);
    expect(notFound.body.error.message).toBe(
      'No cluster named nowhere is configured',
    );
    expect(JSON.stringify(notFound.body)).not.toMatch(/\bat .*\.[jt]s:\d+/);
    expect(notFound.body.error.stack).toBeUndefined();

    // A cluster that fails with 500: an error of our own making (500 from us too).
    sim.cluster(PROD).faults.set({
      errorRates: { '/apis/kustomize.toolkit.fluxcd.io': 1 },
      errorCode: 500,
    });
    try {
      const failed = await production.post(FLUX_ACTION);
      expect(failed.status).toBe(500);
      expect(failed.body.error.message).toContain('simulated fault');
      expect(failed.body.error.stack).toBeUndefined();
      expect(JSON.stringify(failed.body)).not.toMatch(/\bat .*\.[jt]s:\d+/);

      // The same error in development carries its stack: the check above can fail.
      const developed = await development.post(FLUX_ACTION);
      expect(developed.status).toBe(500);
      expect(developed.body.error.stack).toMatch(/\bat .*\.[jt]s:\d+/);
    } finally {
      sim.cluster(PROD).faults.reset();
    }
  });
});
