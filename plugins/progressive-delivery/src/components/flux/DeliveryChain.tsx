import { makeStyles, Paper, Typography } from '@material-ui/core';
import {
  CanaryState,
  ClusterDeliveryState,
  FluxResource,
  ObjectRef,
} from '@progressive-delivery/plugin-progressive-delivery-common';
import { ReactNode } from 'react';
import { fluxChainOf } from '../../lib/fluxChain';
import { StatusPending } from '@backstage/core-components';
import { FluxActions } from '../actions/FluxActions';
import { FluxObjectDetails } from './FluxObjectDetails';
import { ToneStatus } from '../common/status';
import { CanarySummaryText } from '../../lib/describeCanary';
import { matchingRequests, routerIsRead } from '../../lib/describeTraffic';
import { overline } from '../common/styles';

const useStyles = makeStyles(theme => ({
  chain: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'stretch',
    gap: theme.spacing(1),
    listStyle: 'none',
    margin: 0,
    padding: 0,
  },
  item: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    flex: `1 1 ${theme.spacing(28)}px`,
    minWidth: 0,
  },
  arrow: {
    color: theme.palette.text.secondary,
    fontSize: theme.typography.h6.fontSize,
  },
  node: {
    padding: theme.spacing(1.5),
    flex: 1,
    minWidth: 0,
    height: '100%',
    boxSizing: 'border-box',
  },
  kind: overline(theme),
  action: { marginTop: theme.spacing(1) },
  name: {
    fontWeight: theme.typography.fontWeightMedium as number,
    overflowWrap: 'anywhere',
  },
}));

function ChainNode(props: {
  kind: string;
  name: string;
  first?: boolean;
  children: ReactNode;
}) {
  const classes = useStyles();
  return (
    <li className={classes.item}>
      {!props.first && (
        <span className={classes.arrow} aria-hidden>
          →
        </span>
      )}
      <Paper variant="outlined" className={classes.node}>
        <div className={classes.kind}>{props.kind}</div>
        <div className={classes.name}>{props.name}</div>
        {props.children}
      </Paper>
    </li>
  );
}

/** A Flux object of the chain with its state and actions, or why it is missing. */
function FluxNode(props: {
  resource?: FluxResource;
  /** The kind shown when the object is missing. */
  kind: string;
  missing: string;
  entityRef: string;
  first?: boolean;
}) {
  const { resource, kind, missing, entityRef, first } = props;
  const classes = useStyles();
  return (
    <ChainNode
      first={first}
      kind={resource?.ref.kind ?? kind}
      name={resource ? `${resource.ref.namespace}/${resource.ref.name}` : '—'}
    >
      {resource ? (
        <>
          <FluxObjectDetails resource={resource} />
          <div className={classes.action}>
            <FluxActions resource={resource} entityRef={entityRef} />
          </div>
        </>
      ) : (
        <Typography variant="body2" color="textSecondary">
          {missing}
        </Typography>
      )}
    </ChainNode>
  );
}

/** The canary with its phase and target workload (Deployment or DaemonSet) and how ready it is. */
function CanaryNode(props: {
  cluster: ClusterDeliveryState;
  canary: CanaryState;
  summary: CanarySummaryText;
}) {
  const { cluster, canary, summary } = props;
  const target = canary.target;
  const workload = target
    ? cluster.workloads.find(
        w =>
          w.ref.kind === target.kind &&
          w.ref.name === target.name &&
          w.ref.namespace === canary.ref.namespace,
      )
    : undefined;
  return (
    <ChainNode
      kind="Canary"
      name={`${canary.ref.namespace}/${canary.ref.name}`}
    >
      <ToneStatus tone={summary.tone}>{canary.progress.phase}</ToneStatus>
      {target && (
        <Typography variant="body2">
          Target {target.kind} {target.name}
          {workload?.replicas !== undefined &&
            ` (${workload.readyReplicas ?? 0}/${workload.replicas} ready)`}
        </Typography>
      )}
    </ChainNode>
  );
}

/** The router object Flagger manages (VirtualService or HTTPRoute), its split and mTLS mode. */
function RoutingNode(props: { canary: CanaryState }) {
  const { routing, progress } = props.canary;
  const router = routing?.router;
  let missing = 'No VirtualService or HTTPRoute found';
  if (!routerIsRead(progress.provider)) {
    missing = `Provider ${progress.provider}: split read from the canary's status`;
  }
  return (
    <ChainNode
      kind="Routing"
      name={router ? `${router.kind} ${router.name}` : '—'}
    >
      {routing ? (
        <>
          <Typography variant="body2">
            {routing.canaryMatches?.length
              ? `A/B: ${matchingRequests(
                  routing.canaryMatches,
                )} → canary; all other → primary`
              : `primary ${routing.primaryWeight ?? '—'}% / canary ${
                  routing.canaryWeight ?? '—'
                }%${routing.mirrored ? ' + mirror' : ''}`}
          </Typography>
          <Typography variant="body2">
            mTLS {routing.mtlsMode} ({routing.mtlsSource})
          </Typography>
        </>
      ) : (
        <StatusPending>{missing}</StatusPending>
      )}
    </ChainNode>
  );
}

/** Why a chart or source of the chain is missing. */
function missingText(ref: ObjectRef | undefined, fallback: string): string {
  return ref ? `${ref.kind} ${ref.name} not found` : fallback;
}

/**
 * Source -> (HelmChart) -> Kustomization/HelmRelease -> Canary -> router, each with its state.
 */
export function DeliveryChain(props: {
  cluster: ClusterDeliveryState;
  canary: CanaryState;
  summary: CanarySummaryText;
  entityRef: string;
}) {
  const { cluster, canary, summary, entityRef } = props;
  const classes = useStyles();
  const chain = fluxChainOf(cluster, canary);
  return (
    <ol className={classes.chain} aria-label="Delivery chain">
      <FluxNode
        first
        resource={chain.source}
        kind="Source"
        missing={missingText(chain.sourceRef, 'No Flux source found')}
        entityRef={entityRef}
      />
      {chain.chartRef && (
        <FluxNode
          resource={chain.chart}
          kind="HelmChart"
          missing={missingText(chain.chartRef, 'No HelmChart found')}
          entityRef={entityRef}
        />
      )}
      <FluxNode
        resource={chain.owner}
        kind="Flux"
        missing="Not applied by Flux (no Flux owner labels on the canary or its target)"
        entityRef={entityRef}
      />
      <CanaryNode cluster={cluster} canary={canary} summary={summary} />
      <RoutingNode canary={canary} />
    </ol>
  );
}
