import { makeStyles, Paper, Typography } from '@material-ui/core';
import {
  CanaryState,
  ClusterDeliveryState,
  FluxResource,
} from '@internal/plugin-progressive-delivery-common';
import { ReactNode } from 'react';
import { fluxChainOf } from '../../lib/fluxChain';
import { StatusPending } from '@backstage/core-components';
import { FluxActions } from '../actions/FluxActions';
import { FluxObjectDetails } from './FluxObjectDetails';
import { ToneStatus } from '../common/status';
import { CanarySummaryText } from '../../lib/describeCanary';
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

/** Source -> Kustomization/HelmRelease -> Canary -> Istio routing, each with its state. */
export function DeliveryChain(props: {
  cluster: ClusterDeliveryState;
  canary: CanaryState;
  summary: CanarySummaryText;
  entityRef: string;
}) {
  const { cluster, canary, summary, entityRef } = props;
  const classes = useStyles();
  const { owner, source } = fluxChainOf(cluster, canary);
  const routing = canary.routing;
  return (
    <ol className={classes.chain} aria-label="Delivery chain">
      <FluxNode
        first
        resource={source}
        kind="Source"
        missing={
          owner?.sourceRef
            ? `${owner.sourceRef.kind} ${owner.sourceRef.name} not found`
            : 'No Flux source found'
        }
        entityRef={entityRef}
      />
      <FluxNode
        resource={owner}
        kind="Flux"
        missing="Not applied by Flux (no Flux owner labels on the canary or its target)"
        entityRef={entityRef}
      />
      <ChainNode
        kind="Canary"
        name={`${canary.ref.namespace}/${canary.ref.name}`}
      >
        <ToneStatus tone={summary.tone}>{canary.progress.phase}</ToneStatus>
        {canary.target && (
          <Typography variant="body2">
            Target {canary.target.kind} {canary.target.name}
          </Typography>
        )}
      </ChainNode>
      <ChainNode
        kind="Istio routing"
        name={
          routing?.virtualService
            ? `VirtualService ${routing.virtualService.name}`
            : '—'
        }
      >
        {routing ? (
          <>
            <Typography variant="body2">
              primary {routing.primaryWeight ?? '—'}% / canary{' '}
              {routing.canaryWeight ?? '—'}%{routing.mirrored && ' + mirror'}
            </Typography>
            <Typography variant="body2">
              mTLS {routing.mtlsMode} ({routing.mtlsSource})
            </Typography>
          </>
        ) : (
          <StatusPending>No Istio routing found</StatusPending>
        )}
      </ChainNode>
    </ol>
  );
}
