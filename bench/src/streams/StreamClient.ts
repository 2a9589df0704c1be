import { latin1, MarkerScanner } from './markerScanner';

/**
 * One open live-update stream (server-sent events over fetch), read as fast as it arrives.
 * Every chunk is timed on arrival and scanned for the markers it waits for; nothing is parsed.
 */
export class StreamClient {
  readonly scanner = new MarkerScanner();
  /** Bytes received so far. */
  bytes = 0;
  private readonly abort = new AbortController();
  private closing = false;
  private ended = false;
  private onFirstState?: () => void;
  /** Resolves when the first `state` event (the entity's current state) has arrived. */
  readonly ready: Promise<void>;

  constructor(
    readonly url: string,
    private readonly token: string,
    private readonly onMarker: (marker: string, at: number) => void,
  ) {
    this.ready = new Promise(resolve => {
      this.onFirstState = resolve;
    });
  }

  /** Opens the stream; rejects unless the backend answers 200 with a body. */
  async open(): Promise<void> {
    const res = await fetch(this.url, {
      headers: {
        Authorization: `Bearer ${this.token}`,
        Accept: 'text/event-stream',
      },
      signal: this.abort.signal,
    });
    if (res.status !== 200 || !res.body) {
      const body = await res.text().catch(() => '');
      throw new Error(
        `live stream ${this.url} answered ${res.status}: ${body.slice(0, 300)}`,
      );
    }
    void this.pump(res.body.getReader());
  }

  /** Whether the backend ended the stream before the bench closed it. */
  get endedEarly(): boolean {
    return this.ended && !this.closing;
  }

  close(): void {
    this.closing = true;
    this.abort.abort();
  }

  /** Handles one chunk that arrived at `at` (performance.now()). */
  receive(chunk: Uint8Array, at: number): void {
    this.bytes += chunk.byteLength;
    for (const marker of this.scanner.feed(latin1(chunk))) {
      this.onMarker(marker, at);
    }
    if (this.onFirstState && this.scanner.stateFrames > 0) {
      this.onFirstState();
      this.onFirstState = undefined;
    }
  }

  private async pump(
    reader: ReadableStreamDefaultReader<Uint8Array>,
  ): Promise<void> {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) {
          break;
        }
        this.receive(value, performance.now());
      }
    } catch {
      // Aborted by close(), or the connection was reset: endedEarly tells which.
    }
    this.ended = true;
  }
}
