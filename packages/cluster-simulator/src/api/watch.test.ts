import * as k8s from '@kubernetes/client-node';
import https from 'node:https';
import { Simulator, startSimulator } from '../Simulator';
import { KubeObject } from '../types';

/** Waits (in real time, for network I/O only) until `predicate` holds. */
async function until(predicate: () => boolean, what: string) {
  for (let i = 0; i < 400; i++) {
    if (predicate()) return;
    await new Promise(r => setTimeout(r, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function kubeConfig(sim: Simulator, name: string): k8s.KubeConfig {
  const info = sim.clusters.find(c => c.name === name)!;
  const kc = new k8s.KubeConfig();
  kc.loadFromOptions({
    clusters: [
      { name, server: info.url, caData: info.caData, skipTLSVerify: false },
    ],
    users: [{ name: 'sim', token: info.token }],
    contexts: [{ name, cluster: name, user: 'sim' }],
    currentContext: name,
  });
  return kc;
}

describe('watch', () => {
  let sim: Simulator;

  beforeAll(async () => {
    sim = await startSimulator({ scenario: 'demo' });
  });

  afterAll(() => sim.stop());

  it('feeds a client-node informer over HTTPS, and it re-lists after a forced 410', async () => {
    const kc = kubeConfig(sim, 'prod-eu-1');
    const api = kc.makeApiClient(k8s.CustomObjectsApi);
    const path = '/apis/flagger.app/v1beta1/namespaces/tenant-a/canaries';
    const informer = k8s.makeInformer<KubeObject & k8s.KubernetesObject>(
      kc,
      path,
      () =>
        api.listNamespacedCustomObject({
          group: 'flagger.app',
          version: 'v1beta1',
          namespace: 'tenant-a',
          plural: 'canaries',
        }) as never,
    );
    const seen: string[] = [];
    informer.on('add', o => seen.push(`add ${o.metadata!.name}`));
    informer.on('update', o => seen.push(`update ${o.metadata!.name}`));
    informer.on('error', e => seen.push(`error ${String(e)}`));
    await informer.start();
    expect(seen.sort()).toEqual(['add frontend', 'add podinfo']);

    const cluster = sim.cluster('prod-eu-1');
    await until(() => cluster.cluster.api.openWatchCount === 1, 'the watch');
    // A new revision: Flagger moves the canary, the informer follows.
    seen.length = 0;
    const weights: number[] = [];
    informer.on('update', o => {
      const status = (o as KubeObject).status as { canaryWeight?: number };
      weights.push(status.canaryWeight ?? 0);
    });
    cluster.releaseRevision('tenant-a', 'podinfo', {
      image: 'ghcr.io/stefanprodan/podinfo:6.7.1',
    });
    await sim.clock.advance(3 * 60_000);
    await until(() => weights.includes(10), 'the canary at 10 %');
    expect(new Set(seen)).toEqual(new Set(['update podinfo']));
    expect(informer.get('podinfo', 'tenant-a')?.status).toMatchObject({
      phase: 'Progressing',
      canaryWeight: 10,
    });
    expect(weights).toContain(5);

    // A forced 410 ends the watch; the informer re-lists, which it reports as a connect.
    const listsBefore =
      cluster.counters.byVerbAndResource['list canaries.flagger.app'] ?? 0;
    cluster.faults.forceGone();
    await until(
      () =>
        (cluster.counters.byVerbAndResource['list canaries.flagger.app'] ?? 0) >
        listsBefore,
      'the re-list',
    );
    await until(
      () => cluster.cluster.api.openWatchCount === 1,
      'the new watch',
    );
    cluster.objects.patch(
      'flagger.app/v1beta1',
      'Canary',
      'tenant-a',
      'frontend',
      {
        status: { phase: 'Progressing' },
      },
    );
    await until(
      () => seen.includes('update frontend'),
      'an update after the re-list',
    );
    await informer.stop();
  });

  it('streams ADDED/MODIFIED/DELETED from a resourceVersion, and 410 Gone for an old one', async () => {
    const info = sim.clusters[0];
    const cluster = sim.cluster(info.name);
    const startRv = cluster.cluster.store.resourceVersion;
    cluster.objects.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'watched',
        namespace: 'tenant-a',
        labels: { team: 'a' },
      },
      data: {},
    });
    cluster.objects.patch('v1', 'ConfigMap', 'tenant-a', 'watched', {
      data: { x: '1' },
    });
    cluster.objects.patch('v1', 'ConfigMap', 'tenant-a', 'watched', {
      metadata: { labels: { team: 'b' } },
    });
    cluster.objects.delete('v1', 'ConfigMap', 'tenant-a', 'watched');

    const agent = new https.Agent({
      ca: Buffer.from(info.caData!, 'base64'),
    });
    /** Reads the watch stream until it ends or `lines` events arrived. */
    const read = (query: string, lines = Infinity) =>
      new Promise<string>((resolve, reject) => {
        const req = https.get(
          `${info.url}/api/v1/namespaces/tenant-a/configmaps?watch=true&${query}`,
          { agent, headers: { Authorization: `Bearer ${info.token}` } },
          res => {
            let text = '';
            res.on('data', c => {
              text += c;
              if (text.split('\n').length > lines) {
                req.destroy();
                resolve(text);
              }
            });
            res.on('end', () => resolve(text));
          },
        );
        req.on('error', reject);
      });
    const lines = (await read(`resourceVersion=${startRv}`, 4))
      .trim()
      .split('\n')
      .map(l => JSON.parse(l));
    expect(lines.map(l => l.type)).toEqual([
      'ADDED',
      'MODIFIED',
      'MODIFIED',
      'DELETED',
    ]);
    expect(lines[1].object.data).toEqual({ x: '1' });

    // With a selector, leaving the selection is a DELETED event.
    const selected = (
      await read(`resourceVersion=${startRv}&labelSelector=team%3Da`, 3)
    )
      .trim()
      .split('\n')
      .map(l => JSON.parse(l).type);
    expect(selected).toEqual(['ADDED', 'MODIFIED', 'DELETED']);

    const bookmarked = (
      await read(
        `resourceVersion=${startRv}&timeoutSeconds=1&allowWatchBookmarks=true`,
      )
    )
      .trim()
      .split('\n')
      .map(l => JSON.parse(l));
    expect(bookmarked[bookmarked.length - 1]).toMatchObject({
      type: 'BOOKMARK',
      object: {
        kind: 'ConfigMap',
        metadata: {
          resourceVersion: String(cluster.cluster.store.resourceVersion),
        },
      },
    });

    cluster.cluster.store.compact();
    const gone = JSON.parse((await read(`resourceVersion=${startRv}`)).trim());
    expect(gone).toEqual({
      type: 'ERROR',
      object: expect.objectContaining({
        kind: 'Status',
        code: 410,
        reason: 'Expired',
      }),
    });
  });
});
