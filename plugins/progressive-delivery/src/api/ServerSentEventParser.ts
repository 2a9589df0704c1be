/**
 * One message of a `text/event-stream`.
 */
export interface ServerSentEvent {
  /** The `event:` field, `message` when absent. */
  event: string;
  data: string;
}

/**
 * Incremental parser of the `text/event-stream` format (WHATWG HTML, "Server-sent events"):
 * chunks may split lines and messages anywhere; comments (heartbeats) are skipped.
 */
export class ServerSentEventParser {
  private buffer = '';
  private event = '';
  private data: string[] = [];

  /** Feeds decoded text; returns the messages it completed. */
  push(chunk: string): ServerSentEvent[] {
    this.buffer += chunk;
    const messages: ServerSentEvent[] = [];
    for (;;) {
      const end = this.buffer.search(/\r\n|\r|\n/);
      // A lone trailing \r may be the first half of \r\n: wait for the next chunk.
      if (
        end === -1 ||
        (end === this.buffer.length - 1 && this.buffer.endsWith('\r'))
      ) {
        break;
      }
      const line = this.buffer.slice(0, end);
      const breakLength = this.buffer.startsWith('\r\n', end) ? 2 : 1;
      this.buffer = this.buffer.slice(end + breakLength);
      const message = this.line(line);
      if (message) {
        messages.push(message);
      }
    }
    return messages;
  }

  private line(line: string): ServerSentEvent | undefined {
    if (line === '') {
      const message =
        this.data.length > 0
          ? { event: this.event || 'message', data: this.data.join('\n') }
          : undefined;
      this.event = '';
      this.data = [];
      return message;
    }
    if (line.startsWith(':')) {
      return undefined;
    }
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) {
      value = value.slice(1);
    }
    if (field === 'event') {
      this.event = value;
    } else if (field === 'data') {
      this.data.push(value);
    }
    return undefined;
  }
}
