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
`;

const FULL = {
  clusters: 5,
  canaries: 2000,
  durationS: 30,
  warmupS: 10,
  propagationSamples: 20,
  analysisCanaries: 100,
};
const QUICK = {
  clusters: 2,
  canaries: 200,
  durationS: 5,
  warmupS: 2,
  propagationSamples: 5,
  analysisCanaries: 10,
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

/** Parses the command line; explicit flags override the `--quick` sizes. */
export function parseBenchArgs(
  argv: string[],
  defaultOutDir: string,
): BenchOptions & { help: boolean } {
  const { values } = parseArgs({
    args: argv,
    options: {
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
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const base = values.quick ? QUICK : FULL;
  const targets = values.targets
    ? values.targets.split(',').map(t => t.trim())
    : ALL_TARGETS;
  for (const t of targets) {
    if (!ALL_TARGETS.includes(t as TargetName)) {
      throw new Error(`--targets: unknown target "${t}"`);
    }
  }
  return {
    help: values.help ?? false,
    quick: values.quick ?? false,
    clusters: Math.floor(positive(values.clusters, 'clusters', base.clusters)),
    canaries: Math.floor(positive(values.canaries, 'canaries', base.canaries)),
    durationS: positive(values.duration, 'duration', base.durationS),
    warmupS:
      values.warmup === '0'
        ? 0
        : positive(values.warmup, 'warmup', base.warmupS),
    connections: Math.floor(positive(values.connections, 'connections', 10)),
    propagationSamples: Math.floor(
      positive(
        values['propagation-samples'],
        'propagation-samples',
        base.propagationSamples,
      ),
    ),
    analysisCanaries: Math.floor(
      positive(
        values['analysis-canaries'],
        'analysis-canaries',
        base.analysisCanaries,
      ),
    ),
    // Keep the documented order: ours first, so the ceiling can answer with our body.
    targets: ALL_TARGETS.filter(t => targets.includes(t)),
    outDir: values.out ?? defaultOutDir,
    profileDir: values.profile,
  };
}
