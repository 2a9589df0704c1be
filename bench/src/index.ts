/**
 * Side-by-side benchmark of the Progressive Delivery backend against the Backstage
 * Kubernetes backend on the cluster simulator. Run it with `npm run bench`.
 *
 * @packageDocumentation
 */

export { runCli, UsageError } from './cli';
export type { CliOutcome } from './cli';
export { Bench } from './Bench';
export { parseBenchArgs } from './options';
export type { BenchOptions } from './options';
export type {
  BenchResults,
  BenchParams,
  MachineInfo,
  TargetCheck,
  TargetResult,
} from './results';
