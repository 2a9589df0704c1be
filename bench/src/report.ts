import { TargetName } from './backendConfig';
import {
  BenchResults,
  ResultsByTarget,
  TargetCheck,
  TargetResult,
} from './results';
import { DurationSummary } from './stats';

const NAMES: TargetName[] = ['ours', 'peer', 'ceiling'];
const RSS_LIMIT_MB = 300;
const RSS_AT_OBJECTS = 50_000;

function fmt(n: number | null | undefined, digits = 1): string {
  if (n === null || n === undefined || Number.isNaN(n)) {
    return '–';
  }
  return n.toLocaleString('en-US', {
    maximumFractionDigits: digits,
    minimumFractionDigits: 0,
  });
}

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
  if (ours && peer) {
    const ratio =
      peer.load.latencyMs.p99 / Math.max(ours.load.latencyMs.p99, 0.001);
    checks.push({
      goal: 'p99 latency at least 20x lower than the peer on the same entities',
      measured: `${fmt(ratio)}x (ours ${fmt(
        ours.load.latencyMs.p99,
      )} ms, peer ${fmt(peer.load.latencyMs.p99)} ms)`,
      met: ratio >= 20,
    });
  }
  if (ours) {
    checks.push({
      goal: 'zero Kubernetes API requests per entity view',
      measured: `ours ${fmt(ours.k8sRequestsPerView, 3)}${
        peer ? `, peer ${fmt(peer.k8sRequestsPerView)}` : ''
      } per view`,
      met: ours.k8sRequestsPerView === 0,
    });
    checks.push(...propagationCheck(ours), ...analysisCheck(ours));
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

/** The figures as a plain-text table for the terminal. */
export function renderTable(results: BenchResults): string {
  const cells = tableCells(results);
  const widths = cells[0].map((_, col) =>
    Math.max(...cells.map(r => r[col].length)),
  );
  const line = (r: string[]) =>
    r
      .map((c, col) =>
        col === 0 ? c.padEnd(widths[col]) : c.padStart(widths[col]),
      )
      .join('  ');
  const targetLines = results.targets.map(
    t => `[${verdict(t).padEnd(3)}] ${t.goal}: ${t.measured}`,
  );
  return [line(cells[0]), ...cells.slice(1).map(line), '', ...targetLines].join(
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

/** The Markdown report written next to latest.json. */
export function renderMarkdown(results: BenchResults): string {
  const cells = tableCells(results);
  const { machine, params } = results;
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
  const lines = [
    '# Benchmark: Progressive Delivery vs the Kubernetes plugin',
    '',
    `Run ${results.date} on ${machine.cpu} (${machine.cores} cores, ${machine.memoryGb} GB), ${machine.os}, Node ${machine.node}; load average ${machine.loadAverageAtStart} at start.`,
    '',
    `${params.quick ? 'Quick run' : 'Run'}: ${sizes}; ${load}.`,
    '',
    ...markdownTable(
      cells,
      cells[0].map((_, i) => i > 0),
    ),
    '',
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
    '',
    'See bench/README.md for the method.',
    '',
  ];
  return lines.join('\n');
}
