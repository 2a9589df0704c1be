import {
  Content,
  ContentHeader,
  Header,
  Page,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import {
  EntityRefLink,
  useEntityRefLink,
} from '@backstage/plugin-catalog-react';
import { Link } from '@backstage/core-components';
import {
  Grid,
  makeStyles,
  MenuItem,
  TextField,
  Typography,
} from '@material-ui/core';
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
import { ToneStatus } from '../common/status';
import { TrafficSplitBar } from '../canary/TrafficSplitBar';

const useStyles = makeStyles(theme => ({
  filters: { marginBottom: theme.spacing(2) },
  progress: { minWidth: theme.spacing(30) },
  nowrap: { whiteSpace: 'nowrap' },
}));

const FILTER_LABELS: Record<keyof FleetFilters, string> = {
  cluster: 'Cluster',
  namespace: 'Namespace / tenant',
  phase: 'Phase',
  owner: 'Owner',
};

function stepText(row: FleetRow): string {
  const { progress } = row.summary;
  if (progress.currentStepIndex === -1) {
    return progress.phase === 'Succeeded' ? 'promoted' : 'no rollout';
  }
  return `step ${progress.currentStepIndex + 1} of ${progress.steps.length}: ${
    progress.steps[progress.currentStepIndex].label
  }`;
}

function CanaryLink(props: { row: FleetRow }) {
  const entityLink = useEntityRefLink();
  const { row } = props;
  if (!row.entityRef) {
    return <>{row.name}</>;
  }
  return <Link to={`${entityLink(row.entityRef)}/delivery`}>{row.name}</Link>;
}

/** The fleet table with its filters; rendered inside the page. */
export function FleetView() {
  const classes = useStyles();
  const { rows, error } = useFleet();
  const [filters, setFilters] = useState<FleetFilters>(NO_FLEET_FILTERS);
  const options = useMemo(() => fleetFilterOptions(rows ?? []), [rows]);
  const visible = useMemo(
    () => filterFleetRows(rows ?? [], filters).sort(attentionOrder),
    [rows, filters],
  );

  if (!rows) {
    return error ? <ResponseErrorPanel error={error} /> : <Progress />;
  }

  const columns: TableColumn<FleetRow>[] = [
    {
      title: 'Canary',
      field: 'name',
      highlight: true,
      render: row => (
        <>
          <CanaryLink row={row} />
          {row.entityRef &&
            row.entityRef !== `component:default/${row.name}` && (
              <Typography variant="caption" display="block">
                {row.entityRef}
              </Typography>
            )}
        </>
      ),
    },
    {
      title: 'Where',
      field: 'id',
      render: row => (
        <span>
          {row.cluster}
          <Typography variant="caption" display="block" color="textSecondary">
            {row.namespace}
          </Typography>
        </span>
      ),
    },
    {
      title: 'Owner',
      field: 'owner',
      render: row =>
        row.owner ? (
          <EntityRefLink entityRef={row.owner} defaultKind="group" />
        ) : (
          '—'
        ),
    },
    {
      title: 'Phase',
      field: 'summary.progress.phase',
      render: row => (
        <span className={classes.nowrap}>
          <ToneStatus tone={row.text.tone}>
            {row.summary.progress.phase}
          </ToneStatus>
        </span>
      ),
    },
    {
      title: 'Progress and status',
      field: 'summary.progress.canaryWeight',
      width: '40%',
      render: row => (
        <div className={classes.progress}>
          <TrafficSplitBar
            compact
            primaryWeight={row.summary.progress.primaryWeight}
            canaryWeight={row.summary.progress.canaryWeight}
          />
          <Typography variant="caption">
            {row.summary.progress.canaryWeight}% canary · {stepText(row)}
          </Typography>
          <Typography variant="body2">{row.text.headline}</Typography>
        </div>
      ),
    },
    {
      title: 'Failed',
      field: 'summary.progress.failedChecks',
      render: row => (
        <span
          aria-label={`${row.summary.progress.failedChecks} failed checks of ${row.summary.progress.threshold} allowed`}
        >
          {row.summary.progress.failedChecks} / {row.summary.progress.threshold}
        </span>
      ),
    },
  ];

  return (
    <>
      <Grid container spacing={2} className={classes.filters}>
        {(Object.keys(FILTER_LABELS) as Array<keyof FleetFilters>).map(key => (
          <Grid item xs={12} sm={6} md={3} key={key}>
            <TextField
              select
              fullWidth
              variant="outlined"
              size="small"
              label={FILTER_LABELS[key]}
              value={filters[key]}
              onChange={event =>
                setFilters({ ...filters, [key]: event.target.value as string })
              }
              SelectProps={{
                SelectDisplayProps: {
                  'aria-label': `Filter by ${FILTER_LABELS[
                    key
                  ].toLocaleLowerCase('en-US')}`,
                } as object,
              }}
            >
              <MenuItem value="">Any</MenuItem>
              {options[key].map(option => (
                <MenuItem key={option} value={option}>
                  {option}
                </MenuItem>
              ))}
            </TextField>
          </Grid>
        ))}
      </Grid>
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
