import { CanaryMetricCheck } from '../api';
import { KubeObject } from '../kubernetes';
import {
  asArray,
  asNumber,
  asRecord,
  asString,
  readPath,
  UnknownRecord,
} from './read';

/** The object of `objects` with this name in this namespace. */
export function findNamed(
  objects: KubeObject[],
  name: string,
  namespace: string,
): KubeObject | undefined {
  return objects.find(
    o => o.metadata?.name === name && o.metadata?.namespace === namespace,
  );
}

/** The MetricTemplate a check names, as found among `templates` (query unrendered). */
function resolveTemplate(
  templateRef: NonNullable<CanaryMetricCheck['templateRef']>,
  templates: KubeObject[],
  canaryNamespace: string,
): NonNullable<CanaryMetricCheck['template']> {
  const template = findNamed(
    templates,
    templateRef.name,
    templateRef.namespace ?? canaryNamespace,
  );
  if (!template) {
    return { found: false };
  }
  return {
    found: true,
    provider: asString(readPath(template.spec, 'provider', 'type')),
    address: asString(readPath(template.spec, 'provider', 'address')),
    query: asString(readPath(template.spec, 'query')),
  };
}

function readThreshold(
  name: string,
  metric: UnknownRecord,
): CanaryMetricCheck['thresholdRange'] {
  const range = asRecord(metric.thresholdRange);
  // `threshold` is the deprecated single bound: a minimum for success rate, else a maximum.
  const legacy = asNumber(metric.threshold);
  if (range) {
    return { min: asNumber(range.min), max: asNumber(range.max) };
  }
  if (legacy !== undefined) {
    return name === 'request-success-rate' ? { min: legacy } : { max: legacy };
  }
  return undefined;
}

/**
 * Reads `analysis.metrics`: each check's template, accepted range and interval. With
 * `templates` (the MetricTemplates of the cluster), each `templateRef` is resolved, its
 * namespace defaulting to the canary's as Flagger does.
 */
export function readMetrics(
  analysis: UnknownRecord | undefined,
  templates: KubeObject[] | undefined,
  canaryNamespace: string,
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
      if (templates) {
        check.template = resolveTemplate(
          check.templateRef,
          templates,
          canaryNamespace,
        );
      }
    }
    const thresholdRange = readThreshold(name, metric);
    if (thresholdRange) {
      check.thresholdRange = thresholdRange;
    }
    check.interval = asString(metric.interval);
    metrics.push(check);
  }
  return metrics;
}
