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
      wireBytesPerView: 1900,
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

const streams = (p99: number, missed: number, cpuShare: number) => ({
  streams: 1000,
  entities: 100,
  viewers: 10,
  changesPerSecond: 10,
  durationS: 30,
  changes: 300,
  delivery: {
    samples: 3000,
    failures: missed,
    p50: 110,
    p99,
    max: p99 + 20,
  },
  missAfterMs: 5000,
  backendCpuShare: cpuShare,
  idleCpuShare: 0.01,
  bytesPerDelivery: 9000,
  stateEvents: 3000,
  openS: 4.2,
  endedEarly: 0,
  clusterWrite: { samples: 300, failures: 0, p50: 2, p99: 5, max: 6 },
  firstDelivery: { samples: 300, failures: 0, p50: 105, p99: 200, max: 210 },
  generator: { cpuShare: 0.3, eventLoopDelayP99Ms: 12 },
});

describe('checkTargets', () => {
  it('judges every target of the issue', () => {
    const checks = checkTargets({
      ours: target({
        load: loadWith(10, 600),
        cachedObjects: 60_000,
        propagation: propagation(20),
        coldStartMs: 8_000,
        heapReadyMb: 150,
      }),
      peer: target({ load: loadWith(1200, 20), k8sRequestsPerView: 80 }),
      ceiling: target({ load: loadWith(5, 1000) }),
    });
    expect(checks.map(c => [c.goal, c.met])).toEqual([
      [
        'p99 latency at least 100x lower than the peer on the same entities',
        true,
      ],
      [
        "cold start to the first correct answer no slower than the peer's, and under 10 s",
        true,
      ],
      [
        'live heap above the backend without the plugin at most 1,024 bytes per cached object',
        true,
      ],
      ['zero Kubernetes API requests per entity view', true],
      ['change propagation p99 under 1 s (API and live channel)', true],
      ['backend RSS under 300 MB with 50,000 cached objects', true],
      ["throughput at least half of the bare endpoint's", true],
    ]);
    expect(checks[0].measured).toBe('120x (ours 10 ms, peer 1,200 ms)');
    expect(checks[1].measured).toBe('ours 8 s, peer 20 s');
    expect(checks[2].measured).toBe(
      '524 bytes when ready (30 MB for 60,000 cached objects); 524 when ready above the backend with the Kubernetes plugin',
    );
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
    // p99, cold start (ours 20 s), heap (no change above the ceiling: met), requests,
    // propagation, RSS (too small to judge), throughput.
    expect(checks.map(c => c.met)).toEqual([
      false,
      false,
      true,
      false,
      false,
      null,
      false,
    ]);
    expect(checks[5].measured).toBe(
      '250 MB with 500 cached objects; live heap 120 MB (the same backend without the plugin: 120 MB) (run below that scale)',
    );
  });

  it('judges the live streams on delivery p99, misses and backend CPU', () => {
    const goals = (s: ReturnType<typeof streams>) =>
      checkTargets({ ours: target({ streams: s }) })
        .filter(c => c.goal.startsWith('live streams'))
        .map(c => [c.goal, c.met]);
    expect(goals(streams(250, 0, 0.2))).toEqual([
      ['live streams: p99 change-to-stream under 1 s', true],
      ['live streams: backend CPU under 25 % of one core', true],
    ]);
    expect(goals(streams(1200, 0, 0.25)).map(g => g[1])).toEqual([
      false,
      false,
    ]);
    // Fast, but a stream missed a change: not met.
    expect(goals(streams(250, 1, 0.1)).map(g => g[1])).toEqual([false, true]);
    const [latency, cpu] = checkTargets({
      ours: target({ streams: streams(250, 3, 0.123) }),
    }).filter(c => c.goal.startsWith('live streams'));
    expect(latency.measured).toBe(
      'p99 250 ms, max 270 ms; 3 of 3,000 deliveries missed (1,000 streams over 100 entities, 10 changes/s for 30 s)',
    );
    expect(cpu.measured).toBe(
      '12.3 % of one core (1 % with the streams open and nothing changing; 1,000 streams over 100 entities, 10 changes/s for 30 s)',
    );
  });

  it('only judges what the run measured', () => {
    expect(checkTargets({ ceiling: target() })).toEqual([]);
  });

  it('judges the analysis evaluator against checks x 2 per canary per interval', () => {
    const analysis = (queriesPerSecond: number, instantQueries: number) => ({
      progressingCanaries: 20,
      stillProgressing: 20,
      checksPerCanary: 2,
      windowS: 61,
      instantQueries,
      rangeQueries: 0,
      queriesPerSecond,
      boundQueriesPerSecond: 1.33,
    });
    const judged = (queriesPerSecond: number, instantQueries: number) =>
      checkTargets({
        ours: target({ analysis: analysis(queriesPerSecond, instantQueries) }),
      }).find(c => c.goal.startsWith('analysis:'))?.met;
    expect(judged(1.31, 80)).toBe(true);
    // Over the bound: a view or a viewer costs queries.
    expect(judged(2.5, 152)).toBe(false);
    // Nothing queried: the phase measured nothing.
    expect(judged(0, 0)).toBe(false);
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
    ours: target({
      cachedObjects: 1234,
      heapReadyMb: 300,
      streams: streams(250, 0, 0.2),
    }),
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
    expect(lines.find(l => l.startsWith('change -> each open stream'))).toMatch(
      /110 \/ 250 \/ 270\s+–$/,
    );
    expect(lines.find(l => l.startsWith('backend CPU, streams open'))).toMatch(
      /20 \/ 1\s+–$/,
    );
  });

  it('adds the growth tables, and only those for a growth-only run', () => {
    const growth = {
      points: [1, 2, 4].map(factor => ({
        factor,
        clusters: 2,
        canariesPerCluster: 50 * factor,
        clusterObjects: 1500 * factor,
        ours: {
          coldStartMs: 8000 + factor * 1000,
          readyMs: 9000,
          heapReadyMb: 150 + factor * 10,
          p50Ms: 4,
          p99Ms: 12,
          throughputRps: 600,
        },
      })),
    };
    const withGrowth = { ...results, growth };
    expect(renderTable(withGrowth)).toMatch(
      /live heap when ready, after GC \(MB\)\s+160\s+170 \(1.06x\)\s+190 \(1.19x\)/,
    );
    const md = renderMarkdown(withGrowth);
    expect(md).toContain('## Growth');
    expect(md).toMatch(/\| ours, clusters x canaries +\| +1x: 2 x 50 \|/);
    // No cached objects in this fixture: no heap per object.
    expect(md).not.toContain('per 1,000 cached objects');
    const withObjects = {
      ...results,
      growth: {
        points: growth.points.map(p => ({
          ...p,
          ours: { ...p.ours, cachedObjects: 1000 * p.factor },
        })),
      },
    };
    expect(renderMarkdown(withObjects)).toContain(
      'Ours keeps 10 MB of live heap per 1,000 cached objects added from 1x to 4x',
    );

    const growthOnly: BenchResults = {
      machine: results.machine,
      date: results.date,
      params: results.params,
      growth,
      targets: [],
    };
    const onlyMd = renderMarkdown(growthOnly);
    expect(onlyMd).not.toContain('Quick run');
    expect(onlyMd).toContain('## Growth');
    expect(onlyMd).not.toContain('\n\n\n');
    expect(renderTable(growthOnly).split('\n')[0]).toMatch(
      /^ours, clusters x canaries/,
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
    expect(md).not.toContain('## Growth');
  });
});
