import http from 'node:http';
import { latin1, MarkerScanner } from './markerScanner';

/**
 * One open live-update stream (server-sent events over HTTP), read as fast as it arrives.
 * Every chunk is timed on arrival and scanned for the markers it waits for; nothing is parsed.
 */
export class StreamClient {
  readonly scanner = new MarkerScanner();
  /** Bytes received so far. */
  bytes = 0;
  private request?: http.ClientRequest;
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

  /** Opens the stream; rejects unless the backend answers 200. */
  open(): Promise<void> {
    return new Promise((resolve, reject) => {
      const request = http.get(
        this.url,
        {
          headers: {
            Authorization: `Bearer ${this.token}`,
            Accept: 'text/event-stream',
          },
          // A connection of its own, closed with the stream.
          agent: false,
        },
        res => {
          if (res.statusCode !== 200) {
            let body = '';
            res.setEncoding('utf8');
            res.on('data', chunk => {
              body += chunk;
            });
            res.on('end', () =>
              reject(
                new Error(
                  `live stream ${this.url} answered ${
                    res.statusCode
                  }: ${body.slice(0, 300)}`,
                ),
              ),
            );
            return;
          }
          res.on('data', (chunk: Buffer) =>
            this.receive(chunk, performance.now()),
          );
          // Ended by the backend, closed by close(), or the connection was reset: endedEarly
          // tells which.
          res.on('close', () => {
            this.ended = true;
          });
          resolve();
        },
      );
      request.on('error', error => {
        this.ended = true;
        reject(error);
      });
      this.request = request;
    });
  }

  /** Whether the backend ended the stream before the bench closed it. */
  get endedEarly(): boolean {
    return this.ended && !this.closing;
  }

  /**
   * Closes the connection. (Aborting a `fetch` leaves an event stream's connection open in
   * Node 22's undici: the backend kept all 1,000 streams after the phase.)
   */
  close(): void {
    this.closing = true;
    this.request?.destroy();
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
}
