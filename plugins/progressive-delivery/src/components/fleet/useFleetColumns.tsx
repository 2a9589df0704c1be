import { Link, TableColumn } from '@backstage/core-components';
import {
  EntityRefLink,
  useEntityRefLink,
} from '@backstage/plugin-catalog-react';
import { makeStyles, Typography } from '@material-ui/core';
import { FleetRow } from '../../lib/fleet';
import { TrafficSplitBar } from '../canary/TrafficSplitBar';
import { describeTraffic, TrafficMode } from '../../lib/describeTraffic';
import { ToneStatus } from '../common/status';

const useStyles = makeStyles(theme => ({
  progress: { minWidth: theme.spacing(30) },
  nowrap: { whiteSpace: 'nowrap' },
}));

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

/** The canary's name, linked to its entity's Delivery tab, and the entity when not obvious. */
function CanaryCell(props: { row: FleetRow }) {
  const { row } = props;
  return (
    <>
      <CanaryLink row={row} />
      {row.entityRef && row.entityRef !== `component:default/${row.name}` && (
        <Typography variant="caption" display="block">
          {row.entityRef}
        </Typography>
      )}
    </>
  );
}

/** The short traffic text for modes whose weight alone would mislead. */
const FLEET_TRAFFIC: Partial<Record<TrafficMode, string>> = {
  abTesting: 'A/B: matching requests',
  mirroring: 'mirrored',
  none: 'no split',
};

/** The traffic split, the step, and the headline of the rollout. */
function ProgressCell(props: { row: FleetRow }) {
  const { row } = props;
  const classes = useStyles();
  const traffic = describeTraffic(row.summary.progress);
  return (
    <div className={classes.progress}>
      <TrafficSplitBar
        compact
        primaryWeight={traffic.primaryWeight}
        canaryWeight={traffic.canaryWeight}
        label={traffic.label}
      />
      <Typography variant="caption">
        {FLEET_TRAFFIC[traffic.mode] ?? `${traffic.canaryWeight}% canary`} ·{' '}
        {stepText(row)}
      </Typography>
      <Typography variant="body2">{row.text.headline}</Typography>
    </div>
  );
}

/** The fleet table's columns: canary, where, owner, phase, progress, failed checks. */
export function useFleetColumns(): TableColumn<FleetRow>[] {
  const classes = useStyles();
  return [
    {
      title: 'Canary',
      field: 'name',
      highlight: true,
      render: row => <CanaryCell row={row} />,
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
      render: row => <ProgressCell row={row} />,
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
}
