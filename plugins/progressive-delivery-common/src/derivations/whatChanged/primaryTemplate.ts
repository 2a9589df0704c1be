// Undoes what Flagger writes into the primary's pod template that is not part of the promoted
// revision, so that comparing it with the target shows only what the user changed. From
// fluxcd/flagger @ v1.44.0 (15bd6ad555e6c935da55f0ab95977be74c149bd6):
// - pkg/canary/util.go makePrimaryLabels: the selector label's value gets `-primary`
//   (`app: podinfo` -> `app: podinfo-primary`); labels with `toolkit.fluxcd.io` are dropped;
// - util.go makeAnnotations: a random `flagger-id` annotation is added on every promotion and
//   `toolkit.fluxcd.io` annotations are dropped;
// - pkg/canary/config_tracker.go ApplyPrimaryConfigs: every tracked ConfigMap / Secret reference
//   is renamed to its `<name>-primary` copy (not when tracking is disabled for it);
// - pkg/canary/deployment_controller.go getPrimaryDeploymentTemplateSpec /
//   appendPrimarySuffixToValuesIfNeeded (Deployments only, not DaemonSets): pod anti-affinity
//   and topology spread label selectors on a selector label whose value is the Deployment's name
//   get `-primary`.
import { UnknownRecord, asArray, asRecord, asString } from '../read';
import { configKey, configRefSites, referencedConfigKeys } from './configRefs';
import { copyJson } from './values';

/** Flagger's default `-selector-labels` (cmd/flagger/main.go L116). */
export const FLAGGER_SELECTOR_LABELS = [
  'app',
  'name',
  'app.kubernetes.io/name',
];

const PRIMARY_SUFFIX = '-primary';

/** What the normalisation needs to know about the target. */
export interface PrimaryNormalisation {
  /** The target's kind: the affinity rewrite is Flagger's Deployment controller's only. */
  kind: string;
  targetName: string;
  targetTemplate: UnknownRecord;
  selectorLabels: string[];
  /** `configmap/<name>` / `secret/<name>` keys tracked now or by the promoted rollout. */
  trackedKeys: Set<string>;
}

function unsuffix(value: unknown, base: string): unknown {
  return value === `${base}${PRIMARY_SUFFIX}` ? base : value;
}

function normaliseLabels(template: UnknownRecord, n: PrimaryNormalisation) {
  const labels = asRecord(asRecord(template.metadata)?.labels);
  const targetLabels = asRecord(asRecord(n.targetTemplate.metadata)?.labels);
  for (const key of n.selectorLabels) {
    const targetValue = asString(targetLabels?.[key]);
    if (labels && targetValue !== undefined && key in labels) {
      labels[key] = unsuffix(labels[key], targetValue);
    }
  }
}

/**
 * A `<name>-primary` reference is Flagger's copy of `<name>` when the target references
 * `<name>` of the same type or `<name>` is tracked; a name that merely ends in `-primary` is
 * left alone.
 */
function normaliseConfigRefs(spec: unknown, n: PrimaryNormalisation) {
  const targetKeys = referencedConfigKeys(asRecord(n.targetTemplate.spec));
  for (const site of configRefSites(spec)) {
    const name = asString(site.holder[site.key]) ?? '';
    if (!name.endsWith(PRIMARY_SUFFIX)) {
      continue;
    }
    const base = name.slice(0, -PRIMARY_SUFFIX.length);
    const key = configKey(site.type, base);
    if (targetKeys.has(key) || n.trackedKeys.has(key)) {
      site.holder[site.key] = base;
    }
  }
}

function normaliseSelector(selector: unknown, n: PrimaryNormalisation) {
  const record = asRecord(selector);
  for (const expression of asArray(record?.matchExpressions) ?? []) {
    const e = asRecord(expression);
    const values = asArray(e?.values);
    if (values && n.selectorLabels.includes(asString(e?.key) ?? '')) {
      values.forEach((v, i) => {
        values[i] = unsuffix(v, n.targetName);
      });
    }
  }
  const matchLabels = asRecord(record?.matchLabels);
  for (const key of n.selectorLabels) {
    if (matchLabels && key in matchLabels) {
      matchLabels[key] = unsuffix(matchLabels[key], n.targetName);
    }
  }
}

function normaliseAffinity(spec: UnknownRecord, n: PrimaryNormalisation) {
  const anti = asRecord(asRecord(spec.affinity)?.podAntiAffinity);
  const preferred = asArray(
    anti?.preferredDuringSchedulingIgnoredDuringExecution,
  );
  for (const term of preferred ?? []) {
    normaliseSelector(
      asRecord(asRecord(term)?.podAffinityTerm)?.labelSelector,
      n,
    );
  }
  const required = asArray(
    anti?.requiredDuringSchedulingIgnoredDuringExecution,
  );
  for (const term of required ?? []) {
    normaliseSelector(asRecord(term)?.labelSelector, n);
  }
  for (const constraint of asArray(spec.topologySpreadConstraints) ?? []) {
    normaliseSelector(asRecord(constraint)?.labelSelector, n);
  }
}

/**
 * A copy of the primary's pod template (`spec.template`) with Flagger's rewrites undone (see
 * the top of this file); the `flagger-id` and Flux annotations are left to the comparison.
 */
export function normalisePrimaryTemplate(
  primaryTemplate: UnknownRecord,
  n: PrimaryNormalisation,
): UnknownRecord {
  const template = copyJson(primaryTemplate);
  normaliseLabels(template, n);
  const spec = asRecord(template.spec);
  if (spec) {
    normaliseConfigRefs(spec, n);
    if (n.kind === 'Deployment') {
      normaliseAffinity(spec, n);
    }
  }
  return template;
}
