import { fleetCanaries } from '../__fixtures__/deliveryStates';
import {
  attentionOrder,
  buildFleetRows,
  filterFleetRows,
  fleetFilterOptions,
  NO_FLEET_FILTERS,
} from './fleet';

const owners = new Map([
  ['component:default/podinfo', 'group:default/team-a'],
  ['component:default/frontend', 'group:default/team-a'],
  ['component:default/checkout', 'group:default/team-b'],
  ['component:default/payments', 'group:default/team-b'],
]);

describe('fleet rows', () => {
  const rows = buildFleetRows(fleetCanaries(), owners);

  it('carries the owner of each canary’s entity', () => {
    expect(rows.map(r => [r.id, r.owner])).toEqual([
      ['prod-eu-1/tenant-a/podinfo', 'group:default/team-a'],
      ['prod-eu-1/tenant-a/frontend', 'group:default/team-a'],
      ['dev-eu-1/tenant-b/checkout', 'group:default/team-b'],
      ['dev-eu-1/tenant-b/payments', 'group:default/team-b'],
    ]);
  });

  it('filters by cluster, namespace, phase and owner together', () => {
    expect(
      filterFleetRows(rows, { ...NO_FLEET_FILTERS, cluster: 'dev-eu-1' }).map(
        r => r.name,
      ),
    ).toEqual(['checkout', 'payments']);
    expect(
      filterFleetRows(rows, {
        ...NO_FLEET_FILTERS,
        owner: 'group:default/team-b',
        phase: 'Failed',
      }).map(r => r.name),
    ).toEqual(['payments']);
    expect(filterFleetRows(rows, NO_FLEET_FILTERS)).toHaveLength(4);
  });

  it('offers the distinct values present as filter options', () => {
    expect(fleetFilterOptions(rows)).toEqual({
      cluster: ['dev-eu-1', 'prod-eu-1'],
      namespace: ['tenant-a', 'tenant-b'],
      phase: ['Failed', 'Progressing'],
      owner: ['group:default/team-a', 'group:default/team-b'],
    });
  });

  it('puts what needs attention first', () => {
    expect([...rows].sort(attentionOrder).map(r => r.name)).toEqual([
      'payments',
      'checkout',
      'frontend',
      'podinfo',
    ]);
  });
});
