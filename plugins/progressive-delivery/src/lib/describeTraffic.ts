import {
  CanaryProgress,
  IstioRouting,
} from '@progressive-delivery/plugin-progressive-delivery-common';

/**
 * How traffic reaches the canary. A/B testing, mirroring and session affinity are not weighted
 * splits, so a 0/100 bar alone would tell the wrong story for them.
 */
export type TrafficMode = 'weighted' | 'abTesting' | 'mirroring' | 'none';

/** Where traffic goes, in numbers for the bar and in words for people. */
export interface TrafficReading {
  mode: TrafficMode;
  /** The weights of the weighted default route (A/B: the route of all other requests). */
  primaryWeight: number;
  canaryWeight: number;
  /** The part of the headline about traffic, e.g. `20% of traffic on the canary`. */
  text: string;
  /** Sentences shown with the bar: A/B conditions, mirroring, sticky cookie, source of the split. */
  notes: string[];
  /** The bar's accessible name. */
  label: string;
  primaryLegend: string;
  canaryLegend: string;
}

/** Providers whose router object the backend reads (the split comes from it, not the status). */
const ROUTED_PROVIDERS = new Set(['istio', 'gatewayapi:v1']);

/** Whether the backend reads the router object of this provider (absent: the mesh default). */
export function routerIsRead(provider?: string): boolean {
  return provider === undefined || ROUTED_PROVIDERS.has(provider);
}

/** The A/B conditions in words: `requests with header x-canary = insider`. */
export function matchingRequests(conditions?: string[]): string {
  return conditions && conditions.length > 0
    ? `requests with ${conditions.join(' or ')}`
    : 'matching requests';
}

function iterationText(progress: CanaryProgress): string {
  if (!progress.iterations) {
    return 'iterating';
  }
  const { total } = progress.iterations;
  // Flagger counts one past the last iteration when it switches traffic, and -1 before the first.
  const current = Math.max(0, Math.min(progress.iterations.current, total));
  return `iteration ${current} of ${total}`;
}

function mirrorText(routing?: IstioRouting): string {
  const share =
    routing?.mirrorPercentage !== undefined
      ? ` (${routing.mirrorPercentage}% of requests copied)`
      : '';
  return `live traffic mirrored to the canary${share}, the live split stays on the primary`;
}

function weightText(canaryWeight: number): string {
  if (canaryWeight >= 100) {
    return 'all traffic on the canary';
  }
  return `${canaryWeight}% of traffic on the canary`;
}

function stickyText(routing?: IstioRouting): string | undefined {
  if (!routing?.sessionAffinity) {
    return undefined;
  }
  const cookie = routing.sessionAffinity.cookieName;
  return `requests carrying ${
    cookie ? `cookie ${cookie}` : 'the session cookie'
  } stay on the canary`;
}

/** Where the numbers come from when they do not come from a router object. */
function sourceNote(progress: CanaryProgress): string | undefined {
  if (progress.provider === 'kubernetes') {
    return 'Provider kubernetes has no traffic-splitting router: the service sends all traffic to the primary until promotion, so there is no split to show.';
  }
  if (progress.weightSource === 'routing') {
    return undefined;
  }
  if (!routerIsRead(progress.provider)) {
    return `Split read from the canary's status (status.canaryWeight): the routing objects of provider ${progress.provider} are not read.`;
  }
  return "Split read from the canary's status (status.canaryWeight): no router object was found.";
}

function headlineText(
  progress: CanaryProgress,
  mode: TrafficMode,
  canaryWeight: number,
  routing?: IstioRouting,
): string {
  const sticky = stickyText(routing);
  if (mode === 'abTesting') {
    return `${iterationText(progress)}, ${matchingRequests(
      routing?.canaryMatches,
    )} go to the canary (all other traffic stays on the primary)`;
  }
  const parts: string[] = [];
  if (progress.strategy !== 'canary') {
    parts.push(iterationText(progress));
  }
  if (mode === 'mirroring') {
    parts.push(mirrorText(routing));
  } else if (
    mode === 'none' ||
    (progress.strategy !== 'canary' && canaryWeight === 0)
  ) {
    parts.push('tested without user traffic');
  } else {
    parts.push(weightText(canaryWeight));
  }
  if (sticky) {
    parts.push(sticky);
  }
  return parts.join(', ');
}

function modeOf(
  progress: CanaryProgress,
  canaryWeight: number,
  routing?: IstioRouting,
): TrafficMode {
  if (
    progress.strategy === 'abTesting' ||
    (routing?.canaryMatches && routing.canaryMatches.length > 0)
  ) {
    return 'abTesting';
  }
  if ((progress.mirroring || routing?.mirrored) && canaryWeight === 0) {
    return 'mirroring';
  }
  return progress.provider === 'kubernetes' ? 'none' : 'weighted';
}

/** Reads where traffic goes for one canary from its progress and, when known, its routing. */
export function describeTraffic(
  progress: CanaryProgress,
  routing?: IstioRouting,
): TrafficReading {
  const canaryWeight = routing?.canaryWeight ?? progress.canaryWeight;
  const primaryWeight = routing?.primaryWeight ?? progress.primaryWeight;
  const mode = modeOf(progress, canaryWeight, routing);
  const notes: string[] = [];
  let primaryLegend = `Primary ${primaryWeight}%`;
  let canaryLegend = `Canary ${canaryWeight}%`;
  if (mode === 'abTesting') {
    const who = matchingRequests(routing?.canaryMatches);
    notes.push(
      `A/B test: ${who} go to the canary; all other traffic stays on the primary.`,
    );
    primaryLegend = `Primary: all other traffic (${primaryWeight}%)`;
    canaryLegend = `Canary: ${who}`;
  } else if (mode === 'mirroring') {
    notes.push(
      `Live traffic is mirrored to the canary${
        routing?.mirrorPercentage !== undefined
          ? ` (${routing.mirrorPercentage}% of requests copied)`
          : ''
      }; its responses are discarded, and the live split stays on the primary.`,
    );
    canaryLegend = `Canary ${canaryWeight}% + mirror`;
  }
  const sticky = stickyText(routing);
  if (sticky) {
    notes.push(`Session affinity: ${sticky}.`);
  }
  const source = sourceNote(progress);
  if (source) {
    notes.push(source);
  }
  const split = `primary ${primaryWeight}%, canary ${canaryWeight}%`;
  const label =
    mode === 'abTesting' || mode === 'mirroring'
      ? `Traffic split: ${notes[0]} Default route: ${split}`
      : `Traffic split: ${split}`;
  return {
    mode,
    primaryWeight,
    canaryWeight,
    text: headlineText(progress, mode, canaryWeight, routing),
    notes,
    label,
    primaryLegend,
    canaryLegend,
  };
}
