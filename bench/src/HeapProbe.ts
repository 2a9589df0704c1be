/** Memory of a process as V8 sees it, in MB. */
export interface HeapUsage {
  heapUsedMb: number;
  rssMb: number;
}

interface InspectorTarget {
  webSocketDebuggerUrl: string;
}

/**
 * Reads a backend's live heap through the V8 inspector (the backend runs with `--inspect`):
 * forces a full garbage collection, then asks for `process.memoryUsage()`. RSS alone
 * overstates what a cache keeps: V8 does not give freed heap back to the system at once.
 */
export class HeapProbe {
  constructor(private readonly inspectorPort: number) {}

  async measure(timeoutMs = 60_000): Promise<HeapUsage> {
    const targets = (await (
      await fetch(`http://127.0.0.1:${this.inspectorPort}/json/list`)
    ).json()) as InspectorTarget[];
    const socket = new WebSocket(targets[0].webSocketDebuggerUrl);
    const pending = new Map<number, (result: unknown) => void>();
    let nextId = 1;
    socket.addEventListener('message', event => {
      const message = JSON.parse(String(event.data)) as {
        id?: number;
        result?: unknown;
      };
      if (message.id !== undefined) {
        pending.get(message.id)?.(message.result);
        pending.delete(message.id);
      }
    });
    await new Promise<void>((resolve, reject) => {
      socket.addEventListener('open', () => resolve());
      socket.addEventListener('error', () =>
        reject(new Error('cannot reach the backend inspector')),
      );
    });
    const call = (method: string, params: object = {}) =>
      new Promise<unknown>((resolve, reject) => {
        const id = nextId++;
        const timer = setTimeout(
          () => reject(new Error(`inspector ${method} timed out`)),
          timeoutMs,
        );
        pending.set(id, result => {
          clearTimeout(timer);
          resolve(result);
        });
        socket.send(JSON.stringify({ id, method, params }));
      });
    try {
      await call('HeapProfiler.collectGarbage');
      const evaluated = (await call('Runtime.evaluate', {
        expression: 'JSON.stringify(process.memoryUsage())',
        returnByValue: true,
      })) as { result: { value: string } };
      const usage = JSON.parse(evaluated.result.value) as {
        heapUsed: number;
        rss: number;
      };
      const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
      return { heapUsedMb: mb(usage.heapUsed), rssMb: mb(usage.rss) };
    } finally {
      socket.close();
    }
  }
}
