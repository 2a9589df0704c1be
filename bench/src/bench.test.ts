import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from './cli';
import { BenchResults } from './results';

/**
 * Smoke run of the real bench at tiny size: simulator and three backends as child processes.
 * It checks that the bench works and what it writes, never how fast anything is.
 */
describe('npm run bench -- --quick (tiny)', () => {
  it('measures all three backends and writes the results files', async () => {
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pd-bench-test-'));
    const printed: string[] = [];
    await runCli(
      [
        '--quick',
        '--clusters',
        '1',
        '--canaries',
        '20',
        '--duration',
        '1',
        '--warmup',
        '0',
        '--propagation-samples',
        '2',
        '--streams',
        '4',
        '--stream-entities',
        '2',
        '--stream-duration',
        '2',
        '--stream-rate',
        '2',
        '--out',
        outDir,
      ],
      text => printed.push(text),
    );
    const results = JSON.parse(
      fs.readFileSync(path.join(outDir, 'latest.json'), 'utf8'),
    ) as BenchResults;

    expect(results.params).toMatchObject({
      clusters: 1,
      canariesPerCluster: 20,
    });
    for (const name of ['ours', 'peer', 'ceiling'] as const) {
      const measured = results[name]!;
      expect(measured.correctAnswers).toEqual({ checked: 20, correct: 20 });
      expect(measured.load.views).toBeGreaterThan(0);
      expect(measured.load.non2xx + measured.load.errors).toBe(0);
      expect(measured.rssMb).toBeGreaterThan(0);
      expect(measured.coldStartMs).toBeGreaterThan(0);
      expect(measured.load.latencyMs.p99).toBeGreaterThanOrEqual(
        measured.load.latencyMs.p50,
      );
    }
    // The point of the plugin: views are answered from memory, the peer lists every kind.
    expect(results.ours!.k8sRequestsPerView).toBe(0);
    expect(results.peer!.k8sRequestsPerView).toBeGreaterThanOrEqual(16);
    expect(results.ours!.cachedObjects).toBeGreaterThan(20 * 5);
    expect(results.ours!.propagation!.api.failures).toBe(0);
    expect(results.ours!.propagation!.liveChannel.failures).toBe(0);
    // Every change reached both streams of its entity.
    const { streams } = results.ours!;
    expect(streams).toMatchObject({ streams: 4, entities: 2, viewers: 2 });
    expect(streams!.changes).toBe(4);
    expect(streams!.delivery).toMatchObject({ samples: 8, failures: 0 });
    expect(streams!.stateEvents).toBeGreaterThanOrEqual(8);
    expect(streams!.bytesPerDelivery).toBeGreaterThan(1000);
    // Every target of the issue is judged (growth runs are off with --quick).
    expect(results.targets.map(t => t.goal)).toEqual([
      'p99 latency at least 100x lower than the peer on the same entities',
      "cold start to the first correct answer no slower than the peer's, and under 10 s",
      'live heap above the backend without the plugin at most 1,024 bytes per cached object',
      'zero Kubernetes API requests per entity view',
      'change propagation p99 under 1 s (API and live channel)',
      'analysis: at most checks x 2 Prometheus queries per progressing canary per interval, whatever the viewers',
      'live streams: p99 change-to-stream under 1 s',
      'live streams: backend CPU under 25 % of one core',
      'backend RSS under 300 MB with 50,000 cached objects',
      "throughput at least half of the bare endpoint's",
    ]);
    expect(fs.readFileSync(path.join(outDir, 'latest.md'), 'utf8')).toMatch(
      /\| K8s API requests per view +\| +0 \| +[\d.,]+ \| +0 \|/,
    );
    expect(printed.join('\n')).toContain('K8s API requests per view');
  }, 300_000);
});
