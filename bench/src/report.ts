import { TargetName } from './backendConfig';
import {
  BenchResults,
  ResultsByTarget,
  TargetCheck,
  TargetResult,
} from './results';
import { fmt } from './format';
import { issueTargets } from './issueTargets';
import { heapPerThousandObjects } from './growth/growthFigures';
import { growthTables } from './growth/growthReport';
import { DurationSummary } from './stats';

const NAMES: TargetName[] = ['ours', 'peer', 'ceiling'];
const RSS_LIMIT_MB = 300;
const RSS_AT_OBJECTS = 50_000;

const p50p99 = (d: DurationSummary | undefined) =>
  d ? `${fmt(d.p50)} / ${fmt(d.p99)}` : '–';

/** Change propagation to our API and live channel. */
function propagationCheck(ours: TargetResult): TargetCheck[] {
  if (!ours.propagation) {
    return [];
  }
  const { api, liveChannel } = ours.propagation;
  const worst = Math.max(api.p99 ?? Infinity, liveChannel.p99 ?? Infinity);
  return [
    {
      goal: 'change propagation p99 under 1 s (API and live channel)',
      measured: `API p99 ${fmt(api.p99)} ms, live channel p99 ${fmt(
        liveChannel.p99,
      )} ms (${api.samples} changes, ${
        api.failures + liveChannel.failures
      } not seen)`,
      met: worst < 1000 && api.failures === 0 && liveChannel.failures === 0,
    },
  ];
}

const STREAM_P99_LIMIT_MS = 1000;
const STREAM_CPU_LIMIT = 0.25;

/** Many open live streams: delivery latency and the backend's CPU while canaries change. */
function streamsCheck(ours: TargetResult): TargetCheck[] {
  const s = ours.streams;
  if (!s) {
    return [];
  }
  const { delivery } = s;
  const setup = `${fmt(s.streams, 0)} streams over ${fmt(
    s.entities,
    0,
  )} entities, ${fmt(s.changesPerSecond)} changes/s for ${fmt(s.durationS)} s`;
  return [
    {
      goal: 'live streams: p99 change-to-stream under 1 s',
      measured: `p99 ${fmt(delivery.p99)} ms, max ${fmt(
        delivery.max,
      )} ms; ${fmt(delivery.failures, 0)} of ${fmt(
        delivery.samples,
        0,
      )} deliveries missed (${setup})`,
      met:
        delivery.p99 !== null &&
        delivery.p99 < STREAM_P99_LIMIT_MS &&
        delivery.failures === 0,
    },
    {
      goal: 'live streams: backend CPU under 25 % of one core',
      measured: `${fmt(s.backendCpuShare * 100)} % of one core (${fmt(
        s.idleCpuShare * 100,
      )} % with the streams open and nothing changing; ${setup})`,
      met: s.backendCpuShare < STREAM_CPU_LIMIT,
    },
  ];
}

/** The evaluator's Prometheus queries against checks x 2 per canary per interval. */
function analysisCheck(ours: TargetResult): TargetCheck[] {
  const a = ours.analysis;
  if (!a) {
    return [];
  }
  return [
    {
      goal: 'analysis: at most checks x 2 Prometheus queries per progressing canary per interval, whatever the viewers',
      measured: `${fmt(a.queriesPerSecond, 2)} queries/s for ${
        a.progressingCanaries
      } canaries under analysis (${a.checksPerCanary} checks; bound ${fmt(
        a.boundQueriesPerSecond,
        2,
      )}/s; ${a.instantQueries} instant and ${
        a.rangeQueries
      } range queries in ${fmt(a.windowS, 0)} s while the load ran)`,
      met:
        a.instantQueries > 0 &&
        a.queriesPerSecond <= a.boundQueriesPerSecond * 1.05,
    },
  ];
}

/** Judges the issue's targets on a run's figures. */
export function checkTargets(r: ResultsByTarget): TargetCheck[] {
  const { ours, peer, ceiling } = r;
  const checks: TargetCheck[] = [];
  checks.push(...issueTargets(r));
  if (ours) {
    checks.push({
      goal: 'zero Kubernetes API requests per entity view',
      measured: `ours ${fmt(ours.k8sRequestsPerView, 3)}${
        peer ? `, peer ${fmt(peer.k8sRequestsPerView)}` : ''
      } per view`,
      met: ours.k8sRequestsPerView === 0,
    });
    checks.push(
      ...propagationCheck(ours),
      ...analysisCheck(ours),
      ...streamsCheck(ours),
    );
    const objects = ours.cachedObjects ?? 0;
    let rssMet: boolean | null = null;
    if (ours.rssMb >= RSS_LIMIT_MB) {
      rssMet = false;
    } else if (objects >= RSS_AT_OBJECTS) {
      rssMet = true;
    }
    checks.push({
      goal: `backend RSS under ${RSS_LIMIT_MB} MB with ${fmt(
        RSS_AT_OBJECTS,
      )} cached objects`,
      measured: `${fmt(ours.rssMb)} MB with ${fmt(objects)} cached objects${
        ours.rssAboveCeilingMb === undefined
          ? ''
          : `, ${fmt(
              ours.rssAboveCeilingMb,
            )} MB above the same backend without the plugin`
      }; live heap ${fmt(ours.heapReadyMb)} MB${
        ceiling
          ? ` (the same backend without the plugin: ${fmt(
              ceiling.heapReadyMb,
            )} MB)`
          : ''
      }${rssMet === null ? ' (run below that scale)' : ''}`,
      met: rssMet,
    });
  }
  if (ours && ceiling) {
    const share =
      ours.load.throughputRps / Math.max(ceiling.load.throughputRps, 0.001);
    checks.push({
      goal: "throughput at least half of the bare endpoint's",
      measured: `${fmt(share * 100)}% (ours ${fmt(
        ours.load.throughputRps,
      )} req/s, ceiling ${fmt(ceiling.load.throughputRps)} req/s)`,
      met: share >= 0.5,
    });
  }
  return checks;
}

function verdict(check: TargetCheck): string {
  if (check.met === null) {
    return 'n/a';
  }
  return check.met ? 'yes' : 'no';
}

interface Row {
  label: string;
  value: (t: TargetResult, all: BenchResults) => string;
}

const ROWS: Row[] = [
  { label: 'p50 latency (ms)', value: t => fmt(t.load.latencyMs.p50) },
  { label: 'p99 latency (ms)', value: t => fmt(t.load.latencyMs.p99) },
  { label: 'throughput (req/s)', value: t => fmt(t.load.throughputRps) },
  { label: 'entity views measured', value: t => fmt(t.load.views, 0) },
  {
    label: 'failed views (non-2xx, errors)',
    value: t => fmt(t.load.non2xx + t.load.errors, 0),
  },
  {
    label: 'K8s API requests per view',
    value: t => fmt(t.k8sRequestsPerView, 3),
  },
  { label: 'backend CPU per view (ms)', value: t => fmt(t.cpuMsPerView, 2) },
  {
    label: 'cluster CPU per view (ms)',
    value: t => fmt(t.clusterCpuMsPerView, 2),
  },
  {
    label: 'RSS when ready, before load (MB)',
    value: t => fmt(t.rssReadyMb, 0),
  },
  {
    label: 'live heap when ready, after GC (MB)',
    value: t => fmt(t.heapReadyMb, 0),
  },
  {
    // What the plugin keeps beyond the same backend without it; RSS differences mostly show garbage.
    label: 'live heap above the backend without the plugin (MB)',
    value: (t, all) =>
      all.ceiling && t !== all.ceiling
        ? fmt(t.heapReadyMb - all.ceiling.heapReadyMb, 0)
        : '–',
  },
  {
    label: 'live heap after the load, after GC (MB)',
    value: t => fmt(t.heapAfterLoadMb, 0),
  },
  {
    label: 'live heap after the load above the backend without the plugin (MB)',
    value: (t, all) =>
      all.ceiling &&
      t !== all.ceiling &&
      t.heapAfterLoadMb !== undefined &&
      all.ceiling.heapAfterLoadMb !== undefined
        ? fmt(t.heapAfterLoadMb - all.ceiling.heapAfterLoadMb, 0)
        : '–',
  },
  {
    label: 'RSS after the load, after GC (MB)',
    value: t => fmt(t.rssAfterGcAfterLoadMb, 0),
  },
  { label: 'RSS after warm-up (MB)', value: t => fmt(t.rssMb, 0) },
  { label: 'RSS peak (MB)', value: t => fmt(t.rssPeakMb, 0) },

  { label: 'cached objects', value: t => fmt(t.cachedObjects, 0) },
  {
    label: 'cold start to first correct answer (s)',
    value: t => fmt(t.coldStartMs / 1000, 2),
  },
  {
    label: 'ready: all entities (and clusters) (s)',
    value: t => fmt(t.readyMs / 1000, 2),
  },
  { label: 'response size (bytes)', value: t => fmt(t.responseBytes, 0) },
  {
    label: 'bytes on the wire per view (gzip accepted)',
    value: t => fmt(t.load.wireBytesPerView, 0),
  },
  {
    label: 'status patch answered by the cluster, p50 / p99 (ms)',
    value: t => p50p99(t.propagation?.clusterWrite),
  },
  {
    label: 'change -> API, p50 / p99 (ms)',
    value: t => p50p99(t.propagation?.api),
  },
  {
    label: 'change -> live channel, p50 / p99 (ms)',
    value: t => p50p99(t.propagation?.liveChannel),
  },
  {
    label: 'live streams open (entities, users)',
    value: t =>
      t.streams
        ? `${fmt(t.streams.streams, 0)} (${fmt(t.streams.entities, 0)}, ${fmt(
            t.streams.viewers,
            0,
          )})`
        : '–',
  },
  {
    label: 'change -> each open stream, p50 / p99 / max (ms)',
    value: t =>
      t.streams
        ? `${p50p99(t.streams.delivery)} / ${fmt(t.streams.delivery.max)}`
        : '–',
  },
  {
    label: 'change -> first stream of its entity, p50 / p99 (ms)',
    value: t => (t.streams ? p50p99(t.streams.firstDelivery) : '–'),
  },
  {
    label: 'stream deliveries missed (of all)',
    value: t =>
      t.streams
        ? `${fmt(t.streams.delivery.failures, 0)} (${fmt(
            t.streams.delivery.samples,
            0,
          )})`
        : '–',
  },
  {
    label: 'backend CPU, streams open: changing / idle (% of a core)',
    value: t =>
      t.streams
        ? `${fmt(t.streams.backendCpuShare * 100)} / ${fmt(
            t.streams.idleCpuShare * 100,
          )}`
        : '–',
  },
  {
    label:
      'streams phase: status patch answered by the cluster, p50 / p99 (ms)',
    value: t => (t.streams ? p50p99(t.streams.clusterWrite) : '–'),
  },
  {
    label: 'load generator: CPU (% of a core) / event loop delay p99 (ms)',
    value: t =>
      t.streams
        ? `${fmt(t.streams.generator.cpuShare * 100)} / ${fmt(
            t.streams.generator.eventLoopDelayP99Ms,
          )}`
        : '–',
  },
  {
    label: 'bytes per stream per change',
    value: t => (t.streams ? fmt(t.streams.bytesPerDelivery, 0) : '–'),
  },
  {
    label: 'analysis queries to Prometheus per second (bound)',
    value: t =>
      t.analysis
        ? `${fmt(t.analysis.queriesPerSecond, 2)} (${fmt(
            t.analysis.boundQueriesPerSecond,
            2,
          )})`
        : '',
  },
];

function tableCells(results: BenchResults): string[][] {
  const present = NAMES.filter(n => results[n]);
  return [
    ['', ...present],
    ...ROWS.map(row => [
      row.label,
      ...present.map(n => row.value(results[n]!, results)),
    ]),
  ];
}

function plainTable(cells: string[][]): string[] {
  const widths = cells[0].map((_, col) =>
    Math.max(...cells.map(r => r[col].length)),
  );
  return cells.map(r =>
    r
      .map((c, col) =>
        col === 0 ? c.padEnd(widths[col]) : c.padStart(widths[col]),
      )
      .join('  '),
  );
}

const hasTargets = (results: BenchResults) => NAMES.some(n => results[n]);

/** The figures as plain-text tables for the terminal. */
export function renderTable(results: BenchResults): string {
  const tables = [
    ...(hasTargets(results) ? [tableCells(results)] : []),
    ...growthTables(results.growth),
  ];
  const targetLines = results.targets.map(
    t => `[${verdict(t).padEnd(3)}] ${t.goal}: ${t.measured}`,
  );
  return [...tables.flatMap(t => [...plainTable(t), '']), ...targetLines].join(
    '\n',
  );
}

/**
 * A Markdown table padded the way Prettier formats it, so the generated report passes the
 * repository's format check. `right` marks right-aligned columns.
 */
export function markdownTable(rows: string[][], right: boolean[]): string[] {
  const widths = rows[0].map((_, col) =>
    Math.max(3, ...rows.map(r => r[col].length)),
  );
  const line = (r: string[]) =>
    `| ${r
      .map((c, col) =>
        right[col] ? c.padStart(widths[col]) : c.padEnd(widths[col]),
      )
      .join(' | ')} |`;
  const delimiter = `| ${widths
    .map((w, col) => (right[col] ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w)))
    .join(' | ')} |`;
  return [line(rows[0]), delimiter, ...rows.slice(1).map(line)];
}

const rightAligned = (cells: string[][]) => cells[0].map((_, i) => i > 0);

/** The side-by-side run: its sizes, phases and table. */
function sideBySideSection(results: BenchResults): string[] {
  if (!hasTargets(results)) {
    return [];
  }
  const { params } = results;
  const cells = tableCells(results);
  const sizes =
    `${params.clusters} simulated clusters x ${fmt(
      params.canariesPerCluster,
      0,
    )} canaries ` +
    `(${fmt(params.clusterObjects, 0)} objects in the clusters; ${fmt(
      params.entities,
      0,
    )} ` +
    'catalog entities, each with its canary in every cluster)';
  const load =
    `${params.connections} connections, ${params.warmupS} s warm-up and ${params.durationS} s ` +
    `measured load per backend; ${params.propagationSamples} status changes timed`;
  const streams = params.streams
    ? `; ${fmt(params.streams, 0)} live streams over ${fmt(
        params.streamEntities,
        0,
      )} entities with ${fmt(params.streamRate)} changes/s for ${fmt(
        params.streamDurationS,
      )} s`
    : '';
  return [
    `${params.quick ? 'Quick run' : 'Run'}: ${sizes}; ${load}${streams}.`,
    '',
    ...markdownTable(cells, rightAligned(cells)),
    '',
  ];
}

/** The growth runs: a table per target, sizes as columns, ratios to the smallest size. */
function growthSection(results: BenchResults): string[] {
  const tables = growthTables(results.growth);
  if (tables.length === 0 || !results.growth) {
    return [];
  }
  const perThousand = heapPerThousandObjects(results.growth, 'ours');
  return [
    '## Growth',
    '',
    'The same method at 1x, 2x and 4x the canaries per cluster (a simulator and backend per ' +
      'size, without the streams phase and the analysis window); in brackets each figure ' +
      'divided by its value at 1x, to compare with the objects in the clusters.',
    '',
    ...tables.flatMap(cells => [
      ...markdownTable(cells, rightAligned(cells)),
      '',
    ]),
    ...(perThousand === undefined
      ? []
      : [
          `Ours keeps ${fmt(
            perThousand,
            2,
          )} MB of live heap per 1,000 cached objects added from 1x to 4x (the rest of its heap is the backend around it).`,
          '',
        ]),
  ];
}

/** The Markdown report written next to latest.json. */
export function renderMarkdown(results: BenchResults): string {
  const { machine } = results;
  const lines = [
    '# Benchmark: Progressive Delivery vs the Kubernetes plugin',
    '',
    `Run ${results.date} on ${machine.cpu} (${machine.cores} cores, ${machine.memoryGb} GB), ${machine.os}, Node ${machine.node}; load average ${machine.loadAverageAtStart} at start.`,
    '',
    ...sideBySideSection(results),
    ...growthSection(results),
    '## Targets',
    '',
    ...markdownTable(
      [
        ['Target', 'Measured', 'Met'],
        ...results.targets.map(t => [t.goal, t.measured, verdict(t)]),
      ],
      [false, false, false],
    ),
    '',
    '## What was measured',
    '',
    ...NAMES.filter(n => results[n]).map(
      n => `- **${n}**: ${results[n]!.description}`,
    ),
    ...(results.growth
      ? [
          '- **growth**: each size measured as the side-by-side run measures ours (cold start, live heap when ready, the load, change propagation)',
        ]
      : []),
    '',
    'See bench/README.md for the method.',
    '',
  ];
  return lines.join('\n');
}
