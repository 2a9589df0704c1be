import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { trackChild } from './childProcesses';
import { backendConfig, BackendConfigOptions } from './backendConfig';
import { BACKEND_ENTRY, BENCH_DIR, NODE_TRANSFORM } from './paths';
import { ViewRequest } from './targets';

/** A free TCP port on the loopback interface. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise(resolve => server.close(resolve));
  return port;
}

export interface BackendResponse {
  status: number;
  body: string;
}

/**
 * One Backstage backend (createBackend from backend-defaults) in its own process, run built
 * by plain node (or from source with Backstage's node transform), logging to a file so its
 * output costs the load generator nothing.
 */
export class BackendProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly baseUrl: string,
    readonly token: string,
    readonly startedAt: number,
    readonly logFile: string,
    /** Port of the V8 inspector, for heap measurements. */
    readonly inspectorPort: number,
  ) {}

  get pid(): number {
    return this.child.pid!;
  }

  get exited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }

  static start(
    options: Omit<BackendConfigOptions, 'port'> & {
      port: number;
      inspectorPort: number;
      workDir: string;
      profileDir?: string;
      /** The built backend (see serverBuild); without it, the backend runs from source. */
      builtEntry?: string;
      /** Names the config and log files (default: the target). */
      name?: string;
    },
  ): BackendProcess {
    const name = options.name ?? options.target;
    const configFile = path.join(options.workDir, `${name}.config.json`);
    fs.writeFileSync(
      configFile,
      JSON.stringify(backendConfig(options), null, 2),
    );
    const logFile = path.join(options.workDir, `${name}.log`);
    const log = fs.openSync(logFile, 'w');
    const startedAt = performance.now();
    const child = spawn(
      process.execPath,
      [
        `--inspect=127.0.0.1:${options.inspectorPort}`,
        ...(options.profileDir
          ? ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`]
          : []),
        ...(options.builtEntry
          ? [options.builtEntry]
          : // Backstage's own loader for running backends from source (`backstage-cli package
            // start`): TypeScript outside node_modules compiled with SWC, packages natively.
            ['--require', NODE_TRANSFORM, BACKEND_ENTRY]),
        '--config',
        configFile,
      ],
      {
        cwd: BENCH_DIR,
        env: {
          ...process.env,
          BENCH_TARGET: options.target,
          NODE_ENV: 'production',
        },
        stdio: ['ignore', log, log],
      },
    );
    trackChild(child);
    fs.closeSync(log);
    return new BackendProcess(
      child,
      `http://127.0.0.1:${options.port}`,
      options.token,
      startedAt,
      logFile,
      options.inspectorPort,
    );
  }

  async send(view: ViewRequest): Promise<BackendResponse> {
    const res = await fetch(`${this.baseUrl}${view.path}`, {
      method: view.method,
      headers: {
        Authorization: `Bearer ${this.token}`,
        ...(view.body ? { 'Content-Type': 'application/json' } : {}),
      },
      body: view.body,
    });
    return { status: res.status, body: await res.text() };
  }

  /**
   * Repeats `view` until `accept` says yes; resolves with the time since the process was
   * spawned. Connection errors while the backend starts count as "not yet".
   */
  async waitFor(
    view: ViewRequest,
    accept: (res: BackendResponse) => boolean,
    options: { timeoutMs: number; intervalMs?: number; what: string },
  ): Promise<number> {
    const deadline = performance.now() + options.timeoutMs;
    let last = 'no answer';
    let logCheckedAt = performance.now();
    while (performance.now() < deadline) {
      if (this.exited) {
        throw new Error(
          `the backend exited while waiting for ${options.what}; see ${this.logFile}`,
        );
      }
      // A plugin failing at start leaves the backend up but answering 503 for good.
      if (performance.now() - logCheckedAt > 2000) {
        logCheckedAt = performance.now();
        if (
          fs.readFileSync(this.logFile, 'utf8').includes('BackendStartupError')
        ) {
          throw new Error(`the backend failed to start; see ${this.logFile}`);
        }
      }
      try {
        const res = await this.send(view);
        if (accept(res)) {
          return performance.now() - this.startedAt;
        }
        last = `${res.status} ${res.body.slice(0, 200)}`;
      } catch (e) {
        last = String(e);
      }
      await new Promise(r => setTimeout(r, options.intervalMs ?? 50));
    }
    throw new Error(
      `timed out waiting for ${options.what} (last answer: ${last}); see ${this.logFile}`,
    );
  }

  async stop(): Promise<void> {
    if (this.exited) {
      return;
    }
    const exited = new Promise(resolve => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}
