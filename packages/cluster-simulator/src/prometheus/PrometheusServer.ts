import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { SCRAPE_JOB, ScrapeTarget, prometheusConfig } from './config';

/** Where Debian's `prometheus` package puts the server. */
export const DEFAULT_PROMETHEUS_PATH = '/usr/bin/prometheus';

/**
 * The Prometheus server binary: `$PROMETHEUS_PATH` when set (and executable),
 * else Debian's `/usr/bin/prometheus`, else `prometheus` on `PATH`;
 * `undefined` when there is none.
 */
export function findPrometheus(
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const candidates = env.PROMETHEUS_PATH
    ? [env.PROMETHEUS_PATH]
    : [
        DEFAULT_PROMETHEUS_PATH,
        ...(env.PATH ?? '')
          .split(path.delimiter)
          .filter(Boolean)
          .map(dir => path.join(dir, 'prometheus')),
      ];
  return candidates.find(file => {
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return fs.statSync(file).isFile();
    } catch {
      return false;
    }
  });
}

export interface PrometheusServerOptions extends ScrapeTarget {
  /** The server binary; default `findPrometheus()`. */
  binary?: string;
  /** Loopback address to listen on (default 127.0.0.1). */
  host?: string;
  /** Port to listen on; 0 or absent: a free one. A busy port falls back to a free one. */
  port?: number;
  /**
   * Folder for `prometheus.yml` and the TSDB (`data/`), kept after stop
   * (the demo's history). Absent: a temporary folder, removed on stop.
   */
  dir?: string;
  /** PEM text of the cluster's CA, written beside the config (instead of `caFile`). */
  caPem?: string;
  /** How long to wait for `/-/ready` (default 30 s). */
  readyTimeoutMs?: number;
  /** TSDB retention (default `2d`). */
  retention?: string;
}

/** One sample of an instant query. */
export interface PromSample {
  metric: Record<string, string>;
  /** Unix time in seconds. */
  time: number;
  value: number;
}

/** One series of a range query. */
export interface PromSeries {
  metric: Record<string, string>;
  values: Array<{ time: number; value: number }>;
}

const STOP_GRACE_MS = 5000;

/**
 * A real Prometheus server (Debian's `prometheus` binary) that scrapes one
 * simulated cluster: `start()` writes its configuration, runs it on a
 * loopback port with its own TSDB and waits until it is ready; `query()` and
 * `queryRange()` call its HTTP API; `stop()` ends it (SIGTERM, then
 * SIGKILL) and removes a temporary data folder.
 */
export class PrometheusServer {
  private readonly exited: Promise<void>;
  private stopped = false;
  private spawnFailed = false;

  private constructor(
    private readonly child: ChildProcess,
    /** Base URL, e.g. `http://127.0.0.1:9090`. */
    readonly url: string,
    readonly port: number,
    /** The generated `prometheus.yml`. */
    readonly configFile: string,
    /** The TSDB folder. */
    readonly dataDir: string,
    private readonly removeOnStop: string | undefined,
    private readonly stderr: string[],
  ) {
    this.exited = new Promise(resolve => {
      child.once('exit', () => resolve());
      child.once('error', e => {
        // The binary could not be run at all: there will be no 'exit'.
        this.spawnFailed = true;
        stderr.push(String(e));
        resolve();
      });
    });
  }

  /** Starts a Prometheus that scrapes `options.url`, and waits until it is ready. */
  static async start(
    options: PrometheusServerOptions,
  ): Promise<PrometheusServer> {
    const binary = options.binary ?? findPrometheus();
    if (!binary) {
      throw new Error(
        'no Prometheus server found: install Debian\'s "prometheus" package (apt-get install -y prometheus) or set PROMETHEUS_PATH',
      );
    }
    const host = options.host ?? '127.0.0.1';
    const temporary = options.dir
      ? undefined
      : fs.mkdtempSync(path.join(os.tmpdir(), 'pd-prometheus-'));
    const dir = options.dir ?? temporary!;
    const dataDir = path.join(dir, 'data');
    fs.mkdirSync(dataDir, { recursive: true });
    let caFile = options.caFile;
    if (options.caPem) {
      caFile = path.join(dir, 'ca.crt');
      fs.writeFileSync(caFile, options.caPem);
    }
    const configFile = path.join(dir, 'prometheus.yml');
    fs.writeFileSync(configFile, prometheusConfig({ ...options, caFile }));

    let port = options.port || (await freePort(host));
    if (options.port && !(await portIsFree(host, port))) {
      port = await freePort(host);
    }
    const stderr: string[] = [];
    const child = spawn(
      binary,
      [
        `--config.file=${configFile}`,
        `--storage.tsdb.path=${dataDir}`,
        `--storage.tsdb.retention.time=${options.retention ?? '2d'}`,
        `--web.listen-address=${host}:${port}`,
        '--log.level=warn',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    child.stderr?.on('data', chunk => {
      stderr.push(...chunk.toString().split('\n').filter(Boolean));
      stderr.splice(0, Math.max(0, stderr.length - 50));
    });
    const server = new PrometheusServer(
      child,
      `http://${host}:${port}`,
      port,
      configFile,
      dataDir,
      temporary,
      stderr,
    );
    try {
      await server.waitUntilReady(options.readyTimeoutMs ?? 30_000);
    } catch (e) {
      await server.stop();
      throw e;
    }
    return server;
  }

  /** Whether the process has ended. */
  get running(): boolean {
    return (
      !this.spawnFailed &&
      this.child.exitCode === null &&
      this.child.signalCode === null
    );
  }

  /** Runs an instant query (at `time`, Unix seconds, default now); a vector or scalar as samples. */
  async query(promql: string, time?: number): Promise<PromSample[]> {
    const params = new URLSearchParams({ query: promql });
    if (time !== undefined) params.set('time', String(time));
    const data = await this.api('query', params);
    if (data.resultType === 'scalar') {
      const [t, v] = data.result as [number, string];
      return [{ metric: {}, time: t, value: Number(v) }];
    }
    return (
      data.result as Array<{
        metric: Record<string, string>;
        value: [number, string];
      }>
    ).map(r => ({
      metric: r.metric,
      time: r.value[0],
      value: Number(r.value[1]),
    }));
  }

  /** Runs a range query; `start`/`end` in Unix seconds, `step` in seconds. */
  async queryRange(
    promql: string,
    range: { start: number; end: number; step: number },
  ): Promise<PromSeries[]> {
    const data = await this.api(
      'query_range',
      new URLSearchParams({
        query: promql,
        start: String(range.start),
        end: String(range.end),
        step: String(range.step),
      }),
    );
    return (
      data.result as Array<{
        metric: Record<string, string>;
        values: Array<[number, string]>;
      }>
    ).map(r => ({
      metric: r.metric,
      values: r.values.map(([time, v]) => ({ time, value: Number(v) })),
    }));
  }

  /** Waits until the cluster has been scraped successfully `count` times. */
  async waitForScrapes(count: number, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const promql = `sum_over_time(up{job="${SCRAPE_JOB}"}[1h])`;
    for (;;) {
      const [sample] = await this.query(promql);
      if ((sample?.value ?? 0) >= count) return;
      if (Date.now() > deadline) {
        throw new Error(
          `Prometheus at ${this.url} scraped ${
            sample?.value ?? 0
          } of ${count} times within ${timeoutMs} ms${this.stderrTail()}`,
        );
      }
      await sleep(250);
    }
  }

  /** Ends the server (SIGTERM, SIGKILL after 5 s) and removes a temporary data folder. */
  async stop(): Promise<void> {
    if (!this.stopped) {
      this.stopped = true;
      if (this.running) this.child.kill('SIGTERM');
      let grace: NodeJS.Timeout | undefined;
      const killed = await Promise.race([
        this.exited.then(() => false),
        new Promise<boolean>(resolve => {
          grace = setTimeout(() => resolve(true), STOP_GRACE_MS);
        }),
      ]);
      // Not left pending once the process has exited (it would hold the test worker).
      clearTimeout(grace);
      if (killed && this.running) {
        this.child.kill('SIGKILL');
        await this.exited;
      }
    }
    if (this.removeOnStop) {
      fs.rmSync(this.removeOnStop, { recursive: true, force: true });
    }
  }

  private async waitUntilReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (!this.running) {
        throw new Error(
          `Prometheus exited before it was ready${this.stderrTail()}`,
        );
      }
      try {
        const res = await fetch(`${this.url}/-/ready`);
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) {
        throw new Error(
          `Prometheus at ${
            this.url
          } not ready within ${timeoutMs} ms${this.stderrTail()}`,
        );
      }
      await sleep(100);
    }
  }

  private async api(
    endpoint: string,
    params: URLSearchParams,
  ): Promise<{ resultType: string; result: unknown }> {
    const res = await fetch(`${this.url}/api/v1/${endpoint}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: params.toString(),
    });
    const body = (await res.json()) as {
      status: string;
      data?: { resultType: string; result: unknown };
      error?: string;
    };
    if (body.status !== 'success' || !body.data) {
      throw new Error(
        `Prometheus ${endpoint} failed (${res.status}): ${
          body.error ?? 'no data'
        }`,
      );
    }
    return body.data;
  }

  private stderrTail(): string {
    const tail = this.stderr.slice(-5).join('\n');
    return tail ? `:\n${tail}` : '';
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms));
}

/** A port the OS just handed out on `host` (free at the time of asking). */
function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function portIsFree(host: string, port: number): Promise<boolean> {
  return new Promise(resolve => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}
