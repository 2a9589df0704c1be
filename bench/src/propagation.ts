import { scaleCanaryName } from '@internal/cluster-simulator';
import { SimulatedClusterInfo } from './backendConfig';
import { BackendProcess } from './BackendProcess';
import { SimulatorProcess } from './SimulatorProcess';
import { DurationSummary, summarizeDurations } from './stats';
import { TARGETS } from './targets';

/** Splits a server-sent-events buffer into complete frames and the incomplete rest. */
export function splitSseFrames(buffer: string): {
  frames: string[];
  rest: string;
} {
  const parts = buffer.split('\n\n');
  return { frames: parts.slice(0, -1), rest: parts[parts.length - 1] };
}

/** A distinct, valid `lastTransitionTime` per sample, so its arrival is unambiguous. */
export function markerTime(sample: number): string {
  return new Date(Date.UTC(2030, 0, 1, 0, 0, sample))
    .toISOString()
    .replace('.000Z', 'Z');
}

/** An open live-update stream of one entity. */
class LiveStream {
  private buffer = '';
  private readonly decoder = new TextDecoder();

  private constructor(
    private readonly reader: ReadableStreamDefaultReader<Uint8Array>,
    private readonly abort: AbortController,
  ) {}

  static async open(url: string, token: string): Promise<LiveStream> {
    const abort = new AbortController();
    const res = await fetch(url, {
      headers: {
        Authorization: `Bearer ${token}`,
        Accept: 'text/event-stream',
      },
      signal: abort.signal,
    });
    if (res.status !== 200 || !res.body) {
      throw new Error(`live channel answered ${res.status}`);
    }
    return new LiveStream(res.body.getReader(), abort);
  }

  /** Resolves when a `state` frame satisfies `accept`; false at the deadline. */
  async waitForState(
    accept: (data: string) => boolean,
    deadline: number,
  ): Promise<boolean> {
    for (;;) {
      const { frames, rest } = splitSseFrames(this.buffer);
      this.buffer = rest;
      for (const frame of frames) {
        const lines = frame.split('\n');
        if (!lines.includes('event: state')) {
          continue;
        }
        const data = lines
          .filter(l => l.startsWith('data: '))
          .map(l => l.slice(6))
          .join('\n');
        if (accept(data)) {
          return true;
        }
      }
      const remaining = deadline - performance.now();
      if (remaining <= 0) {
        return false;
      }
      let timer: NodeJS.Timeout | undefined;
      const chunk = await Promise.race([
        this.reader.read(),
        new Promise<undefined>(resolve => {
          timer = setTimeout(() => resolve(undefined), remaining);
        }),
      ]);
      clearTimeout(timer);
      if (!chunk || chunk.done) {
        return false;
      }
      this.buffer += this.decoder.decode(chunk.value, { stream: true });
    }
  }

  close(): void {
    this.abort.abort();
  }
}

export interface PropagationResult {
  /** From sending the status patch to the simulated cluster answering it (the write itself). */
  clusterWrite: DurationSummary;
  /** From the status patch to our entity API returning the new value (polled every 10 ms). */
  api: DurationSummary;
  /** From the status patch to our live channel (SSE) pushing the new value. */
  liveChannel: DurationSummary;
}

interface PropagationOptions {
  simulator: SimulatorProcess;
  backend: BackendProcess;
  clusters: SimulatedClusterInfo[];
  entityIndexes: number[];
  samples: number;
  timeoutMs?: number;
}

interface SampleTimes {
  write?: number;
  api?: number;
  live?: number;
}

async function canaryNamespace(
  simulator: SimulatorProcess,
  cluster: SimulatedClusterInfo,
  name: string,
): Promise<string> {
  const found = await simulator.request(
    cluster,
    `/apis/flagger.app/v1beta1/canaries?fieldSelector=metadata.name%3D${name}`,
  );
  const namespace = (
    JSON.parse(found.body) as {
      items: Array<{ metadata: { namespace: string } }>;
    }
  ).items[0]?.metadata.namespace;
  if (!namespace) {
    throw new Error(`canary ${name} not found in ${cluster.name}`);
  }
  return namespace;
}

/** Polls our API until a view contains `marker`; the time since `started`, or undefined. */
async function apiShows(
  backend: BackendProcess,
  view: ReturnType<typeof TARGETS.ours.view>,
  marker: string,
  started: number,
  deadline: number,
): Promise<number | undefined> {
  while (performance.now() < deadline) {
    const res = await backend.send(view);
    if (res.status === 200 && res.body.includes(marker)) {
      return performance.now() - started;
    }
    await new Promise(r => setTimeout(r, 10));
  }
  return undefined;
}

async function measureSample(
  options: PropagationOptions,
  sample: number,
  timeoutMs: number,
): Promise<SampleTimes> {
  const { simulator, backend } = options;
  const entityIndex =
    options.entityIndexes[sample % options.entityIndexes.length];
  const name = scaleCanaryName(entityIndex);
  const cluster = options.clusters[sample % options.clusters.length];
  const namespace = await canaryNamespace(simulator, cluster, name);
  const view = TARGETS.ours.view(entityIndex);
  const live = await LiveStream.open(
    `${backend.baseUrl}${view.path}/events`,
    backend.token,
  );
  try {
    // The stream sends the current state first; measure only what comes after the change.
    await live.waitForState(() => true, performance.now() + timeoutMs);
    const marker = markerTime(sample);
    const times: SampleTimes = {};
    const started = performance.now();
    const deadline = started + timeoutMs;
    const patched = simulator
      .request(
        cluster,
        `/apis/flagger.app/v1beta1/namespaces/${namespace}/canaries/${name}/status`,
        {
          method: 'PATCH',
          contentType: 'application/merge-patch+json',
          body: { status: { lastTransitionTime: marker } },
        },
      )
      .then(res => {
        times.write = performance.now() - started;
        return res;
      });
    const viaLive = live
      .waitForState(data => data.includes(marker), deadline)
      .then(seen => (seen ? performance.now() - started : undefined));
    const viaApi = apiShows(backend, view, marker, started, deadline);
    const patchResponse = await patched;
    if (patchResponse.status !== 200) {
      throw new Error(
        `status patch of ${cluster.name}/${namespace}/${name} failed: ${patchResponse.status} ${patchResponse.body}`,
      );
    }
    times.api = await viaApi;
    times.live = await viaLive;
    return times;
  } finally {
    live.close();
  }
}

/**
 * Changes a canary's status in the simulator (a merge patch of `status.lastTransitionTime`,
 * which our API returns as `progress.lastTransitionTime`) and times how long until our API
 * and our live channel show it. Canaries and clusters rotate across samples.
 */
export async function measurePropagation(
  options: PropagationOptions,
): Promise<PropagationResult> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const samples: SampleTimes[] = [];
  for (let sample = 0; sample < options.samples; sample++) {
    samples.push(await measureSample(options, sample, timeoutMs));
  }
  return {
    clusterWrite: summarizeDurations(samples.map(t => t.write)),
    api: summarizeDurations(samples.map(t => t.api)),
    liveChannel: summarizeDurations(samples.map(t => t.live)),
  };
}
