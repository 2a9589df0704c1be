import { ResponseError } from '@backstage/errors';
import {
  CanaryState,
  FluxResource,
} from '@progressive-delivery/plugin-progressive-delivery-common';
import { useEffect, useState } from 'react';

/**
 * How long a button stays disabled after an unknown outcome when the live state shows no change
 * (a Flagger check at most every few minutes; Flux's reconcile interval). Long enough that the
 * person looks at the state first, short enough that a lost request can be sent again.
 */
export const OUTCOME_UNKNOWN_HOLD_MS = 60_000;

/**
 * Whether an action's request may have been carried out although no answer came: the backend's
 * `OutcomeUnknownError` (504: the cluster took the request and did not answer in time), or any
 * 504 on the way (a gateway in front of Backstage that gave up waiting).
 */
export function isOutcomeUnknown(error: unknown): error is ResponseError {
  return (
    error instanceof ResponseError &&
    (error.body?.error?.name === 'OutcomeUnknownError' ||
      error.statusCode === 504)
  );
}

/** The message of an unknown outcome: the backend's, which says what to check. */
export function outcomeUnknownMessage(error: ResponseError): string {
  const message = error.body?.error?.message;
  return message && error.body?.error?.name === 'OutcomeUnknownError'
    ? message
    : `Outcome unknown: no answer came back in time (${
        message || error.message
      }), so the action may or may not have happened. Check the state before trying again.`;
}

/**
 * What of a canary the live stream changes when Flagger acts on a gate: its phase, its gates,
 * its weight and its newest event (Flagger records one at every check while it waits).
 */
export function observedCanary(canary: CanaryState): string {
  const { progress, events } = canary;
  const newest = events[0];
  return JSON.stringify([
    progress.phase,
    progress.gates.map(g => [g.name, g.waiting]),
    progress.canaryWeight,
    progress.lastTransitionTime,
    newest && [newest.timestamp, newest.message, newest.count],
  ]);
}

/** What of a Flux object the live stream changes when Flux or a patch acts on it. */
export function observedFlux(resource: FluxResource): string {
  return JSON.stringify(resource.readiness);
}

/** An unknown outcome under a button, and whether the button waits for the state to move. */
export interface OutcomeUnknownHold {
  /** The message (what to check), while one is shown. */
  message?: string;
  /** Keep the button disabled: the live state has not changed since and the hold runs. */
  holding: boolean;
  /** The live state changed since the answer. */
  changed: boolean;
  report(message: string): void;
  clear(): void;
}

/**
 * After an unknown outcome the button does not invite a second click: it waits until the live
 * stream (the tab's state, which the backend re-reads from the cluster's watch) shows the object
 * changed, or until `holdMs` passed with no change.
 */
export function useOutcomeUnknownHold(
  observed: string | undefined,
  holdMs = OUTCOME_UNKNOWN_HOLD_MS,
): OutcomeUnknownHold {
  const [unknown, setUnknown] = useState<{
    message: string;
    observed?: string;
  }>();
  const [expired, setExpired] = useState(false);
  useEffect(() => {
    if (!unknown) {
      return undefined;
    }
    setExpired(false);
    const timer = setTimeout(() => setExpired(true), holdMs);
    return () => clearTimeout(timer);
  }, [unknown, holdMs]);
  const changed = unknown !== undefined && observed !== unknown.observed;
  return {
    message: unknown?.message,
    holding: unknown !== undefined && !changed && !expired,
    changed,
    report: message => setUnknown({ message, observed }),
    clear: () => setUnknown(undefined),
  };
}
