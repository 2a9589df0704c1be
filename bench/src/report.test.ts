import { checkTargets, renderMarkdown, renderTable } from './report';
import { BenchResults, TargetResult } from './results';

function target(overrides: Partial<TargetResult> = {}): TargetResult {
  return {
    description: 'a backend',
    coldStartMs: 20_000,
    readyMs: 25_000,
    correctAnswers: { checked: 20, correct: 20 },
    responseBytes: 6000,
    load: {
      views: 3000,
      sent: 3010,
      non2xx: 0,
      errors: 0,
      timeouts: 0,
      durationS: 30,
      throughputRps: 100,
      latencyMs: { p50: 40, p90: 80, p99: 100, mean: 45, max: 150 },
    },
    k8sRequestsPerView: 0,
    k8sRequestsDuringLoad: { total: 0, byVerb: {} },
    rssReadyMb: 200,
    heapReadyMb: 120,
    rssAfterGcReadyMb: 190,
    rssMb: 250,
    rssPeakMb: 260,
    cpuMsPerView: 5,
    clusterCpuMsPerView: 0,
    ...overrides,
  };
}

const loadWith = (p99: number, throughputRps: number) => ({
  ...target().load,
  throughputRps,
  latencyMs: { ...target().load.latencyMs, p99 },
});

const propagation = (samples: number, apiFailures = 0) => ({
  clusterWrite: { samples, failures: 0, p50: 3, p99: 5, max: 5 },
  api: { samples, failures: apiFailures, p50: 8, p99: 15, max: 15 },
  liveChannel: { samples, failures: 0, p50: 105, p99: 120, max: 120 },
});

describe('checkTargets', () => {
  it('judges every target of the issue', () => {
    const checks = checkTargets({
      ours: target({
        load: loadWith(10, 600),
        cachedObjects: 60_000,
        propagation: propagation(20),
      }),
      peer: target({ load: loadWith(400, 20), k8sRequestsPerView: 80 }),
      ceiling: target({ load: loadWith(5, 1000) }),
    });
    expect(checks.map(c => [c.goal, c.met])).toEqual([
      [
        'p99 latency at least 20x lower than the peer on the same entities',
        true,
      ],
      ['zero Kubernetes API requests per entity view', true],
      ['change propagation p99 under 1 s (API and live channel)', true],
      ['backend RSS under 300 MB with 50,000 cached objects', true],
      ["throughput at least half of the bare endpoint's", true],
    ]);
    expect(checks[0].measured).toBe('40x (ours 10 ms, peer 400 ms)');
  });

  it('reports misses, unseen changes and runs too small to judge memory', () => {
    const checks = checkTargets({
      ours: target({
        load: loadWith(100, 100),
        k8sRequestsPerView: 0.5,
        cachedObjects: 500,
        propagation: propagation(5, 1),
      }),
      peer: target({ load: loadWith(400, 20) }),
      ceiling: target({ load: loadWith(5, 1000) }),
    });
    expect(checks.map(c => c.met)).toEqual([false, false, false, null, false]);
    expect(checks[3].measured).toBe(
      '250 MB with 500 cached objects; live heap 120 MB (the same backend without the plugin: 120 MB) (run below that scale)',
    );
  });

  it('only judges what the run measured', () => {
    expect(checkTargets({ ceiling: target() })).toEqual([]);
  });
});

describe('rendering', () => {
  const results: BenchResults = {
    machine: {
      cpu: 'AMD EPYC',
      cores: 2,
      memoryGb: 24,
      os: 'Linux 6.1',
      node: 'v22.23.3',
      loadAverageAtStart: 1.5,
    },
    date: '2026-11-22T04:00:00.000Z',
    params: {
      quick: true,
      clusters: 2,
      canariesPerCluster: 200,
      entities: 200,
      clusterObjects: 5800,
      connections: 10,
      durationS: 5,
      warmupS: 2,
      propagationSamples: 5,
    },
    ours: target({ cachedObjects: 1234, heapReadyMb: 300 }),
    ceiling: target({ load: loadWith(5, 1000) }),
    targets: [],
  };
  results.targets = checkTargets(results);

  it('prints a column per measured target', () => {
    const table = renderTable(results);
    const lines = table.split('\n');
    expect(lines[0].trim().split(/\s+/)).toEqual(['ours', 'ceiling']);
    expect(lines.find(l => l.startsWith('throughput'))).toMatch(/100\s+1,000$/);
    expect(lines.find(l => l.startsWith('cached objects'))).toMatch(
      /1,234\s+–$/,
    );
    // ours keeps 300 MB of heap, the same backend without the plugin 120 MB.
    expect(
      lines.find(l =>
        l.startsWith('live heap above the backend without the plugin'),
      ),
    ).toMatch(/180\s+–$/);
    expect(table).toContain(
      "[no ] throughput at least half of the bare endpoint's",
    );
  });

  it('writes the machine, the date and the parameters into the report', () => {
    const md = renderMarkdown(results);
    expect(md).toContain(
      'Run 2026-11-22T04:00:00.000Z on AMD EPYC (2 cores, 24 GB)',
    );
    expect(md).toContain(
      'Quick run: 2 simulated clusters x 200 canaries (5,800 objects in the clusters; 200 catalog entities',
    );
    const p99 = md.split('\n').find(l => l.startsWith('| p99 latency'));
    expect(p99?.replace(/ +/g, ' ')).toBe('| p99 latency (ms) | 100 | 5 |');
    expect(md).toMatch(/\| -+ \| -+: \| -+: \|/);
  });
});
