import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { trackChild } from './childProcesses';
import readline from 'node:readline';
import { SimulatedClusterInfo } from './backendConfig';
import { httpRequest } from './httpRequest';

/** The simulator's request counters of one cluster (`GET /_simulator/counters`). */
export interface RequestCounts {
  total: number;
  byVerb: Record<string, number>;
  byVerbAndResource: Record<string, number>;
}

export const SIMULATOR_TOKEN = 'simulator-token';

/** Parses the simulator's start-up lines: `cluster NAME listening on URL`. */
export function parseClusterLine(
  line: string,
): SimulatedClusterInfo | undefined {
  const match = line.match(/^cluster (\S+) listening on (\S+)$/);
  return match ? { name: match[1], url: match[2] } : undefined;
}

/** Parses `scenario scale: 2 cluster(s), 580 objects in 179 ms` into the object count. */
export function parseObjectCount(line: string): number | undefined {
  const match = line.match(/^scenario \S+: \d+ cluster\(s\), (\d+) objects/);
  return match ? Number(match[1]) : undefined;
}

/** Adds up counters of several clusters. */
export function sumCounts(counts: RequestCounts[]): RequestCounts {
  const sum: RequestCounts = { total: 0, byVerb: {}, byVerbAndResource: {} };
  for (const c of counts) {
    sum.total += c.total;
    for (const [k, v] of Object.entries(c.byVerb)) {
      sum.byVerb[k] = (sum.byVerb[k] ?? 0) + v;
    }
    for (const [k, v] of Object.entries(c.byVerbAndResource)) {
      sum.byVerbAndResource[k] = (sum.byVerbAndResource[k] ?? 0) + v;
    }
  }
  return sum;
}

/**
 * The cluster simulator's `scale` scenario in its own process, so its event loop and CPU
 * are not the load generator's. Counters are read over its HTTP control API.
 */
export class SimulatorProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly clusters: SimulatedClusterInfo[],
    readonly caFile: string,
    readonly ca: string,
    /** Objects in all simulated clusters at start. */
    readonly objects: number,
  ) {}

  get pid(): number {
    return this.child.pid!;
  }

  static async start(options: {
    clusters: number;
    canaries: number;
    workDir: string;
    timeoutMs?: number;
  }): Promise<SimulatorProcess> {
    const bin = path.join(
      path.dirname(require.resolve('@internal/cluster-simulator/package.json')),
      'bin',
      'cluster-simulator',
    );
    const kubeconfig = path.join(options.workDir, 'kubeconfig');
    const child = spawn(
      process.execPath,
      [
        bin,
        '--scenario',
        'scale',
        '--clusters',
        String(options.clusters),
        '--canaries',
        String(options.canaries),
        '--port',
        '0',
        '--kubeconfig',
        kubeconfig,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    trackChild(child);
    const log = fs.createWriteStream(
      path.join(options.workDir, 'simulator.log'),
    );
    child.stderr!.pipe(log);
    const clusters: SimulatedClusterInfo[] = [];
    let objects = 0;
    const caFile = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error('the simulator did not start in time')),
        options.timeoutMs ?? 300_000,
      );
      child.once('exit', code =>
        reject(
          new Error(`the simulator exited with code ${code}, see ${log.path}`),
        ),
      );
      readline.createInterface({ input: child.stdout! }).on('line', line => {
        log.write(`${line}\n`);
        objects = parseObjectCount(line) ?? objects;
        const cluster = parseClusterLine(line);
        if (cluster) {
          clusters.push(cluster);
        }
        const ca = line.match(/^CA certificate: (.+)$/);
        if (ca) {
          clearTimeout(timer);
          resolve(ca[1]);
        }
      });
    });
    return new SimulatorProcess(
      child,
      clusters,
      caFile,
      fs.readFileSync(caFile, 'utf8'),
      objects,
    );
  }

  async resetCounters(): Promise<void> {
    await Promise.all(
      this.clusters.map(c =>
        httpRequest(`${c.url}/_simulator/counters/reset`, {
          method: 'POST',
          ca: this.ca,
        }),
      ),
    );
  }

  /** The counters of all clusters, added up. */
  async counters(): Promise<RequestCounts> {
    const all = await Promise.all(
      this.clusters.map(async c => {
        const res = await httpRequest(`${c.url}/_simulator/counters`, {
          ca: this.ca,
        });
        return JSON.parse(res.body) as RequestCounts;
      }),
    );
    return sumCounts(all);
  }

  /**
   * The counters once they stop moving: views still in flight when the load generator stops
   * keep calling the clusters for a while.
   */
  async settledCounters(
    quietMs = 1000,
    timeoutMs = 120_000,
  ): Promise<RequestCounts> {
    const deadline = performance.now() + timeoutMs;
    let last = await this.counters();
    while (performance.now() < deadline) {
      await new Promise(r => setTimeout(r, quietMs));
      const now = await this.counters();
      if (now.total === last.total) {
        return now;
      }
      last = now;
    }
    return last;
  }

  /** Sends a Kubernetes API request to one cluster with the simulator's token. */
  request(
    cluster: SimulatedClusterInfo,
    apiPath: string,
    init: { method?: string; body?: unknown; contentType?: string } = {},
  ) {
    return httpRequest(`${cluster.url}${apiPath}`, {
      method: init.method,
      ca: this.ca,
      headers: {
        Authorization: `Bearer ${SIMULATOR_TOKEN}`,
        ...(init.body !== undefined
          ? { 'Content-Type': init.contentType ?? 'application/json' }
          : {}),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) {
      return;
    }
    const exited = new Promise(resolve => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    await exited;
  }
}
