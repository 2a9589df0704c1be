import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
  StatusWarning,
} from '@backstage/core-components';
import {
  ClusterStatus,
  FluxReadiness,
} from '@progressive-delivery/plugin-progressive-delivery-common';
import { ReactNode } from 'react';
import { CanaryTone } from '../../lib/describeCanary';

const STATUS_ICONS = {
  ok: StatusOK,
  progress: StatusRunning,
  waiting: StatusPending,
  warning: StatusWarning,
  aborted: StatusAborted,
  error: StatusError,
};

type StatusIcon = keyof typeof STATUS_ICONS;

/** One of Backstage's status icons with its text. */
function IconStatus(props: { icon: StatusIcon; children: ReactNode }) {
  const Icon = STATUS_ICONS[props.icon];
  return <Icon>{props.children}</Icon>;
}

/** A status icon with its text, so colour is never the only signal. */
export function ToneStatus(props: { tone: CanaryTone; children: ReactNode }) {
  return <IconStatus icon={props.tone}>{props.children}</IconStatus>;
}

const FLUX_STATUS: Record<
  FluxReadiness['status'],
  { text: string; icon: StatusIcon }
> = {
  ready: { text: 'Ready', icon: 'ok' },
  progressing: { text: 'Reconciling', icon: 'progress' },
  failed: { text: 'Failed', icon: 'error' },
  stalled: { text: 'Stalled', icon: 'error' },
  suspended: { text: 'Suspended', icon: 'aborted' },
  unknown: { text: 'Unknown', icon: 'waiting' },
};

/** Flux's readiness of one object, as an icon and a word. */
export function FluxStatus(props: { readiness: FluxReadiness }) {
  const { text, icon } = FLUX_STATUS[props.readiness.status];
  return <IconStatus icon={icon}>{text}</IconStatus>;
}

const CLUSTER_STATE: Record<
  ClusterStatus['state'],
  { text: string; icon: StatusIcon }
> = {
  pending: { text: 'still listing objects', icon: 'waiting' },
  synced: { text: 'in sync', icon: 'ok' },
  degraded: { text: 'partly in sync', icon: 'warning' },
  error: { text: 'not reachable', icon: 'error' },
};

/** How far the backend's watchers of a cluster are, in words. */
export function clusterStateText(state: ClusterStatus['state']): string {
  return CLUSTER_STATE[state].text;
}

/** How far the backend's watchers of a cluster are, as an icon and words. */
export function ClusterState(props: { state: ClusterStatus['state'] }) {
  const { text, icon } = CLUSTER_STATE[props.state];
  return <IconStatus icon={icon}>{text}</IconStatus>;
}
