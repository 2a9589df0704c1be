import {
  Content,
  ContentHeader,
  Header,
  Page,
  Progress,
  ResponseErrorPanel,
  Table,
} from '@backstage/core-components';
import { useMemo, useState } from 'react';
import { useFleet } from '../../hooks/useFleet';
import {
  attentionOrder,
  FleetFilters,
  FleetRow,
  filterFleetRows,
  fleetFilterOptions,
  NO_FLEET_FILTERS,
} from '../../lib/fleet';
import { FleetFilterBar } from './FleetFilterBar';
import { useFleetColumns } from './useFleetColumns';

/** The fleet table with its filters; rendered inside the page. */
export function FleetView() {
  const { rows, error } = useFleet();
  const columns = useFleetColumns();
  const [filters, setFilters] = useState<FleetFilters>(NO_FLEET_FILTERS);
  const options = useMemo(() => fleetFilterOptions(rows ?? []), [rows]);
  const visible = useMemo(
    () => filterFleetRows(rows ?? [], filters).sort(attentionOrder),
    [rows, filters],
  );

  if (!rows) {
    return error ? <ResponseErrorPanel error={error} /> : <Progress />;
  }

  return (
    <>
      <FleetFilterBar
        filters={filters}
        options={options}
        onChange={setFilters}
      />
      {error && <ResponseErrorPanel error={error} />}
      <Table<FleetRow>
        title={`Canaries (${visible.length} of ${rows.length})`}
        options={{ paging: false, search: true, padding: 'dense' }}
        columns={columns}
        data={visible}
      />
    </>
  );
}

/**
 * The fleet page: every canary the user may see, across clusters, with filters and sorting.
 *
 * @public
 */
export function ProgressiveDeliveryPage() {
  return (
    <Page themeId="tool">
      <Header
        title="Progressive delivery"
        subtitle="Every canary across clusters: where each rollout is and what it waits for"
      />
      <Content>
        <ContentHeader title="Fleet" />
        <FleetView />
      </Content>
    </Page>
  );
}
