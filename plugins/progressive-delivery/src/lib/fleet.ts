import { CanarySummary } from '@progressive-delivery/plugin-progressive-delivery-common';
import { CanarySummaryText, describeCanary } from './describeCanary';

/** One row of the fleet table. */
export interface FleetRow {
  id: string;
  cluster: string;
  namespace: string;
  name: string;
  /** The catalog entity the canary belongs to, if any. */
  entityRef?: string;
  /** The owner of that entity (`group:default/team-a`), if known. */
  owner?: string;
  summary: CanarySummary;
  text: CanarySummaryText;
}

/** The fleet filters; an empty value means "any". */
export interface FleetFilters {
  cluster: string;
  namespace: string;
  phase: string;
  owner: string;
}

export const NO_FLEET_FILTERS: FleetFilters = {
  cluster: '',
  namespace: '',
  phase: '',
  owner: '',
};

/** Rows for the canaries, with the owners of their entities (`owners`: entityRef -> owner). */
export function buildFleetRows(
  canaries: CanarySummary[],
  owners: Map<string, string>,
): FleetRow[] {
  return canaries.map(summary => {
    const entityRef = summary.entityRefs[0];
    return {
      id: `${summary.ref.cluster}/${summary.ref.namespace}/${summary.ref.name}`,
      cluster: summary.ref.cluster,
      namespace: summary.ref.namespace,
      name: summary.ref.name,
      entityRef,
      owner: entityRef ? owners.get(entityRef) : undefined,
      summary,
      text: describeCanary(summary.progress),
    };
  });
}

export function filterFleetRows(
  rows: FleetRow[],
  filters: FleetFilters,
): FleetRow[] {
  return rows.filter(
    row =>
      (!filters.cluster || row.cluster === filters.cluster) &&
      (!filters.namespace || row.namespace === filters.namespace) &&
      (!filters.phase || row.summary.progress.phase === filters.phase) &&
      (!filters.owner || row.owner === filters.owner),
  );
}

/** The distinct values each filter can take, sorted. */
export function fleetFilterOptions(
  rows: FleetRow[],
): Record<keyof FleetFilters, string[]> {
  const distinct = (values: Array<string | undefined>) =>
    [...new Set(values.filter((v): v is string => Boolean(v)))].sort();
  return {
    cluster: distinct(rows.map(r => r.cluster)),
    namespace: distinct(rows.map(r => r.namespace)),
    phase: distinct(rows.map(r => r.summary.progress.phase)),
    owner: distinct(rows.map(r => r.owner)),
  };
}

const TONE_ORDER = ['error', 'warning', 'waiting', 'progress', 'ok'];

/** Sorts what needs attention first: failures, then warnings, gates, running rollouts. */
export function attentionOrder(a: FleetRow, b: FleetRow): number {
  return (
    TONE_ORDER.indexOf(a.text.tone) - TONE_ORDER.indexOf(b.text.tone) ||
    a.id.localeCompare(b.id)
  );
}
