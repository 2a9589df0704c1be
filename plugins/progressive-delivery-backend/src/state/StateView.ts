import { EntityDeliveryState } from '@progressive-delivery/plugin-progressive-delivery-common';
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';

/** How a body travels: as it is, or gzip-compressed (RFC 9110 8.4.1.3). */
export type BodyEncoding = 'gzip' | 'identity';

/**
 * One version of an entity's delivery state, serialised and compressed once and shared by every
 * request and every live stream of the entity until one of the objects it comes from changes.
 * Only the compressed body is kept (a JSON state compresses about eight to one); the JSON is
 * inflated when a client does not take gzip.
 */
export interface StateView {
  readonly entityRef: string;
  /** Grows with every new state of any entity. */
  readonly version: number;
  /** When this version was derived; time-dependent fields are relative to it. */
  readonly generatedAt: string;
  /** The state as UTF-8 JSON, inflated on each call. */
  body(): Buffer;
  /** The state as gzip-compressed UTF-8 JSON, made once. */
  readonly gzipped: Buffer;
  /** A strong ETag of the body in one encoding: each encoding is its own representation. */
  etag(encoding: BodyEncoding): string;
  /** The server-sent event carrying the state, made on each call. */
  frame(): Buffer;
  /** The state as an object, parsed from the body on each call. */
  state(): EntityDeliveryState;
}

const FRAME_HEAD = Buffer.from('event: state\ndata: ');
const FRAME_TAIL = Buffer.from('\n\n');

/** A digest of the state without its timestamp: equal digests, equal states. */
function digestOf(core: string): string {
  return createHash('sha1').update(core).digest('base64');
}

/**
 * `gzipSync` answers with a view into zlib's output chunk (16 KB and more); a copy of its exact
 * length keeps only the compressed bytes alive.
 */
function compressed(json: string): Buffer {
  const out = gzipSync(json);
  const exact = Buffer.allocUnsafeSlow(out.length);
  out.copy(exact);
  return exact;
}

class SerialisedView implements StateView {
  constructor(
    readonly entityRef: string,
    readonly version: number,
    readonly generatedAt: string,
    readonly gzipped: Buffer,
    /** The ETag's opaque part, without the quotes. */
    private readonly tag: string,
    /** The digest of the state without `generatedAt`. */
    readonly coreDigest: string,
  ) {}

  body(): Buffer {
    return gunzipSync(this.gzipped);
  }

  etag(encoding: BodyEncoding): string {
    return encoding === 'gzip' ? `"${this.tag}-gz"` : `"${this.tag}"`;
  }

  frame(): Buffer {
    return Buffer.concat([FRAME_HEAD, this.body(), FRAME_TAIL]);
  }

  state(): EntityDeliveryState {
    return JSON.parse(this.body().toString('utf8'));
  }
}

/**
 * Serialises states, each once: a state equal to the previous version but for `generatedAt` is
 * the previous version (same body, same ETag, nothing to push).
 */
export class StateSerialiser {
  private version = 0;
  /** Makes ETags differ across restarts, where versions start again. */
  private readonly boot = `${Date.now().toString(36)}${Math.random()
    .toString(36)
    .slice(2, 8)}`;

  serialise(
    state: EntityDeliveryState,
    previous: StateView | undefined,
  ): StateView {
    // JSON.stringify leaves out undefined: the state without its timestamp, then the timestamp
    // in front, so that an unchanged state compares equal.
    const json = JSON.stringify({ ...state, generatedAt: undefined });
    const core = json.slice(1);
    const coreDigest = digestOf(core);
    if (
      previous instanceof SerialisedView &&
      previous.coreDigest === coreDigest
    ) {
      return previous;
    }
    const head = `{"generatedAt":${JSON.stringify(state.generatedAt)}${
      json.length > 2 ? ',' : ''
    }`;
    this.version += 1;
    return new SerialisedView(
      state.entityRef,
      this.version,
      state.generatedAt,
      compressed(head + core),
      `${this.boot}-${this.version}`,
      coreDigest,
    );
  }
}
