import { ChildProcess, spawn, SpawnOptions } from 'node:child_process';
import path from 'node:path';

/** The workspace's root directory (this package is a test of the workspace, never built). */
// eslint-disable-next-line no-restricted-syntax
export const ROOT = path.resolve(__dirname, '../../..');

/** The workspace's own tools, run with the Node that runs the test. */
export const BACKSTAGE_CLI = path.join(
  ROOT,
  'node_modules/@backstage/cli/bin/backstage-cli',
);
export const TSC = path.join(ROOT, 'node_modules/typescript/bin/tsc');

/** The npm that belongs to the running Node (pd.sh puts it first on PATH). */
export const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

export interface RunResult {
  code: number | null;
  /** stdout and stderr as they came. */
  output: string;
  stdout: string;
}

/** The last `n` characters of a command's output, for an error message. */
export const tail = (text: string, n = 4000) =>
  text.length > n ? `...${text.slice(-n)}` : text;

/**
 * Runs a command to its end and returns its exit code and combined output. Rejects on a
 * non-zero exit (unless `allowFailure`) or after `timeoutMs`, with the output's tail.
 */
export function run(
  command: string,
  args: string[],
  options: SpawnOptions & { timeoutMs?: number; allowFailure?: boolean } = {},
): Promise<RunResult> {
  const {
    timeoutMs = 240_000,
    allowFailure = false,
    ...spawnOptions
  } = options;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      ...spawnOptions,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let stdout = '';
    child.stdout?.on('data', chunk => {
      output += chunk;
      stdout += chunk;
    });
    child.stderr?.on('data', chunk => (output += chunk));
    const what = `${path.basename(command)} ${args.join(' ')} (in ${
      spawnOptions.cwd ?? process.cwd()
    })`;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${what} took over ${timeoutMs} ms:\n${tail(output)}`));
    }, timeoutMs);
    child.on('error', error => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', code => {
      clearTimeout(timer);
      if (code !== 0 && !allowFailure) {
        reject(new Error(`${what} exited with ${code}:\n${tail(output)}`));
      } else {
        resolve({ code, output, stdout });
      }
    });
  });
}

/** Ends a child process: SIGTERM, then SIGKILL after `graceMs`. */
export async function stopProcess(
  child: ChildProcess,
  graceMs = 10_000,
): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return;
  }
  const exited = new Promise<void>(resolve =>
    child.once('exit', () => resolve()),
  );
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
