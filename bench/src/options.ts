import { parseArgs } from 'node:util';
import { TargetName } from './backendConfig';

export interface BenchOptions {
  clusters: number;
  canaries: number;
  /** Seconds of measured load per target. */
  durationS: number;
  /** Seconds of unmeasured load before it (JIT, caches, connection pools). */
  warmupS: number;
  connections: number;
  propagationSamples: number;
  /** Canaries per cluster put under analysis for the evaluator's query rate. */
  analysisCanaries: number;
  quick: boolean;
  targets: TargetName[];
  /** Directory for latest.json and latest.md. */
  outDir: string;
  /** Write a V8 CPU profile of each backend (node --cpu-prof) into this directory. */
  profileDir?: string;
  /** Write a heap snapshot of each backend after the load, and its summary, into this directory. */
  heapProfileDir?: string;
  /** Start every backend on an empty in-memory catalog instead of a filled one (a restart). */
  emptyCatalog: boolean;
  /** Live streams held open on ours while canaries change (0: no streams phase). */
  streams: number;
  /** Entities the streams are spread over. */
  streamEntities: number;
  /** Seconds of changes while the streams are open. */
  streamDurationS: number;
  /** Status changes per second while the streams are open. */
  streamRate: number;
  /** Run ours again at 1x, 2x and 4x `growthCanaries` canaries per cluster. */
  growth: boolean;
  /** Only the growth runs, not the side-by-side run. */
  growthOnly: boolean;
  /** Canaries per cluster of the growth run's 1x size. */
  growthCanaries: number;
  /** The growth runs measure the peer too. */
  growthPeer: boolean;
  /**
   * Run the backends from TypeScript through Backstage's source transform (as `backstage-cli
   * package start` does) instead of built, as production runs them.
   */
  fromSource: boolean;
}

export const USAGE = `Usage: npm run bench -- [--quick] [options]

  --quick                 small sizes and short phases (about 2 minutes)
  --clusters N            simulated clusters (default 5, quick 2)
  --canaries M            canaries per cluster, one catalog entity each (default 2000, quick 200)
  --duration S            seconds of measured load per backend (default 30, quick 5)
  --warmup S              seconds of load before measuring (default 10, quick 2)
  --connections C         concurrent connections of the load generator (default 10)
  --propagation-samples N status changes timed for our API and live channel (default 20, quick 5)
  --analysis-canaries N   canaries per cluster put under analysis while ours is loaded (default 100, quick 10)
  --targets LIST          comma-separated subset of ours,peer,ceiling (default all)
  --out DIR               where to write latest.json and latest.md (default bench/results)
  --profile DIR           write a CPU profile of each backend (node --cpu-prof) into DIR
  --heap-profile DIR      write a heap snapshot of each backend after the load into DIR, and
                          a summary by constructor (ours against the ceiling) in DIR/summary.md
  --empty-catalog         start each backend on an empty catalog (first start) instead of a
                          catalog filled once beforehand (a restart; the default)
  --streams N             live streams held open on ours while canaries change (default 1000, quick 50; 0: skip)
  --stream-entities M     entities the streams are spread over (default 100, quick 10)
  --stream-duration S     seconds of changes while the streams are open (default 30, quick 5)
  --stream-rate R         status changes per second while the streams are open (default 10)
  --growth, --no-growth   also run ours at 1x, 2x and 4x --growth-canaries (default on, quick off)
  --growth-only           only the growth runs (npm run bench:growth)
  --growth-canaries M     canaries per cluster at 1x (default 500, quick 50)
  --growth-peer           measure the peer at every growth size too
  --from-source           run the backends from TypeScript through Backstage's source
                          transform (backstage-cli package start) instead of built with
                          esbuild and run by plain node, as in production (the default)
`;

const FULL = {
  clusters: 5,
  canaries: 2000,
  durationS: 30,
  warmupS: 10,
  propagationSamples: 20,
  analysisCanaries: 100,
  streams: 1000,
  streamEntities: 100,
  streamDurationS: 30,
  growth: true,
  growthCanaries: 500,
};
const QUICK = {
  clusters: 2,
  canaries: 200,
  durationS: 5,
  warmupS: 2,
  propagationSamples: 5,
  analysisCanaries: 10,
  streams: 50,
  streamEntities: 10,
  streamDurationS: 5,
  growth: false,
  growthCanaries: 50,
};
const ALL_TARGETS: TargetName[] = ['ours', 'peer', 'ceiling'];

function positive(
  value: string | undefined,
  name: string,
  fallback: number,
): number {
  if (value === undefined) {
    return fallback;
  }
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) {
    throw new Error(`--${name} must be a positive number, got "${value}"`);
  }
  return n;
}

/** A positive number, or 0 when `allowZero` and the value is exactly "0". */
function count(
  value: string | undefined,
  name: string,
  fallback: number,
  allowZero = false,
): number {
  return allowZero && value === '0'
    ? 0
    : Math.floor(positive(value, name, fallback));
}

const OPTIONS = {
  quick: { type: 'boolean', default: false },
  clusters: { type: 'string' },
  canaries: { type: 'string' },
  duration: { type: 'string' },
  warmup: { type: 'string' },
  connections: { type: 'string' },
  'propagation-samples': { type: 'string' },
  'analysis-canaries': { type: 'string' },
  targets: { type: 'string' },
  out: { type: 'string' },
  profile: { type: 'string' },
  'heap-profile': { type: 'string' },
  'empty-catalog': { type: 'boolean', default: false },
  streams: { type: 'string' },
  'stream-entities': { type: 'string' },
  'stream-duration': { type: 'string' },
  'stream-rate': { type: 'string' },
  growth: { type: 'boolean' },
  'growth-only': { type: 'boolean', default: false },
  'growth-canaries': { type: 'string' },
  'growth-peer': { type: 'boolean', default: false },
  'from-source': { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

type Values = ReturnType<
  typeof parseArgs<{ options: typeof OPTIONS }>
>['values'];

function parseTargets(value: string | undefined): TargetName[] {
  const targets = value ? value.split(',').map(t => t.trim()) : ALL_TARGETS;
  for (const t of targets) {
    if (!ALL_TARGETS.includes(t as TargetName)) {
      throw new Error(`--targets: unknown target "${t}"`);
    }
  }
  // Keep the documented order: ours first, so the ceiling can answer with our body.
  return ALL_TARGETS.filter(t => targets.includes(t));
}

/** The streams phase and the growth runs. */
function streamsAndGrowth(values: Values, base: typeof FULL) {
  const streams = count(values.streams, 'streams', base.streams, true);
  const streamEntities = count(
    values['stream-entities'],
    'stream-entities',
    base.streamEntities,
  );
  if (streams > 0 && streams < streamEntities) {
    throw new Error(
      `--streams ${streams} is fewer than --stream-entities ${streamEntities}: every streamed entity needs a stream`,
    );
  }
  const growthOnly = values['growth-only'] ?? false;
  return {
    streams,
    streamEntities,
    streamDurationS: positive(
      values['stream-duration'],
      'stream-duration',
      base.streamDurationS,
    ),
    streamRate: positive(values['stream-rate'], 'stream-rate', 10),
    growth: growthOnly || (values.growth ?? base.growth),
    growthOnly,
    growthCanaries: count(
      values['growth-canaries'],
      'growth-canaries',
      base.growthCanaries,
    ),
    growthPeer: values['growth-peer'] ?? false,
  };
}

/** Parses the command line; explicit flags override the `--quick` sizes. */
export function parseBenchArgs(
  argv: string[],
  defaultOutDir: string,
): BenchOptions & { help: boolean } {
  const { values } = parseArgs({
    args: argv,
    options: OPTIONS,
    strict: true,
    allowPositionals: false,
    allowNegative: true,
  });
  const base = values.quick ? QUICK : FULL;
  return {
    help: values.help ?? false,
    quick: values.quick ?? false,
    clusters: count(values.clusters, 'clusters', base.clusters),
    canaries: count(values.canaries, 'canaries', base.canaries),
    durationS: positive(values.duration, 'duration', base.durationS),
    warmupS:
      values.warmup === '0'
        ? 0
        : positive(values.warmup, 'warmup', base.warmupS),
    connections: count(values.connections, 'connections', 10),
    propagationSamples: count(
      values['propagation-samples'],
      'propagation-samples',
      base.propagationSamples,
    ),
    analysisCanaries: count(
      values['analysis-canaries'],
      'analysis-canaries',
      base.analysisCanaries,
      true,
    ),
    targets: parseTargets(values.targets),
    outDir: values.out ?? defaultOutDir,
    profileDir: values.profile,
    heapProfileDir: values['heap-profile'],
    emptyCatalog: values['empty-catalog'] ?? false,
    fromSource: values['from-source'] ?? false,
    ...streamsAndGrowth(values, base),
  };
}
