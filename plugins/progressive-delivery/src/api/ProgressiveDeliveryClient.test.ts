import { mockApis, registerMswTestHooks } from '@backstage/test-utils';
import { ResponseError } from '@backstage/errors';
import { EntityDeliveryState } from '@progressive-delivery/plugin-progressive-delivery-common';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { waitFor } from '@testing-library/react';
import { podinfoState } from '../__fixtures__/deliveryStates';
import { paymentsRolloutAnalysis } from '../__fixtures__/analysis';
import {
  approvedRollout,
  failedRollout,
  podinfoSummary,
  progressingRollout,
} from '../__fixtures__/rollouts';
import { LiveConnectionStatus } from './ProgressiveDeliveryApi';
import { ProgressiveDeliveryClient } from './ProgressiveDeliveryClient';

const baseUrl = 'http://backend.test/api/progressive-delivery';
const podinfo = { kind: 'Component', namespace: 'default', name: 'podinfo' };

function sse(...chunks: string[]) {
  const encoder = new TextEncoder();
  return new HttpResponse(
    new ReadableStream({
      start(controller) {
        for (const chunk of chunks) {
          controller.enqueue(encoder.encode(chunk));
        }
        controller.close();
      },
    }),
    { headers: { 'Content-Type': 'text/event-stream' } },
  );
}

const message = (state: EntityDeliveryState) =>
  `event: state\ndata: ${JSON.stringify(state)}\n\n`;

describe('ProgressiveDeliveryClient', () => {
  const server = setupServer();
  registerMswTestHooks(server);
  const requests: Request[] = [];
  beforeEach(() => {
    requests.length = 0;
    server.events.on('request:start', ({ request }) => {
      requests.push(request);
    });
  });
  afterEach(() => server.events.removeAllListeners());

  // Like @backstage/core-app-api's fetch middleware (PluginProtocolResolverFetchMiddleware,
  // IdentityAuthInjectorFetchMiddleware): build a Request to inspect the input, then pass the
  // input itself on.
  const backstageLikeFetch: typeof fetch = (input, init) => {
    const inspected = new Request(input, init);
    expect(inspected.url).toMatch(/^http:/);
    return fetch(input, init);
  };

  function client(reconnectDelay?: (attempt: number) => number) {
    return new ProgressiveDeliveryClient({
      discoveryApi: mockApis.discovery({ baseUrl: 'http://backend.test' }),
      fetchApi: { fetch: backstageLikeFetch },
      reconnectDelay,
    });
  }

  it('reads an entity’s delivery state from its lower-case path', async () => {
    server.use(
      http.get(`${baseUrl}/v1/entities/component/default/podinfo`, () =>
        HttpResponse.json(podinfoState()),
      ),
    );
    await expect(client().getEntityDeliveryState(podinfo)).resolves.toEqual(
      podinfoState(),
    );
    expect(requests.map(r => `${r.method} ${r.url}`)).toEqual([
      `GET ${baseUrl}/v1/entities/component/default/podinfo`,
    ]);
  });

  it('passes only the filters that are set when listing canaries', async () => {
    server.use(
      http.get(`${baseUrl}/v1/canaries`, () =>
        HttpResponse.json({ items: [] }),
      ),
    );
    await client().listCanaries({ cluster: 'prod-eu-1', phase: 'Failed' });
    await client().listCanaries();
    expect(requests.map(r => r.url)).toEqual([
      `${baseUrl}/v1/canaries?cluster=prod-eu-1&phase=Failed`,
      `${baseUrl}/v1/canaries`,
    ]);
  });

  it('posts canary and Flux actions to the object’s path with the entity', async () => {
    const bodies: unknown[] = [];
    server.use(
      http.get(`${baseUrl}/v1/clusters`, () =>
        HttpResponse.json({ items: [] }),
      ),
      http.post(`${baseUrl}/v1/clusters/*`, async ({ request }) => {
        bodies.push(await request.json());
        return HttpResponse.json({
          action: 'approve',
          ref: podinfo,
          entityRef: 'component:default/podinfo',
          message: 'Opened the gate promotion-gate',
        });
      }),
    );
    const response = await client().runCanaryAction(
      {
        cluster: 'prod-eu-1',
        kind: 'Canary',
        namespace: 'tenant-a',
        name: 'podinfo',
      },
      'approve',
      { entityRef: 'component:default/podinfo' },
    );
    expect(response.message).toBe('Opened the gate promotion-gate');
    await client().runFluxAction(
      {
        cluster: 'prod-eu-1',
        kind: 'HelmRelease',
        namespace: 'flux-system',
        name: 'podinfo',
      },
      'reconcile',
      { entityRef: 'component:default/podinfo', withSource: true },
    );
    expect(
      requests.map(
        r => `${r.method} ${r.url} ${r.headers.get('content-type')}`,
      ),
    ).toEqual([
      // Each action first reads how its cluster is signed in to (userDelegatedActions.test.ts).
      `GET ${baseUrl}/v1/clusters null`,
      `POST ${baseUrl}/v1/clusters/prod-eu-1/namespaces/tenant-a/canaries/podinfo/approve application/json`,
      `GET ${baseUrl}/v1/clusters null`,
      `POST ${baseUrl}/v1/clusters/prod-eu-1/namespaces/flux-system/helmreleases/podinfo/reconcile application/json`,
    ]);
    expect(bodies).toEqual([
      { entityRef: 'component:default/podinfo' },
      { entityRef: 'component:default/podinfo', withSource: true },
    ]);
  });

  it('refuses Flux actions on kinds Flux does not reconcile, without a request', async () => {
    await expect(
      client().runFluxAction(
        { cluster: 'c', kind: 'Deployment', namespace: 'n', name: 'x' },
        'reconcile',
      ),
    ).rejects.toThrow('Flux actions do not apply to Deployment');
    expect(requests).toEqual([]);
  });

  it('lists clusters', async () => {
    server.use(
      http.get(`${baseUrl}/v1/clusters`, () =>
        HttpResponse.json({ items: [] }),
      ),
    );
    await expect(client().listClusters()).resolves.toEqual({ items: [] });
  });

  it('reads the rollout history page by page, and the summary over a window', async () => {
    const historyPath = `${baseUrl}/v1/entities/component/default/podinfo/history`;
    server.use(
      http.get(historyPath, ({ request }) => {
        const cursor = new URL(request.url).searchParams.get('cursor');
        return HttpResponse.json(
          cursor
            ? { items: [failedRollout()] }
            : {
                items: [progressingRollout(), approvedRollout()],
                nextCursor: 'eyJzIjoiMjAyNi0xMS0yMlQwODowMDowMFoiLCJpIjo0MX0',
              },
        );
      }),
      http.get(`${historyPath}/summary`, () =>
        HttpResponse.json({ ...podinfoSummary(), days: 7 }),
      ),
    );
    const first = await client().getRolloutHistory(podinfo, { limit: 2 });
    expect(first.items.map(r => r.id)).toEqual(['42', '41']);
    const second = await client().getRolloutHistory(podinfo, {
      limit: 2,
      cursor: first.nextCursor,
    });
    expect(second).toEqual({ items: [failedRollout()] });
    await expect(
      client().getRolloutSummary(podinfo, { days: 7 }),
    ).resolves.toEqual({ ...podinfoSummary(), days: 7 });
    await client().getRolloutSummary(podinfo);
    expect(requests.map(r => `${r.method} ${r.url}`)).toEqual([
      `GET ${historyPath}?limit=2`,
      `GET ${historyPath}?limit=2&cursor=eyJzIjoiMjAyNi0xMS0yMlQwODowMDowMFoiLCJpIjo0MX0`,
      `GET ${historyPath}/summary?days=7`,
      `GET ${historyPath}/summary`,
    ]);
  });

  it('reads one rollout’s analysis from its path, and throws the backend’s 404', async () => {
    const path = `${baseUrl}/v1/entities/component/default/payments/history`;
    server.use(
      http.get(`${path}/57/analysis`, () =>
        HttpResponse.json(paymentsRolloutAnalysis()),
      ),
      http.get(`${path}/58/analysis`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'NotFoundError',
              message: 'No rollout 58 of component:default/payments',
            },
            response: { statusCode: 404 },
          },
          { status: 404 },
        ),
      ),
    );
    const payments = { ...podinfo, name: 'payments' };
    await expect(client().getRolloutAnalysis(payments, '57')).resolves.toEqual(
      paymentsRolloutAnalysis(),
    );
    const error = await client()
      .getRolloutAnalysis(payments, '58')
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.body.error.message).toBe(
      'No rollout 58 of component:default/payments',
    );
    expect(requests.map(r => `${r.method} ${r.url}`)).toEqual([
      `GET ${path}/57/analysis`,
      `GET ${path}/58/analysis`,
    ]);
  });

  it('posts halt, suspend and resume to their paths', async () => {
    server.use(
      http.get(`${baseUrl}/v1/clusters`, () =>
        HttpResponse.json({ items: [] }),
      ),
      http.post(`${baseUrl}/v1/clusters/*`, () =>
        HttpResponse.json({
          action: 'halt',
          ref: podinfo,
          entityRef: 'component:default/podinfo',
          message: 'done',
        }),
      ),
    );
    const source = {
      cluster: 'prod-eu-1',
      kind: 'GitRepository',
      namespace: 'flux-system',
      name: 'tenant-a',
    };
    await client().runCanaryAction(
      { ...source, kind: 'Canary', namespace: 'tenant-a', name: 'podinfo' },
      'halt',
    );
    await client().runFluxAction(source, 'suspend');
    await client().runFluxAction(
      { ...source, kind: 'OCIRepository', name: 'monitoring' },
      'resume',
    );
    expect(requests.filter(r => r.method === 'POST').map(r => r.url)).toEqual([
      `${baseUrl}/v1/clusters/prod-eu-1/namespaces/tenant-a/canaries/podinfo/halt`,
      `${baseUrl}/v1/clusters/prod-eu-1/namespaces/flux-system/gitrepositories/tenant-a/suspend`,
      `${baseUrl}/v1/clusters/prod-eu-1/namespaces/flux-system/ocirepositories/monitoring/resume`,
    ]);
  });

  it('throws the backend’s error as a ResponseError', async () => {
    server.use(
      http.get(`${baseUrl}/v1/entities/component/default/podinfo`, () =>
        HttpResponse.json(
          {
            error: { name: 'NotAllowedError', message: 'Not allowed' },
            response: { statusCode: 403 },
          },
          { status: 403 },
        ),
      ),
    );
    const error = await client()
      .getEntityDeliveryState(podinfo)
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.response.status).toBe(403);
    expect(error.body.error.name).toBe('NotAllowedError');
  });

  it('streams every state the backend sends, asking for an event stream', async () => {
    server.use(
      http.get(`${baseUrl}/v1/entities/component/default/podinfo/events`, () =>
        sse(
          ': heartbeat\n\n',
          message(podinfoState({ canaryWeight: 10 })).slice(0, 40),
          message(podinfoState({ canaryWeight: 10 })).slice(40),
          message(podinfoState({ canaryWeight: 15 })),
        ),
      ),
    );
    const weights: number[] = [];
    const statuses: LiveConnectionStatus[] = [];
    let resolveTwo: () => void;
    const two = new Promise<void>(resolve => {
      resolveTwo = resolve;
    });
    const subscription = client(() => 60_000).subscribeToEntityDeliveryState(
      podinfo,
      {
        next: state => {
          weights.push(state.clusters[0].canaries[0].progress.canaryWeight);
          if (weights.length === 2) resolveTwo();
        },
        status: status => statuses.push(status),
      },
    );
    await two;
    subscription.unsubscribe();
    expect(weights).toEqual([10, 15]);
    expect(statuses.slice(0, 2)).toEqual(['connecting', 'live']);
    expect(requests[0].headers.get('accept')).toBe('text/event-stream');
  });

  /** Serves one live stream, then answers every reconnect with the given refusal. */
  function liveThenRefused(status: number, name: string) {
    const counter = { calls: 0 };
    server.use(
      http.get(
        `${baseUrl}/v1/entities/component/default/podinfo/events`,
        () => {
          counter.calls += 1;
          if (counter.calls === 1) {
            return sse(message(podinfoState()));
          }
          return HttpResponse.json(
            {
              error: { name, message: 'refused' },
              response: { statusCode: status },
            },
            { status },
          );
        },
      ),
    );
    return counter;
  }

  /** Follows podinfo until the stream stops, advancing the fake clock 5 s per reconnect. */
  async function followUntilStopped() {
    const delays: number[] = [];
    const statuses: LiveConnectionStatus[] = [];
    const errors: Error[] = [];
    let stopped = false;
    client(attempt => {
      delays.push(attempt);
      return 5_000;
    }).subscribeToEntityDeliveryState(podinfo, {
      next: () => {},
      error: e => errors.push(e),
      status: status => {
        statuses.push(status);
        stopped ||= status === 'stopped';
      },
    });
    for (let tick = 0; !stopped && tick < 100; tick += 1) {
      await jest.advanceTimersByTimeAsync(delays.length > 0 ? 5_000 : 0);
    }
    return { delays, statuses, errors: errors.map(e => e.name) };
  }

  it('reconnects with backoff when the stream ends, and stops on a permanent error', async () => {
    jest.useFakeTimers();
    try {
      const counter = liveThenRefused(403, 'NotAllowedError');
      const { delays, statuses, errors } = await followUntilStopped();
      expect(counter.calls).toBe(2);
      expect(delays).toEqual([1]);
      expect(statuses).toEqual([
        'connecting',
        'live',
        'reconnecting',
        'reconnecting',
        'stopped',
      ]);
      expect(errors).toEqual(['Error', 'ResponseError']);
    } finally {
      jest.useRealTimers();
    }
  });

  it('retries a 404 after a live stream a few times (a restarting backend), then stops', async () => {
    jest.useFakeTimers();
    try {
      const counter = liveThenRefused(404, 'NotFoundError');
      const { delays, statuses } = await followUntilStopped();
      // The first stream, then five 404s retried and a sixth that stops.
      expect(counter.calls).toBe(7);
      expect(delays).toEqual([1, 2, 3, 4, 5, 6]);
      expect(statuses.at(-1)).toBe('stopped');
      expect(statuses.filter(s => s === 'stopped')).toHaveLength(1);
    } finally {
      jest.useRealTimers();
    }
  });
});

describe('ProgressiveDeliveryClient shared streams', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  it('opens one stream per entity for all its views, and closes it after the last leaves', async () => {
    let opened = 0;
    let aborted = 0;
    let push: (state: EntityDeliveryState) => void = () => {};
    server.use(
      http.get(
        `${baseUrl}/v1/entities/component/default/podinfo/events`,
        ({ request }) => {
          opened += 1;
          request.signal.addEventListener('abort', () => {
            aborted += 1;
          });
          const encoder = new TextEncoder();
          return new HttpResponse(
            new ReadableStream({
              start(controller) {
                push = state =>
                  controller.enqueue(encoder.encode(message(state)));
                push(podinfoState());
              },
            }),
            { headers: { 'Content-Type': 'text/event-stream' } },
          );
        },
      ),
    );
    const client = new ProgressiveDeliveryClient({
      discoveryApi: mockApis.discovery({ baseUrl: 'http://backend.test' }),
      fetchApi: { fetch: (...args) => fetch(...args) },
    });
    let first: () => void;
    const firstState = new Promise<void>(resolve => {
      first = resolve;
    });
    const a = client.subscribeToEntityDeliveryState(podinfo, {
      next: () => first(),
    });
    await firstState;

    const late: EntityDeliveryState[] = [];
    const lateStatus: LiveConnectionStatus[] = [];
    const b = client.subscribeToEntityDeliveryState(
      { kind: 'component', namespace: 'default', name: 'podinfo' },
      { next: state => late.push(state), status: s => lateStatus.push(s) },
    );
    // A late view gets the current state at once, from the open stream.
    expect(late).toEqual([podinfoState()]);
    expect(lateStatus).toEqual(['live']);
    expect(opened).toBe(1);

    // The first view leaving keeps the stream for the second.
    a.unsubscribe();
    push(podinfoState({ canaryWeight: 15 }));
    await waitFor(() => expect(late).toHaveLength(2));
    expect(aborted).toBe(0);
    b.unsubscribe();
    await waitFor(() => expect(aborted).toBe(1));
  });
});
