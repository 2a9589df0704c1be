import http from 'node:http';

/** A minimal server-sent-events reader for tests: collects `event: state` messages. */
export class SseClient {
  readonly messages: Array<{ event: string; data: any; receivedAt: number }> =
    [];
  status?: number;
  private request?: http.ClientRequest;

  static open(url: string): Promise<SseClient> {
    const client = new SseClient();
    return new Promise((resolve, reject) => {
      client.request = http.get(
        url,
        { headers: { Accept: 'text/event-stream' } },
        res => {
          client.status = res.statusCode;
          let buffer = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            buffer += chunk;
            let end = buffer.indexOf('\n\n');
            while (end !== -1) {
              client.parse(buffer.slice(0, end));
              buffer = buffer.slice(end + 2);
              end = buffer.indexOf('\n\n');
            }
          });
          resolve(client);
        },
      );
      client.request.on('error', reject);
    });
  }

  close(): void {
    this.request?.destroy();
  }

  private parse(block: string): void {
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith('event: ')) {
        event = line.slice(7);
      } else if (line.startsWith('data: ')) {
        data.push(line.slice(6));
      }
    }
    if (data.length > 0) {
      this.messages.push({
        event,
        data: JSON.parse(data.join('\n')),
        receivedAt: Date.now(),
      });
    }
  }
}
