import fs from 'node:fs';

/** Memory of a process as V8 sees it, in MB. */
export interface HeapUsage {
  heapUsedMb: number;
  rssMb: number;
}

interface InspectorTarget {
  webSocketDebuggerUrl: string;
}

interface InspectorSession {
  call(method: string, params?: object): Promise<unknown>;
  /** Called with the params of every event of that method. */
  on(method: string, listener: (params: any) => void): void;
}

/**
 * Reads a backend's live heap through the V8 inspector (the backend runs with `--inspect`):
 * forces a full garbage collection, then asks for `process.memoryUsage()`. RSS alone
 * overstates what a cache keeps: V8 does not give freed heap back to the system at once.
 */
export class HeapProbe {
  constructor(private readonly inspectorPort: number) {}

  async measure(timeoutMs = 60_000): Promise<HeapUsage> {
    return this.session(timeoutMs, async ({ call }) => {
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
    });
  }

  /** Writes a heap snapshot (after a full GC, as DevTools takes it) to `file`. */
  async writeSnapshot(file: string, timeoutMs = 600_000): Promise<void> {
    const out = fs.createWriteStream(file);
    try {
      await this.session(timeoutMs, async ({ call, on }) => {
        on('HeapProfiler.addHeapSnapshotChunk', params => {
          out.write(params.chunk);
        });
        await call('HeapProfiler.enable');
        await call('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
        await call('HeapProfiler.disable');
      });
    } finally {
      await new Promise(resolve => out.end(resolve));
    }
  }

  private async session<T>(
    timeoutMs: number,
    use: (session: InspectorSession) => Promise<T>,
  ): Promise<T> {
    const targets = (await (
      await fetch(`http://127.0.0.1:${this.inspectorPort}/json/list`)
    ).json()) as InspectorTarget[];
    const socket = new WebSocket(targets[0].webSocketDebuggerUrl);
    const pending = new Map<number, (result: unknown) => void>();
    const listeners = new Map<string, (params: any) => void>();
    let nextId = 1;
    socket.addEventListener('message', event => {
      const message = JSON.parse(String(event.data)) as {
        id?: number;
        method?: string;
        params?: unknown;
        result?: unknown;
      };
      if (message.id !== undefined) {
        pending.get(message.id)?.(message.result);
        pending.delete(message.id);
      } else if (message.method) {
        listeners.get(message.method)?.(message.params);
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
      return await use({
        call,
        on: (method, listener) => listeners.set(method, listener),
      });
    } finally {
      socket.close();
    }
  }
}
