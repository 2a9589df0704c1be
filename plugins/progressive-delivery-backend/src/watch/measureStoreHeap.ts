/* eslint-disable no-console */
/**
 * Measures what the object store costs: starts the cluster simulator's `scale` scenario in its
 * own process (as the benchmark does, so its heap is not counted), fills an ObjectStore and
 * EventHistory through the real watchers, forces a full GC and prints the live heap per 10,000
 * cached objects, with the peak RSS and heap seen while the initial lists ran.
 *
 * Not a test: run it by hand from the plugin directory, with Node 22, e.g.
 *
 *   eval "$(../../scripts/pd.sh env)"
 *   node --expose-gc --import tsx src/watch/measureStoreHeap.ts --clusters 5 --canaries 2000
 *
 * Options: --clusters N (default 2), --canaries M per cluster (default 1000). Small sizes read
 * high per object: every cluster has a fixed cost.
 *
 * At 5 x 2,000 (80,100 cached objects) it measured 24.2 MB per 10,000 objects when the store
 * kept objects whole but for managed fields, and 10.9 MB once objects were projected
 * (projectObject) and the index shared its keys.
 */
import { LoggerService } from '@backstage/backend-plugin-api';
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import { ProgressiveDeliveryConfig } from '../config';
import { ClusterWatchers } from './ClusterWatchers';
import { EventHistory } from './EventHistory';
import { WATCHED_KINDS } from './kinds';
import { ObjectStore } from './ObjectStore';

const MB = 1024 * 1024;

const logger: LoggerService = {
  error: message => console.error(message),
  warn: message => console.error(message),
  info: () => {},
  debug: () => {},
  child: () => logger,
};

function gc(): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (!collect) {
    throw new Error('run with node --expose-gc');
  }
  // Twice: the first pass may leave finalizer-held objects for the second.
  collect();
  collect();
}

async function startSimulator(
  clusters: number,
  canaries: number,
): Promise<{
  child: ChildProcess;
  workDir: string;
  urls: Array<{ name: string; url: string }>;
}> {
  const bin = path.join(
    path.dirname(require.resolve('@internal/cluster-simulator/package.json')),
    'bin',
    'cluster-simulator',
  );
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pd-store-heap-'));
  const child = spawn(
    process.execPath,
    [
      bin,
      '--scenario',
      'scale',
      '--clusters',
      String(clusters),
      '--canaries',
      String(canaries),
      '--port',
      '0',
      '--kubeconfig',
      path.join(workDir, 'kubeconfig'),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const urls: Array<{ name: string; url: string }> = [];
  await new Promise<void>((resolve, reject) => {
    child.once('exit', code =>
      reject(new Error(`the simulator exited with code ${code}`)),
    );
    readline.createInterface({ input: child.stdout! }).on('line', line => {
      const match = line.match(/^cluster (\S+) listening on (\S+)$/);
      if (match) {
        urls.push({ name: match[1], url: match[2] });
      }
      if (line.startsWith('kubeconfig:')) {
        resolve();
      }
    });
  });
  return { child, workDir, urls };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      clusters: { type: 'string', default: '2' },
      canaries: { type: 'string', default: '1000' },
    },
  });
  const clusterCount = Number(values.clusters);
  const canaryCount = Number(values.canaries);
  const { child, workDir, urls } = await startSimulator(
    clusterCount,
    canaryCount,
  );
  try {
    const config: ProgressiveDeliveryConfig = {
      clusters: urls.map(({ name, url }) => ({
        name,
        url,
        authProvider: 'serviceAccount',
        serviceAccountToken: 'simulator-token',
        skipTLSVerify: true,
      })),
      kinds: [...WATCHED_KINDS],
      istioRootNamespace: 'istio-system',
      backoff: { initialMs: 500, maxMs: 30_000 },
      history: { retentionDays: 90 },
    };
    const store = new ObjectStore();
    const events = new EventHistory();
    const watchers = await ClusterWatchers.create({
      config,
      logger,
      sinkFor: kind => (kind === 'Event' ? events : store),
    });

    gc();
    const before = process.memoryUsage();
    let peakRss = before.rss;
    let peakHeap = before.heapUsed;
    const sampler = setInterval(() => {
      const now = process.memoryUsage();
      peakRss = Math.max(peakRss, now.rss);
      peakHeap = Math.max(peakHeap, now.heapUsed);
    }, 20);
    const started = performance.now();
    watchers.start();
    for (;;) {
      const status = watchers.status();
      if (status.some(c => c.state === 'error')) {
        throw new Error(`a cluster failed: ${JSON.stringify(status)}`);
      }
      if (status.every(c => c.state === 'synced')) {
        break;
      }
      await new Promise(resolve => setTimeout(resolve, 20));
    }
    const syncMs = performance.now() - started;
    clearInterval(sampler);
    watchers.stop();

    gc();
    const after = process.memoryUsage();
    // Read after the GC, so that the store and event history are still reachable for it.
    const objects = watchers
      .clusterNames()
      .flatMap(cluster =>
        WATCHED_KINDS.filter(k => k.kind !== 'Event').map(k =>
          store.size(cluster, k.kind),
        ),
      )
      .reduce((a, b) => a + b, 0);
    const canaryEvents = watchers
      .clusterNames()
      .flatMap(cluster =>
        store
          .list(cluster, 'Canary')
          .map(
            c =>
              events.eventsFor(
                cluster,
                c.metadata?.namespace ?? '',
                c.metadata?.name ?? '',
              ).length,
          ),
      )
      .reduce((a, b) => a + b, 0);
    const heap = after.heapUsed - before.heapUsed;
    const mb = (bytes: number) => (bytes / MB).toFixed(1);
    console.log(
      [
        `clusters x canaries:         ${clusterCount} x ${canaryCount}`,
        `cached objects:              ${objects} (and ${canaryEvents} events)`,
        `initial lists took:          ${(syncMs / 1000).toFixed(1)} s`,
        `live heap before / after:    ${mb(before.heapUsed)} / ${mb(
          after.heapUsed,
        )} MB`,
        `live heap of the store:      ${mb(heap)} MB`,
        `per 10,000 cached objects:   ${mb((heap / objects) * 10_000)} MB`,
        `peak RSS during the lists:   ${mb(peakRss)} MB (${mb(
          before.rss,
        )} MB before)`,
        `peak heap during the lists:  ${mb(peakHeap)} MB`,
      ].join('\n'),
    );
  } finally {
    child.kill('SIGTERM');
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
