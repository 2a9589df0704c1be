import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
  StatusWarning,
} from '@backstage/core-components';
import { FluxReadiness } from '@internal/plugin-progressive-delivery-common';
import { ReactNode } from 'react';
import { CanaryTone } from '../../lib/describeCanary';

/** A status icon with its text, so colour is never the only signal. */
export function ToneStatus(props: { tone: CanaryTone; children: ReactNode }) {
  const { tone, children } = props;
  switch (tone) {
    case 'ok':
      return <StatusOK>{children}</StatusOK>;
    case 'progress':
      return <StatusRunning>{children}</StatusRunning>;
    case 'waiting':
      return <StatusPending>{children}</StatusPending>;
    case 'warning':
      return <StatusWarning>{children}</StatusWarning>;
    default:
      return <StatusError>{children}</StatusError>;
  }
}

const FLUX_STATUS_TEXT: Record<FluxReadiness['status'], string> = {
  ready: 'Ready',
  progressing: 'Reconciling',
  failed: 'Failed',
  stalled: 'Stalled',
  suspended: 'Suspended',
  unknown: 'Unknown',
};

/** Flux's readiness of one object, as an icon and a word. */
export function FluxStatus(props: { readiness: FluxReadiness }) {
  const { status } = props.readiness;
  const text = FLUX_STATUS_TEXT[status];
  switch (status) {
    case 'ready':
      return <StatusOK>{text}</StatusOK>;
    case 'progressing':
      return <StatusRunning>{text}</StatusRunning>;
    case 'suspended':
      return <StatusAborted>{text}</StatusAborted>;
    case 'unknown':
      return <StatusPending>{text}</StatusPending>;
    default:
      return <StatusError>{text}</StatusError>;
  }
}
