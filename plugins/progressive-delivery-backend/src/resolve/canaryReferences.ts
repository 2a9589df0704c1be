import {
  asArray,
  asRecord,
  asString,
  KubeObject,
  readPath,
} from '@progressive-delivery/plugin-progressive-delivery-common';

/** A namespaced name a canary refers to. */
export interface NamespacedName {
  namespace: string;
  name: string;
}

/** `spec.analysis`, or `spec.canaryAnalysis`: the v1alpha3 name Flagger still honours. */
function analysisOf(canary: KubeObject) {
  return (
    asRecord(readPath(canary.spec, 'analysis')) ??
    asRecord(readPath(canary.spec, 'canaryAnalysis'))
  );
}

/**
 * The `<field>.name` / `<field>.namespace` references of the analysis list `list`. Flagger
 * reads an omitted or empty namespace as the canary's (v1.44 pkg/controller/scheduler_metrics.go
 * for templates, pkg/controller/events.go for providers). Entries without a name are skipped,
 * duplicates dropped.
 */
function referencesIn(
  canary: KubeObject,
  list: 'metrics' | 'alerts',
  field: 'templateRef' | 'providerRef',
): NamespacedName[] {
  const canaryNamespace = canary.metadata?.namespace ?? '';
  const refs = new Map<string, NamespacedName>();
  for (const entry of asArray(analysisOf(canary)?.[list]) ?? []) {
    const name = asString(readPath(entry, field, 'name'));
    if (name) {
      const namespace =
        asString(readPath(entry, field, 'namespace')) || canaryNamespace;
      refs.set(`${namespace}/${name}`, { namespace, name });
    }
  }
  return [...refs.values()];
}

/** The MetricTemplates the canary's metric checks name (`analysis.metrics[].templateRef`). */
export function metricTemplateRefs(canary: KubeObject): NamespacedName[] {
  return referencesIn(canary, 'metrics', 'templateRef');
}

/** The AlertProviders the canary's alerts name (`analysis.alerts[].providerRef`). */
export function alertProviderRefs(canary: KubeObject): NamespacedName[] {
  return referencesIn(canary, 'alerts', 'providerRef');
}
