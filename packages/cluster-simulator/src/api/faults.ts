import { Errors } from './status';

/** Fault switches of one simulated cluster, changeable at run time. */
export interface FaultSettings {
  /** Added to every API response (simulator control paths excepted). */
  latencyMs: number;
  /**
   * Path prefix -> milliseconds added (on top of `latencyMs`) to requests
   * under it, the longest matching prefix winning: e.g. the service proxy of
   * one Service, `/api/v1/namespaces/istio-system/services/prometheus:9090/proxy`.
   */
  pathLatencyMs: Record<string, number>;
  /** Path prefix -> fraction of requests (0..1) answered with `errorCode`. */
  errorRates: Record<string, number>;
  /** Status code of injected errors: 500 (InternalError) or 503 (ServiceUnavailable), ... */
  errorCode: number;
  /** Whole-server unavailability: connections are reset without a response. */
  down: boolean;
}

export type WatchAction = 'drop' | 'gone';

export function defaultFaults(): FaultSettings {
  return {
    latencyMs: 0,
    pathLatencyMs: {},
    errorRates: {},
    errorCode: 500,
    down: false,
  };
}

/**
 * Holds the fault settings and triggers one-off actions on open watches.
 * Error injection uses a seeded generator so tests are reproducible.
 */
export class FaultInjector implements FaultSettings {
  latencyMs = 0;
  pathLatencyMs: Record<string, number> = {};
  errorRates: Record<string, number> = {};
  errorCode = 500;
  down = false;
  private random: number;
  private readonly watchHooks = new Set<(action: WatchAction) => void>();

  constructor(seed = 42) {
    this.random = seed;
  }

  /** Changes some settings; unspecified ones keep their value. */
  set(settings: Partial<FaultSettings>): void {
    // Checked first, so a bad setting changes nothing.
    const latencyMs =
      settings.latencyMs === undefined
        ? this.latencyMs
        : milliseconds('latencyMs', settings.latencyMs);
    const pathLatencyMs =
      settings.pathLatencyMs === undefined
        ? this.pathLatencyMs
        : latencyByPrefix(settings.pathLatencyMs);
    this.latencyMs = latencyMs;
    this.pathLatencyMs = pathLatencyMs;
    if (settings.errorRates !== undefined)
      this.errorRates = { ...settings.errorRates };
    if (settings.errorCode !== undefined) this.errorCode = settings.errorCode;
    if (settings.down !== undefined) this.down = settings.down;
  }

  reset(): void {
    this.set(defaultFaults());
  }

  snapshot(): FaultSettings {
    return {
      latencyMs: this.latencyMs,
      pathLatencyMs: { ...this.pathLatencyMs },
      errorRates: { ...this.errorRates },
      errorCode: this.errorCode,
      down: this.down,
    };
  }

  /** Closes every open watch connection abruptly. */
  dropWatches(): void {
    for (const hook of this.watchHooks) hook('drop');
  }

  /**
   * Ends every open watch with a `410 Gone` error event and forgets the change
   * history, so clients must re-list.
   */
  forceGone(): void {
    for (const hook of this.watchHooks) hook('gone');
  }

  onWatchAction(hook: (action: WatchAction) => void): () => void {
    this.watchHooks.add(hook);
    return () => this.watchHooks.delete(hook);
  }

  /** Milliseconds to wait before answering a request to `path`. */
  latencyFor(path: string): number {
    return this.latencyMs + (longestPrefix(this.pathLatencyMs, path) ?? 0);
  }

  /** Whether a request to `path` should get an injected error. */
  shouldFail(path: string): boolean {
    const rate = longestPrefix(this.errorRates, path) ?? 0;
    if (rate <= 0) return false;
    if (rate >= 1) return true;
    return this.nextRandom() < rate;
  }

  private nextRandom(): number {
    // mulberry32
    this.random = (this.random + 0x6d2b79f5) | 0;
    let t = this.random;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}

/** The value of the longest key of `byPrefix` that `path` starts with. */
function longestPrefix(
  byPrefix: Record<string, number>,
  path: string,
): number | undefined {
  let value: number | undefined;
  let longest = -1;
  for (const [prefix, v] of Object.entries(byPrefix)) {
    if (path.startsWith(prefix) && prefix.length > longest) {
      longest = prefix.length;
      value = v;
    }
  }
  return value;
}

/** A latency setting, checked: a finite number of milliseconds, at least 0. */
function milliseconds(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw Errors.badRequest(
      `${name} must be a number of milliseconds (0 or more), got ${JSON.stringify(
        value,
      )}`,
    );
  }
  return value;
}

/** `pathLatencyMs`, checked: an object of path prefix to milliseconds. */
function latencyByPrefix(value: unknown): Record<string, number> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw Errors.badRequest(
      `pathLatencyMs must be an object of path prefix to milliseconds, got ${JSON.stringify(
        value,
      )}`,
    );
  }
  return Object.fromEntries(
    Object.entries(value).map(([prefix, ms]) => [
      prefix,
      milliseconds(`pathLatencyMs["${prefix}"]`, ms),
    ]),
  );
}

/** API requests by verb and resource, to prove what a client sent. */
export class RequestCounters {
  total = 0;
  byVerb: Record<string, number> = {};
  byResource: Record<string, number> = {};
  /** Keyed `<verb> <resource>`, e.g. `list canaries.flagger.app`. */
  byVerbAndResource: Record<string, number> = {};

  record(verb: string, resource: string): void {
    this.total += 1;
    this.byVerb[verb] = (this.byVerb[verb] ?? 0) + 1;
    this.byResource[resource] = (this.byResource[resource] ?? 0) + 1;
    const key = `${verb} ${resource}`;
    this.byVerbAndResource[key] = (this.byVerbAndResource[key] ?? 0) + 1;
  }

  reset(): void {
    this.total = 0;
    this.byVerb = {};
    this.byResource = {};
    this.byVerbAndResource = {};
  }

  snapshot() {
    return {
      total: this.total,
      byVerb: { ...this.byVerb },
      byResource: { ...this.byResource },
      byVerbAndResource: { ...this.byVerbAndResource },
    };
  }
}
