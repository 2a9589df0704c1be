import { parseEntityRef } from '@backstage/catalog-model';
import {
  describeFailedCheck,
  formatNumber,
  RolloutFailure,
} from '@progressive-delivery/plugin-progressive-delivery-common';
import { NotificationPayload } from '@backstage/plugin-notifications-common';
import { RolloutTransition, TransitionKind } from './transitions';

/**
 * One topic per kind of message, so that users can mute each in Backstage's notification
 * settings (origin `plugin:progressive-delivery`).
 */
export const NOTIFICATION_TOPICS: Readonly<Record<TransitionKind, string>> = {
  'gate-waiting': 'progressive-delivery:gate-waiting',
  failed: 'progressive-delivery:rollout-failed',
  succeeded: 'progressive-delivery:rollout-succeeded',
};

const SEVERITY: Readonly<
  Record<TransitionKind, NonNullable<NotificationPayload['severity']>>
> = {
  'gate-waiting': 'normal',
  failed: 'high',
  succeeded: 'low',
};

/**
 * The notification scope of a rollout: the notifications backend updates a user's notification
 * of the same scope (and origin) instead of adding one, so the rollout's gate, then its end,
 * read as one entry that moves on.
 */
export function rolloutScope(t: RolloutTransition): string {
  return `progressive-delivery:rollout:${t.cluster}/${t.namespace}/${t.canary}@${t.revision}`;
}

/**
 * The entity's Delivery tab, focused on the canary:
 * `<app.baseUrl>/catalog/<namespace>/<kind>/<name>/delivery?cluster=<c>&canary=<ns>/<name>`,
 * with `&action=approve` when the owner is asked to approve (the frontend focuses the approve
 * button). Relative to the app when no base URL is configured.
 */
export function deliveryLink(
  appBaseUrl: string,
  entityRef: string,
  t: Pick<RolloutTransition, 'cluster' | 'namespace' | 'canary'>,
  action?: 'approve',
): string {
  const entity = parseEntityRef(entityRef);
  const path = [
    'catalog',
    entity.namespace,
    entity.kind.toLocaleLowerCase('en-US'),
    entity.name,
    'delivery',
  ]
    .map(encodeURIComponent)
    .join('/');
  const query = [
    `cluster=${encodeURIComponent(t.cluster)}`,
    `canary=${encodeURIComponent(t.namespace)}/${encodeURIComponent(t.canary)}`,
    ...(action ? [`action=${action}`] : []),
  ].join('&');
  return `${appBaseUrl}/${path}?${query}`;
}

/**
 * The check that failed, measured, as the Delivery tab writes it: "request-success-rate
 * 84.7 % < 95 %", "request-duration 2181 ms > 500 ms", "error-rate: no values found for ...".
 */
export { describeFailedCheck };

/** What the notification says about the failure: the check measured, else Flagger's reason. */
function failureText(t: RolloutTransition, failure?: RolloutFailure): string {
  if (failure) {
    const weight =
      failure.canaryWeight === undefined
        ? ''
        : ` at ${formatNumber(failure.canaryWeight)} % of traffic`;
    return `${describeFailedCheck(failure)}${weight}`;
  }
  return t.failureReason ?? "Flagger's events give no reason";
}

type Text = Pick<NotificationPayload, 'title' | 'description'>;

function gateText(t: RolloutTransition): Text {
  const what = `canary ${t.namespace}/${t.canary} in ${t.cluster}`;
  const gate = `the gate ${t.gate?.name} (${t.gate?.type})`;
  switch (t.gate?.type) {
    case 'confirm-rollout':
      return {
        title: `${t.canary} waits for approval to start its rollout (${t.cluster})`,
        description: `Flagger detected revision ${t.revision} of ${what} and waits at ${gate} before analysing it. Approve it on the Delivery tab.`,
      };
    case 'confirm-traffic-increase':
      return {
        title: `${t.canary} waits for approval to increase traffic (${t.cluster})`,
        description: `Revision ${t.revision} of ${what} serves ${t.canaryWeight} % of traffic and waits at ${gate} before its next step. Approve it on the Delivery tab.`,
      };
    default:
      return {
        title: `${t.canary} waits for promotion approval (${t.cluster})`,
        description: `Revision ${t.revision} of ${what} passed its analysis and waits at ${gate} to be promoted. Approve it on the Delivery tab.`,
      };
  }
}

function endText(t: RolloutTransition, failure?: RolloutFailure): Text {
  const what = `revision ${t.revision} of canary ${t.namespace}/${t.canary} in ${t.cluster}`;
  if (t.kind === 'succeeded') {
    return {
      title: `${t.canary} promoted (${t.cluster})`,
      description: `The ${what} passed its analysis and was promoted.`,
    };
  }
  // A failed promotion leaves traffic on the canary (Flagger's handleFailedPromotion).
  if (t.promotionFailed) {
    return {
      title: `${t.canary} promotion failed (${t.cluster})`,
      description: `The promotion of ${what} failed: ${failureText(
        t,
        failure,
      )}. The canary keeps serving its traffic (not rolled back).`,
    };
  }
  return {
    title: `${t.canary} rolled back (${t.cluster})`,
    description: `The ${what} failed and was rolled back: ${failureText(
      t,
      failure,
    )}.`,
  };
}

/** The notification of a transition for the owners of `entityRef`. */
export function notificationPayload(
  t: RolloutTransition,
  options: { entityRef: string; appBaseUrl: string; failure?: RolloutFailure },
): NotificationPayload {
  const text =
    t.kind === 'gate-waiting' ? gateText(t) : endText(t, options.failure);
  return {
    ...text,
    link: deliveryLink(
      options.appBaseUrl,
      options.entityRef,
      t,
      t.kind === 'gate-waiting' ? 'approve' : undefined,
    ),
    severity: SEVERITY[t.kind],
    topic: NOTIFICATION_TOPICS[t.kind],
    scope: rolloutScope(t),
    metadata: {
      entityRef: options.entityRef,
      cluster: t.cluster,
      namespace: t.namespace,
      canary: t.canary,
      revision: t.revision,
      transition: t.transition,
    },
  };
}
