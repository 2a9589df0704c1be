const STATE_EVENT = 'event: state\n';
/** Characters kept from the previous chunk: more than the longest string searched for. */
const CARRY = 64;

/**
 * Finds awaited marker strings in the raw text of a server-sent-events stream, chunk by chunk,
 * without parsing frames or JSON: with a thousand streams open, the load generator must stay
 * cheap. A marker split across two chunks is still found (the end of the previous chunk is
 * kept), and each marker is reported once. Markers are ASCII, so chunks may be decoded as
 * latin1, which needs no state between chunks.
 */
export class MarkerScanner {
  private carry = '';
  private readonly pending = new Set<string>();
  /** `state` events seen so far (their first line, which starts every frame with data). */
  stateFrames = 0;

  /** Starts looking for `marker` in what arrives from now on. */
  expect(marker: string): void {
    if (marker.length >= CARRY) {
      throw new Error(
        `marker "${marker}" is too long (${marker.length} characters, at most ${
          CARRY - 1
        })`,
      );
    }
    this.pending.add(marker);
  }

  /** Markers expected and not seen yet. */
  get waiting(): number {
    return this.pending.size;
  }

  /** Scans the next chunk; returns the expected markers it completes, now no longer expected. */
  feed(chunk: string): string[] {
    const text = this.carry + chunk;
    const fresh = this.carry.length;
    // Only matches that end in the new chunk: those inside the carry were counted already.
    const from = (needle: string) => Math.max(0, fresh - needle.length + 1);
    for (
      let at = text.indexOf(STATE_EVENT, from(STATE_EVENT));
      at !== -1;
      at = text.indexOf(STATE_EVENT, at + 1)
    ) {
      this.stateFrames += 1;
    }
    const found: string[] = [];
    for (const marker of this.pending) {
      if (text.indexOf(marker, from(marker)) !== -1) {
        found.push(marker);
      }
    }
    for (const marker of found) {
      this.pending.delete(marker);
    }
    this.carry = text.slice(-CARRY);
    return found;
  }
}

/** The bytes of a chunk as latin1 text: one character per byte, ASCII unchanged. */
export function latin1(chunk: Uint8Array): string {
  return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString(
    'latin1',
  );
}
