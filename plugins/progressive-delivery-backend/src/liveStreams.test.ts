import request from 'supertest';
import { Simulator } from '@internal/cluster-simulator';
import { EntityDeliveryState } from '@progressive-delivery/plugin-progressive-delivery-common';
import {
  API,
  SimulatorBackend,
  startDemoSimulator,
  startSimulatorBackend,
} from './__testUtils__/simulatorBackend';
import { SseClient } from './__testUtils__/SseClient';
import { waitFor } from './__testUtils__/waitFor';

/*
 * The entity state is serialised once per version and shared (issue 17): the GET route sends
 * the cached body with an ETag that only a change moves, and live streams are capped per
 * entity per user and in all.
 */

const CANARY = ['flagger.app/v1beta1', 'Canary'] as const;
const PROD = 'prod-eu-1';

jest.setTimeout(60_000);

describe('shared entity states and capped live streams', () => {
  let sim: Simulator;
  let backend: SimulatorBackend;
  let baseUrl: string;

  beforeAll(async () => {
    sim = await startDemoSimulator();
    backend = await startSimulatorBackend(sim, {
      progressiveDelivery: { streams: { perEntityPerUser: 1, max: 3 } },
    });
    const { port } = backend.server.address() as { port: number };
    baseUrl = `http://127.0.0.1:${port}/api/progressive-delivery`;
    await waitFor(
      async () =>
        (
          await backend.get('/v1/entities/component/default/podinfo')
        ).body,
      (state: EntityDeliveryState) =>
        state.clusters?.some(c => c.canaries.length > 0) ?? false,
      { what: "podinfo's canaries" },
    );
  });

  afterAll(async () => {
    await backend?.stop();
    await sim?.stop();
  });

  it('answers with the same body and ETag until the entity changes, and 304 to If-None-Match', async () => {
    const path = '/v1/entities/component/default/podinfo';
    const first = await backend.get(path);
    expect(first.status).toBe(200);
    expect(first.headers['content-type']).toBe(
      'application/json; charset=utf-8',
    );
    const etag = first.headers.etag;
    expect(etag).toMatch(/^"[^"]+"$/);
    const again = await backend.get(path);
    expect(again.headers.etag).toBe(etag);
    expect(again.text).toBe(first.text);
    expect((await backend.get(path).set('If-None-Match', etag)).status).toBe(
      304,
    );
    // Sent compressed as stored to a client that takes gzip, inflated for one that does not:
    // the same JSON, each encoding with its own ETag.
    expect(first.headers['content-encoding']).toBe('gzip');
    expect(first.headers.vary).toBe('Accept-Encoding');
    const plain = await backend.get(path).set('Accept-Encoding', 'identity');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.text).toBe(first.text);
    expect(plain.headers.etag).not.toBe(etag);
    expect(Number(plain.headers['content-length'])).toBe(
      Buffer.byteLength(plain.text),
    );
    // HEAD: the same headers, no body.
    const head = await request(backend.server)
      .head(`${API}${path}`)
      .set('Accept-Encoding', 'identity');
    expect(head.status).toBe(200);
    expect(head.headers.etag).toBe(plain.headers.etag);
    expect(head.headers['content-length']).toBe(
      plain.headers['content-length'],
    );
    expect(head.text ?? '').toBe('');
    expect(
      (
        await backend
          .get(path)
          .set('Accept-Encoding', 'identity')
          .set('If-None-Match', plain.headers.etag)
      ).status,
    ).toBe(304);
    expect(
      (
        await backend
          .get(path)
          .set('Accept-Encoding', 'identity')
          .set('If-None-Match', etag)
      ).status,
    ).toBe(200);

    sim.cluster(PROD).objects.patch(...CANARY, 'tenant-a', 'podinfo', {
      status: { lastTransitionTime: '2031-01-01T00:00:00Z' },
    });
    const changed = await waitFor(
      async () => await backend.get(path),
      res => res.headers.etag !== etag,
      { what: 'a new ETag', describe: res => String(res.headers.etag) },
    );
    expect(changed.text).toContain('2031-01-01T00:00:00Z');
    expect(changed.body.generatedAt).toBeDefined();
  });

  it('refuses a second stream of one entity by one user (429) and streams beyond the total (503)', async () => {
    const url = (name: string) =>
      `${baseUrl}/v1/entities/component/default/${name}/events`;
    const open: SseClient[] = [];
    try {
      const podinfo = await SseClient.open(url('podinfo'));
      open.push(podinfo);
      expect(podinfo.status).toBe(200);
      await waitFor(
        () => podinfo.messages.length,
        n => n >= 1,
        { what: 'the first state' },
      );
      const second = await backend.get(
        '/v1/entities/component/default/podinfo/events',
      );
      expect(second.status).toBe(429);
      expect(second.headers['retry-after']).toBe('30');
      expect(second.body.error.name).toBe('TooManyStreamsError');

      for (const name of ['frontend', 'checkout']) {
        const stream = await SseClient.open(url(name));
        open.push(stream);
        expect(stream.status).toBe(200);
      }
      const full = await backend.get(
        '/v1/entities/component/default/payments/events',
      );
      expect(full.status).toBe(503);
      expect(full.body.error.message).toContain(
        'progressiveDelivery.streams.max',
      );

      // A closed stream frees its place.
      open.shift()!.close();
      const reopened = await waitFor(
        () => SseClient.open(url('podinfo')),
        stream => {
          if (stream.status !== 200) {
            stream.close();
          }
          return stream.status === 200;
        },
        { what: 'a stream once one closed', describe: c => String(c.status) },
      );
      open.push(reopened);
    } finally {
      open.forEach(stream => stream.close());
    }
  });
});
