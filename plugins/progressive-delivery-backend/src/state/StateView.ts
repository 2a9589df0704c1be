import { EntityDeliveryState } from '@progressive-delivery/plugin-progressive-delivery-common';

/**
 * One version of an entity's delivery state, serialised once and shared by every request and
 * every live stream of the entity until one of the objects it comes from changes.
 */
export interface StateView {
  readonly entityRef: string;
  /** Grows with every new state of any entity. */
  readonly version: number;
  /** When this version was derived; time-dependent fields are relative to it. */
  readonly generatedAt: string;
  /** The state as UTF-8 JSON. */
  readonly body: Buffer;
  /** A strong ETag for the body. */
  readonly etag: string;
  /** The server-sent event carrying the state, made on first use. */
  frame(): Buffer;
  /** The state as an object, parsed from the body on each call. */
  state(): EntityDeliveryState;
}

const FRAME_HEAD = Buffer.from('event: state\ndata: ');
const FRAME_TAIL = Buffer.from('\n\n');

class SerialisedView implements StateView {
  private framed?: Buffer;

  constructor(
    readonly entityRef: string,
    readonly version: number,
    readonly generatedAt: string,
    readonly body: Buffer,
    readonly etag: string,
    /** Where the body leaves `generatedAt` behind. */
    private readonly coreStart: number,
  ) {}

  frame(): Buffer {
    this.framed ??= Buffer.concat([FRAME_HEAD, this.body, FRAME_TAIL]);
    return this.framed;
  }

  state(): EntityDeliveryState {
    return JSON.parse(this.body.toString('utf8'));
  }

  /** Whether the body is `core` after `generatedAt`. */
  hasCore(core: Buffer): boolean {
    return this.body.subarray(this.coreStart).equals(core);
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
    // in front, so that an unchanged state compares equal byte for byte.
    const json = JSON.stringify({ ...state, generatedAt: undefined });
    const core = Buffer.from(json.slice(1));
    if (previous instanceof SerialisedView && previous.hasCore(core)) {
      return previous;
    }
    const head = Buffer.from(
      `{"generatedAt":${JSON.stringify(state.generatedAt)}${
        json.length > 2 ? ',' : ''
      }`,
    );
    this.version += 1;
    return new SerialisedView(
      state.entityRef,
      this.version,
      state.generatedAt,
      Buffer.concat([head, core]),
      `"${this.boot}-${this.version}"`,
      head.length,
    );
  }
}
