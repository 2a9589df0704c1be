import {
  asString,
  CanaryLink,
  KubeObject,
  readCanaryTargetRef,
} from '@progressive-delivery/plugin-progressive-delivery-common';
import { LinkTemplates } from './AnalysisConfig';

/**
 * The placeholders a link template may use, each URL-encoded when filled in:
 * - `{{namespace}}`: the canary's namespace;
 * - `{{canary}}`: the Canary's name;
 * - `{{target}}`: the canary workload (`spec.targetRef.name`), what Flagger's Grafana
 *   dashboards call `var-canary`;
 * - `{{primary}}`: the primary workload, `<target>-primary`;
 * - `{{cluster}}`: the cluster's name in the configuration.
 */
export const LINK_PLACEHOLDERS = [
  'namespace',
  'canary',
  'target',
  'primary',
  'cluster',
] as const;

type Placeholder = (typeof LINK_PLACEHOLDERS)[number];

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

const TITLES: Record<CanaryLink['kind'], string> = {
  grafana: 'Grafana dashboard',
  kiali: 'Kiali graph',
};

/** Fills a template's placeholders with the URL-encoded values. */
function fill(template: string, values: Record<Placeholder, string>): string {
  return template.replace(PLACEHOLDER, (_, name: string) =>
    encodeURIComponent(values[name as Placeholder] ?? ''),
  );
}

/**
 * Why a link template is unusable (`undefined`: it is fine): a placeholder it may not use, or
 * not an http(s) URL once filled in.
 */
export function linkTemplateProblem(template: string): string | undefined {
  const unknown = [...template.matchAll(PLACEHOLDER)]
    .map(m => m[1])
    .filter(name => !(LINK_PLACEHOLDERS as readonly string[]).includes(name));
  if (unknown.length > 0) {
    return `uses unknown placeholders ${unknown
      .map(n => `{{${n}}}`)
      .join(', ')}; known: ${LINK_PLACEHOLDERS.map(n => `{{${n}}}`).join(
      ', ',
    )}`;
  }
  const sample = fill(template, {
    namespace: 'ns',
    canary: 'c',
    target: 't',
    primary: 't-primary',
    cluster: 'k',
  });
  try {
    const url = new URL(sample);
    if (url.protocol === 'http:' || url.protocol === 'https:') {
      return undefined;
    }
    return `is not an http(s) URL (scheme ${url.protocol})`;
  } catch {
    return 'is not a URL';
  }
}

/** The canary's dashboard links from its cluster's templates (none configured: none). */
export function canaryLinks(
  cluster: string,
  canary: KubeObject,
  templates: LinkTemplates | undefined,
): CanaryLink[] {
  if (!templates) {
    return [];
  }
  const target = readCanaryTargetRef(canary)?.name ?? '';
  const values: Record<Placeholder, string> = {
    namespace: asString(canary.metadata?.namespace) ?? '',
    canary: asString(canary.metadata?.name) ?? '',
    target,
    primary: target ? `${target}-primary` : '',
    cluster,
  };
  const links: CanaryLink[] = [];
  for (const kind of ['grafana', 'kiali'] as const) {
    const template = templates[kind];
    if (template) {
      links.push({ kind, title: TITLES[kind], url: fill(template, values) });
    }
  }
  return links;
}
