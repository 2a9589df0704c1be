import { CanaryEvent, CanaryGate, CanaryGateType, CanaryWebhook } from '../api';
import { asArray, asRecord, asString, UnknownRecord } from './read';

const GATE_DESCRIPTIONS: Record<CanaryGateType, string> = {
  'confirm-rollout': 'Starts the analysis of a new revision.',
  'confirm-traffic-increase': 'Lets the canary receive the next traffic step.',
  'confirm-promotion': 'Promotes the analysed revision to the primary.',
  rollback: 'Rolls the canary back while it is analysed.',
};

const GATE_TYPES = new Set<string>(Object.keys(GATE_DESCRIPTIONS));

type GateSpec = Omit<CanaryGate, 'waiting'>;

/** The newest gate event naming this gate tells whether Flagger still waits on it. */
function trafficGateWaiting(name: string, events: CanaryEvent[]): boolean {
  for (const event of events) {
    if (event.category === 'advance') {
      return false;
    }
    if (
      !event.message.endsWith(` ${name}`) &&
      !event.message.includes(` ${name} `)
    ) {
      continue;
    }
    if (event.category === 'gateWaiting') {
      return /waiting for traffic increase approval/.test(event.message);
    }
    if (event.category === 'gatePassed') {
      return false;
    }
  }
  return false;
}

function gateWaiting(
  gate: GateSpec,
  phase: string,
  events: CanaryEvent[],
): boolean {
  switch (gate.type) {
    case 'confirm-rollout':
      return phase === 'Waiting';
    case 'confirm-promotion':
      return phase === 'WaitingPromotion';
    case 'confirm-traffic-increase':
      return phase === 'Progressing' && trafficGateWaiting(gate.name, events);
    default:
      return false;
  }
}

/**
 * Reads `analysis.webhooks`: the gates (and whether Flagger waits on each, from the phase and
 * the events, newest first), and the other webhooks.
 */
export function readWebhooks(
  analysis: UnknownRecord | undefined,
  phase: string,
  events: CanaryEvent[],
): { webhooks: CanaryWebhook[]; gates: CanaryGate[] } {
  const webhooks: CanaryWebhook[] = [];
  const gates: CanaryGate[] = [];
  for (const raw of asArray(analysis?.webhooks) ?? []) {
    const hook = asRecord(raw);
    const name = asString(hook?.name);
    if (!hook || !name) {
      continue;
    }
    // An empty type is a rollout hook (Flagger's default).
    const type = asString(hook.type) || 'rollout';
    const url = asString(hook.url) ?? '';
    if (GATE_TYPES.has(type)) {
      const gateType = type as CanaryGateType;
      const gate: GateSpec = {
        name,
        type: gateType,
        url,
        description: GATE_DESCRIPTIONS[gateType],
      };
      gates.push({ ...gate, waiting: gateWaiting(gate, phase, events) });
    } else {
      webhooks.push({ name, type, url });
    }
  }
  return { webhooks, gates };
}
