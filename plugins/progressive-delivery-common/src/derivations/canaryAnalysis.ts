import { CanaryStrategy, ObjectProblem } from '../api';
import { parseGoDuration } from './duration';
import {
  asArray,
  asBoolean,
  asNumber,
  asRecord,
  asString,
  UnknownRecord,
} from './read';

// Defaults and rules below follow Flagger v1.44 (pkg/apis/flagger/v1beta1/canary.go,
// pkg/controller/scheduler.go).
export const TOTAL_WEIGHT = 100;
const DEFAULT_INTERVAL_MS = 60_000;
const MIN_INTERVAL_MS = 10_000;
const KUBERNETES_PROVIDER_ITERATIONS = 10;

/** A canary's `spec.analysis` with Flagger's defaults applied. */
export interface AnalysisSpec {
  present: boolean;
  strategy: CanaryStrategy;
  mirror: boolean;
  stepWeight: number;
  stepWeights: number[];
  maxWeight: number;
  stepWeightPromotion: number;
  iterations: number;
  threshold: number;
  intervalMs: number;
}

/** `spec.analysis`, or `spec.canaryAnalysis`: the v1alpha3 name Flagger still honours. */
export function analysisRecord(
  spec: UnknownRecord | undefined,
): UnknownRecord | undefined {
  return asRecord(spec?.analysis) ?? asRecord(spec?.canaryAnalysis);
}

function readNumberList(value: unknown): number[] {
  return (asArray(value) ?? []).filter(
    (n): n is number => typeof n === 'number' && Number.isFinite(n),
  );
}

function readMaxWeight(analysis: UnknownRecord, stepWeights: number[]): number {
  const maxWeightSpec = asNumber(analysis.maxWeight) ?? 0;
  if (stepWeights.length > 0) {
    return Math.min(TOTAL_WEIGHT, stepWeights[stepWeights.length - 1]);
  }
  return maxWeightSpec > 0 ? maxWeightSpec : TOTAL_WEIGHT;
}

function readStrategy(
  analysis: UnknownRecord,
  provider: string | undefined,
  iterations: number,
): CanaryStrategy {
  const match = asArray(analysis.match) ?? [];
  if (match.length > 0 && iterations > 0 && provider !== 'kubernetes') {
    return 'abTesting';
  }
  return iterations > 0 ? 'blueGreen' : 'canary';
}

function readIntervalMs(
  analysis: UnknownRecord,
  problems: ObjectProblem[],
): number {
  const intervalText = asString(analysis.interval);
  const intervalMs = parseGoDuration(intervalText) ?? DEFAULT_INTERVAL_MS;
  if (intervalText && parseGoDuration(intervalText) === undefined) {
    problems.push({
      field: 'spec.analysis.interval',
      message: `"${intervalText}" is not a duration; Flagger uses 60s`,
    });
  }
  return Math.max(intervalMs, MIN_INTERVAL_MS);
}

/** Reads the analysis a canary asks for, with Flagger's defaults and lower bounds. */
export function readAnalysis(
  spec: UnknownRecord | undefined,
  problems: ObjectProblem[],
): AnalysisSpec {
  const record = analysisRecord(spec);
  const analysis = record ?? {};
  const stepWeights = readNumberList(analysis.stepWeights);
  const provider = asString(spec?.provider);
  let iterations = asNumber(analysis.iterations) ?? 0;
  if (provider === 'kubernetes' && iterations < 1) {
    iterations = KUBERNETES_PROVIDER_ITERATIONS;
  }
  const threshold = asNumber(analysis.threshold) ?? 0;
  return {
    present: record !== undefined,
    strategy: readStrategy(analysis, provider, iterations),
    mirror: asBoolean(analysis.mirror) ?? false,
    stepWeight: asNumber(analysis.stepWeight) ?? 0,
    stepWeights,
    maxWeight: readMaxWeight(analysis, stepWeights),
    stepWeightPromotion: asNumber(analysis.stepWeightPromotion) ?? 0,
    iterations,
    threshold: threshold > 0 ? threshold : 1,
    intervalMs: readIntervalMs(analysis, problems),
  };
}
