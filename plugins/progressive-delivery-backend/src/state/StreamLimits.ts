import { Config } from '@backstage/config';
import { CustomErrorBase, ServiceUnavailableError } from '@backstage/errors';

/** How many live streams the backend holds open. */
export interface StreamLimits {
  /**
   * Open streams one user (or service) may hold on one entity. The frontend shares one stream
   * per entity per browser tab, so this is the number of tabs showing the entity live.
   */
  perEntityPerUser: number;
  /** Open streams in all. */
  max: number;
}

export const DEFAULT_STREAM_LIMITS: StreamLimits = {
  perEntityPerUser: 4,
  max: 2_000,
};

/** Seconds after which a refused stream is worth trying again (`Retry-After`). */
export const STREAM_RETRY_AFTER_S = 30;

/**
 * 429: the caller already holds as many streams of the entity as it may. A new stream is
 * refused rather than an old one closed: the frontend reconnects a closed stream, so closing
 * the oldest would have two tabs push each other out in turn; a refused stream is retried
 * with backoff (and the page still shows the state it read).
 */
export class TooManyStreamsError extends CustomErrorBase {
  // A getter, not a field: the error body carries name and message only.
  get statusCode(): number {
    return 429;
  }
}

/** Reads `progressiveDelivery.streams`; throws on a value that is not a positive integer. */
export function readStreamLimits(config: Config | undefined): StreamLimits {
  const read = (key: keyof StreamLimits): number => {
    const value = config?.getOptionalNumber(key) ?? DEFAULT_STREAM_LIMITS[key];
    if (!Number.isInteger(value) || value < 1) {
      throw new Error(
        `progressiveDelivery.streams.${key} must be a positive integer, got ${value}`,
      );
    }
    return value;
  };
  return { perEntityPerUser: read('perEntityPerUser'), max: read('max') };
}

/** Throws when one more stream by `holder` on an entity it holds `held` of would be too many. */
export function checkStreamLimits(
  limits: StreamLimits,
  open: number,
  held: number,
  entityRef: string,
): void {
  if (open >= limits.max) {
    throw new ServiceUnavailableError(
      `The backend holds its maximum of ${limits.max} live streams (progressiveDelivery.streams.max); try again later`,
    );
  }
  if (held >= limits.perEntityPerUser) {
    throw new TooManyStreamsError(
      `You hold ${held} live streams of ${entityRef} already, the most one user may ` +
        `(progressiveDelivery.streams.perEntityPerUser); close one or try again later`,
    );
  }
}
