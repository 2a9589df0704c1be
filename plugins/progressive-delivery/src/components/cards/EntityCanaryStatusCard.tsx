import { InfoCard } from '@backstage/core-components';
import { useEntity, useEntityRefLink } from '@backstage/plugin-catalog-react';
import { makeStyles, Typography } from '@material-ui/core';
import { EntityDeliveryState } from '@progressive-delivery/plugin-progressive-delivery-common';
import { EntityDeliveryStateGuard } from '../entity/EntityDeliveryStateGuard';
import { describeCanary, revisionLabel } from '../../lib/describeCanary';
import { CanaryHeadline } from '../canary/CanaryHeadline';
import { StepTrack } from '../canary/StepTrack';
import { TrafficSplitBar } from '../canary/TrafficSplitBar';
import { describeTraffic } from '../../lib/describeTraffic';
import { failureFromEvidence } from '../../lib/describeFailure';
import { FailedCheck } from '../analysis/FailedCheck';

const useStyles = makeStyles(theme => ({
  canary: {
    display: 'grid',
    gap: theme.spacing(1.5),
    '&:not(:first-child)': {
      marginTop: theme.spacing(2),
      paddingTop: theme.spacing(2),
      borderTop: `1px solid ${theme.palette.divider}`,
    },
  },
}));

function CanaryStatusBody(props: { state: EntityDeliveryState }) {
  const { state } = props;
  const classes = useStyles();
  const rows = state.clusters.flatMap(cluster =>
    cluster.canaries.map(canary => ({ cluster, canary })),
  );
  const errors = state.clusters.filter(c => c.errors.length > 0);
  return (
    <>
      {rows.length === 0 && (
        <Typography variant="body2">
          {state.explanation?.message ??
            'No Flagger canary found for this entity.'}
        </Typography>
      )}
      {rows.map(({ cluster, canary }) => {
        const traffic = describeTraffic(canary.progress, canary.routing);
        const failure = failureFromEvidence(canary.progress, canary.analysis);
        return (
          <div
            key={`${cluster.cluster}/${canary.ref.namespace}/${canary.ref.name}`}
            className={classes.canary}
          >
            <Typography variant="caption" color="textSecondary">
              {cluster.cluster} · {canary.ref.namespace}/{canary.ref.name}
            </Typography>
            <CanaryHeadline
              variant="compact"
              progress={canary.progress}
              summary={describeCanary(
                canary.progress,
                revisionLabel(canary, cluster.workloads),
                canary.routing,
              )}
            />
            {failure && <FailedCheck failure={failure} />}
            {traffic.mode !== 'none' && (
              <TrafficSplitBar
                compact
                primaryWeight={traffic.primaryWeight}
                canaryWeight={traffic.canaryWeight}
                label={traffic.label}
              />
            )}
            <StepTrack steps={canary.progress.steps} />
          </div>
        );
      })}
      {errors.map(cluster => (
        <Typography key={cluster.cluster} variant="body2" color="error">
          {cluster.cluster}: {cluster.errors.map(e => e.message).join('; ')}
        </Typography>
      ))}
    </>
  );
}

/**
 * A compact canary status card for the entity overview: headline, split and steps per canary.
 *
 * @public
 */
export function EntityCanaryStatusCard() {
  const { entity } = useEntity();
  const entityLink = useEntityRefLink();
  return (
    <InfoCard
      title="Canary"
      deepLink={{
        title: 'Delivery details',
        link: `${entityLink(entity)}/delivery`,
      }}
    >
      <EntityDeliveryStateGuard>
        {({ state }) => <CanaryStatusBody state={state} />}
      </EntityDeliveryStateGuard>
    </InfoCard>
  );
}
