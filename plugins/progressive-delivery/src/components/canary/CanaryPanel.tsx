import { InfoCard } from '@backstage/core-components';
import { Grid, makeStyles } from '@material-ui/core';
import {
  CanaryState,
  ClusterDeliveryState,
} from '@progressive-delivery/plugin-progressive-delivery-common';
import { describeCanary, revisionLabel } from '../../lib/describeCanary';
import { failureFromEvidence } from '../../lib/describeFailure';
import { CanaryActions } from '../actions/CanaryActions';
import { AnalysisCharts } from '../analysis/AnalysisCharts';
import { CanaryLinks } from '../analysis/CanaryLinks';
import { FailedCheck } from '../analysis/FailedCheck';
import { RolloutChangesView } from '../changes/RolloutChangesView';
import { Section } from '../common/Section';
import { problemText } from '../common/styles';
import { DeliveryChain } from '../flux/DeliveryChain';
import { IstioRoutingDetails } from '../istio/IstioRoutingDetails';
import { AnalysisChecks } from './AnalysisChecks';
import { CanaryFacts } from './CanaryFacts';
import { CanaryHeadline } from './CanaryHeadline';
import { EventTimeline } from './EventTimeline';
import { Gates } from './Gates';
import { StepTrack } from './StepTrack';
import { TrafficSplit } from './TrafficSplit';
import { CanaryAlerts } from './CanaryAlerts';

const useStyles = makeStyles(theme => ({
  progress: { marginTop: theme.spacing(2) },
  problems: problemText(theme),
}));

/** Where the rollout is: the traffic split beside the step track. */
function RolloutProgress(props: { canary: CanaryState }) {
  const { progress, routing } = props.canary;
  const classes = useStyles();
  return (
    <Grid container spacing={3} className={classes.progress}>
      <Grid item xs={12} md={5}>
        <Section title="Traffic split">
          <TrafficSplit progress={progress} routing={routing} />
        </Section>
      </Grid>
      <Grid item xs={12} md={7}>
        <Section
          title={progress.strategy === 'canary' ? 'Steps' : 'Iterations'}
        >
          <StepTrack steps={progress.steps} />
        </Section>
      </Grid>
    </Grid>
  );
}

/** What decides the rollout: the checks and gates, beside Flagger's events. */
function AnalysisAndEvents(props: { canary: CanaryState }) {
  const { progress, events } = props.canary;
  return (
    <Grid container spacing={3}>
      <Grid item xs={12} lg={7}>
        <Section title="Analysis checks">
          <AnalysisChecks
            metrics={progress.metrics}
            analysis={props.canary.analysis}
          />
        </Section>
        <Section title="Gates">
          <Gates gates={progress.gates} webhooks={progress.webhooks} />
        </Section>
        {progress.alerts.length > 0 && (
          <Section title="Alerts">
            <CanaryAlerts alerts={progress.alerts} />
          </Section>
        )}
      </Grid>
      <Grid item xs={12} lg={5}>
        <Section title="Events">
          <EventTimeline events={events} />
        </Section>
      </Grid>
    </Grid>
  );
}

/** The measured values of the checks over the current rollout, one chart per check. */
function MeasuredChecks(props: { canary: CanaryState }) {
  const { analysis, ref } = props.canary;
  if (!analysis) {
    return null;
  }
  const name = `${ref.namespace}/${ref.name}`;
  return (
    <Section title="Canary vs primary">
      <AnalysisCharts
        checks={analysis.checks}
        label={`Checks of ${name} over the rollout`}
        emptyText={
          analysis.evaluating
            ? 'No evaluation yet: the first comes with the next analysis run.'
            : 'No measurements for the current rollout.'
        }
      />
    </Section>
  );
}

/** Everything about one canary: headline first, then progress, chain, checks, gates, events. */
export function CanaryPanel(props: {
  cluster: ClusterDeliveryState;
  canary: CanaryState;
  /** The entity the panel is shown for: actions are authorised on it. */
  entityRef: string;
}) {
  const { cluster, canary, entityRef } = props;
  const { progress } = canary;
  const classes = useStyles();
  const revision = revisionLabel(canary, cluster.workloads);
  const summary = describeCanary(progress, revision, canary.routing);
  const name = `${canary.ref.namespace}/${canary.ref.name}`;
  const failure = failureFromEvidence(progress, canary.analysis);
  // The test id spans the card with its header, where the actions are.
  return (
    <div data-testid={`canary-${cluster.cluster}-${name}`}>
      <InfoCard
        title={`Canary ${name}`}
        action={
          <CanaryActions
            canary={canary}
            entityRef={entityRef}
            revision={revision}
          />
        }
      >
        <div>
          <CanaryHeadline progress={progress} summary={summary} />
          {failure && <FailedCheck failure={failure} variant="body1" />}
          <CanaryLinks links={canary.links} canary={name} />
          <RolloutProgress canary={canary} />
          <Section title="Rollout">
            <CanaryFacts progress={progress} revision={revision} />
          </Section>
          {canary.changes && (
            <Section title="What changed">
              <RolloutChangesView
                changes={canary.changes}
                label={`What the revision under analysis of ${name} changes`}
              />
            </Section>
          )}
          <Section title="Delivery chain">
            <DeliveryChain
              cluster={cluster}
              canary={canary}
              summary={summary}
              entityRef={entityRef}
            />
          </Section>
          <AnalysisAndEvents canary={canary} />
          <MeasuredChecks canary={canary} />
          <Section title="Routing and mesh security">
            <IstioRoutingDetails
              routing={canary.routing}
              provider={progress.provider}
            />
          </Section>
          {progress.problems.map(problem => (
            <p key={problem.field} className={classes.problems}>
              {problem.field}: {problem.message}
            </p>
          ))}
        </div>
      </InfoCard>
    </div>
  );
}
