import { ChildProcess } from 'node:child_process';

const running = new Set<ChildProcess>();
let hooked = false;

function killAll() {
  for (const child of running) {
    child.kill('SIGKILL');
  }
}

/**
 * Remembers a child process so it is killed when the bench exits, also on Ctrl-C or a crash:
 * a leftover simulator or backend would skew the next run.
 */
export function trackChild(child: ChildProcess): void {
  running.add(child);
  child.once('exit', () => running.delete(child));
  if (!hooked) {
    hooked = true;
    process.once('exit', killAll);
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        killAll();
        process.exit(130);
      });
    }
  }
}
