import autocannon from 'autocannon';
import { ViewRequest } from './targets';

/** A deterministic shuffle of 0..count-1, so every target sees the same spread of entities. */
export function entityOrder(count: number, seed = 20261122): number[] {
  const order = Array.from({ length: count }, (_, i) => i);
  let state = seed;
  const random = () => {
    // mulberry32
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

/** What Chromium and Firefox send with a fetch. */
export const BROWSER_ACCEPT_ENCODING = 'gzip, deflate, br, zstd';

export interface LoadResult {
  /** Completed responses. */
  views: number;
  /** Requests sent, including those still unanswered when the time was up. */
  sent: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  durationS: number;
  throughputRps: number;
  /** Bytes read per answered view, headers included, as sent (compressed where accepted). */
  wireBytesPerView: number;
  latencyMs: {
    p50: number;
    p90: number;
    p99: number;
    mean: number;
    max: number;
  };
}

/**
 * Fixed-concurrency load: `connections` connections each send the next entity's view as soon
 * as the previous answer arrives, walking `order` round-robin.
 */
export async function runLoad(options: {
  baseUrl: string;
  token: string;
  view: (entityIndex: number) => ViewRequest;
  order: number[];
  connections: number;
  durationS: number;
}): Promise<LoadResult> {
  let next = 0;
  const result = await autocannon({
    url: options.baseUrl,
    connections: options.connections,
    duration: options.durationS,
    // A slow peer must be measured, not cut off.
    timeout: 120,
    // As the entity page in a browser asks: every browser takes gzip.
    headers: {
      authorization: `Bearer ${options.token}`,
      'accept-encoding': BROWSER_ACCEPT_ENCODING,
    },
    requests: [
      {
        setupRequest: req => {
          const view = options.view(options.order[next % options.order.length]);
          next += 1;
          return {
            ...req,
            method: view.method,
            path: view.path,
            body: view.body,
            headers: {
              ...req.headers,
              ...(view.body ? { 'content-type': 'application/json' } : {}),
            },
          };
        },
      },
    ],
  });
  const views = result.requests.total;
  return {
    views,
    sent: result.requests.sent,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    durationS: result.duration,
    throughputRps: Math.round((views / result.duration) * 10) / 10,
    wireBytesPerView: Math.round(result.throughput.total / Math.max(views, 1)),
    latencyMs: {
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      mean: Math.round(result.latency.mean * 100) / 100,
      max: result.latency.max,
    },
  };
}
