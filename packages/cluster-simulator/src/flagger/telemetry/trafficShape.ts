import { fnv32a } from '../../util/hash';

/**
 * How simulated traffic varies over time: deterministic functions of names
 * and simulated time (no random numbers), so a test run is reproducible and
 * two runs over the same simulated times serve the same counters.
 */

/** Telemetry moves in slots of this many simulated ms (rate, error and latency noise). */
export const SLOT_MS = 10_000;
/** Share of successful requests answered 404 (a 4xx counts as a success in Flagger's query). */
export const NOT_FOUND_SHARE = 0.004;
/** Share of failed requests answered 503 (the rest 500). */
export const UNAVAILABLE_SHARE = 0.7;

/** Period of the slow swell in a service's request rate. */
const WAVE_MS = 20 * 60_000;

/** Deterministic value in [0, 1) from a seed string (FNV-1a, unmixed). */
export function unit(seed: string): number {
  return fnv32a(seed) / 4294967296;
}

/**
 * Deterministic value in [0, 1) from a seed string, with MurmurHash3's
 * finaliser over FNV-1a so seeds that differ only in their last character
 * (consecutive slots) still land far apart.
 */
export function mixedUnit(seed: string): number {
  let h = fnv32a(seed);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

/**
 * The per-minute variation Flagger's simulated analysis sees
 * (`TrafficModel.observe`): errors vary by up to ±25 % of their level,
 * latency by up to ±8 %. The scraped telemetry follows the same minutes, so
 * what Prometheus computes is near what the simulated Flagger decided on.
 */
export function minuteVariation(
  namespace: string,
  workload: string,
  minute: number,
): { errors: number; latency: number } {
  const u = unit(`${namespace}/${workload}/${minute}`);
  const v = unit(`${workload}/${namespace}/${minute}`);
  return { errors: 0.75 + u * 0.5, latency: 0.92 + v * 0.16 };
}

/**
 * Requests per second one service receives in a slot: a base rate per
 * service (30–70), a slow swell of ±20 % over 20 minutes and ±10 % jitter.
 */
export function serviceRps(
  namespace: string,
  service: string,
  slot: number,
): number {
  const base = 30 + 40 * mixedUnit(`rps/${namespace}/${service}`);
  const phase = 2 * Math.PI * mixedUnit(`phase/${namespace}/${service}`);
  const wave = Math.sin((2 * Math.PI * slot * SLOT_MS) / WAVE_MS + phase);
  const jitter = 0.9 + 0.2 * mixedUnit(`rps/${namespace}/${service}/${slot}`);
  return base * (1 + 0.2 * wave) * jitter;
}

/** What one workload serves in one slot, before it is multiplied by its share of the requests. */
export interface SlotHealth {
  /** Fraction of requests that fail (5xx), in [0, 1]. */
  errorShare: number;
  /** p99 latency in ms. */
  p99Ms: number;
}

/**
 * A workload's error share and p99 in a slot: its health (pod-template
 * annotations), the minute's variation and ±30 % (errors) / ±5 % (latency)
 * jitter per slot.
 */
export function slotHealth(
  namespace: string,
  workload: string,
  health: { successRate: number; p99Ms: number },
  slot: number,
): SlotHealth {
  const minute = minuteVariation(
    namespace,
    workload,
    Math.floor((slot * SLOT_MS) / 60_000),
  );
  const errorJitter =
    0.7 + 0.6 * mixedUnit(`errors/${namespace}/${workload}/${slot}`);
  const latencyJitter =
    0.95 + 0.1 * mixedUnit(`latency/${namespace}/${workload}/${slot}`);
  const failing = Math.max(0, 100 - health.successRate) / 100;
  return {
    errorShare: Math.min(1, failing * minute.errors * errorJitter),
    p99Ms: Math.max(1, health.p99Ms * minute.latency * latencyJitter),
  };
}
