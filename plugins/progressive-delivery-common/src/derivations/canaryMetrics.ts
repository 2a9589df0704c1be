import { CanaryMetricCheck } from '../api';
import {
  asArray,
  asNumber,
  asRecord,
  asString,
  readPath,
  UnknownRecord,
} from './read';

/** Reads `analysis.metrics`: each check's template, accepted range and interval. */
export function readMetrics(
  analysis: UnknownRecord | undefined,
): CanaryMetricCheck[] {
  const metrics: CanaryMetricCheck[] = [];
  for (const raw of asArray(analysis?.metrics) ?? []) {
    const metric = asRecord(raw);
    const name = asString(metric?.name);
    if (!metric || !name) {
      continue;
    }
    const check: CanaryMetricCheck = { name };
    const templateName = asString(readPath(metric, 'templateRef', 'name'));
    if (templateName) {
      check.templateRef = {
        name: templateName,
        namespace: asString(readPath(metric, 'templateRef', 'namespace')),
      };
    }
    const range = asRecord(metric.thresholdRange);
    // `threshold` is the deprecated single bound: a minimum for success rate, else a maximum.
    const legacy = asNumber(metric.threshold);
    if (range) {
      check.thresholdRange = {
        min: asNumber(range.min),
        max: asNumber(range.max),
      };
    } else if (legacy !== undefined) {
      check.thresholdRange =
        name === 'request-success-rate' ? { min: legacy } : { max: legacy };
    }
    check.interval = asString(metric.interval);
    metrics.push(check);
  }
  return metrics;
}
