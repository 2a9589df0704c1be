#!/usr/bin/env node
// Starts the whole demo: the cluster simulator (two clusters, HTTPS, kubeconfig and CA under
// .cluster-simulator/) with one real Prometheus per cluster when Debian's `prometheus` is
// installed (:9090 scrapes prod-eu-1, :9091 dev-eu-1; config and data under
// .cluster-simulator/prometheus/, started and stopped by the simulator; each cluster's API server
// also serves its Prometheus through the service proxy as istio-system/prometheus:9090, where
// Flagger's MetricTemplates point), the local GitOps test
// double for the tenant template, then the Backstage backend (:7007) and frontend (:3000).
// Ctrl-C stops all of them.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const extraArgs = process.argv.slice(2);
const children = [];

function start(name, command, args, options = {}) {
  const child = spawn(command, args, {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: process.env,
    // Each part gets its own process group, so stopping it also stops what it started
    // (backstage-cli runs the backend and the frontend dev server as further processes).
    detached: true,
    ...options,
  });
  const prefix = `[${name}] `;
  for (const stream of [child.stdout, child.stderr]) {
    let rest = '';
    stream.on('data', chunk => {
      const lines = (rest + chunk.toString()).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) process.stdout.write(prefix + line + '\n');
    });
  }
  child.on('exit', (code, signal) => {
    process.stdout.write(`${prefix}exited (${signal ?? code})\n`);
    // One part of the demo dying leaves a broken demo: stop everything and say so.
    shutdown(code ?? 1);
  });
  children.push(child);
  return child;
}

function signalGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // the group is gone already
  }
}

let stopping = false;
function shutdown(code) {
  if (stopping) return;
  stopping = true;
  for (const child of children) signalGroup(child, 'SIGTERM');
  // The backend's graceful shutdown can take a while; do not leave anything holding the ports.
  setTimeout(() => {
    for (const child of children) signalGroup(child, 'SIGKILL');
    process.exit(code);
  }, 5000).unref();
}
process.on('SIGINT', () => shutdown(0));
process.on('SIGTERM', () => shutdown(0));

const simulatorBin = join(
  root,
  'packages/cluster-simulator/bin/cluster-simulator',
);
if (existsSync(simulatorBin)) {
  start('simulator', process.execPath, [
    simulatorBin,
    '--scenario',
    'demo',
    '--kubeconfig',
    join(root, '.cluster-simulator/kubeconfig'),
    // A Prometheus per cluster, in the background: the simulator serves before they are ready,
    // and says where they are (or that Prometheus is not installed).
    '--prometheus-port',
    '9090',
    '--prometheus-dir',
    join(root, '.cluster-simulator/prometheus'),
    ...extraArgs,
  ]);
}

const gitopsBin = join(
  root,
  'plugins/scaffolder-backend-module-progressive-delivery/bin/gitops-test-double',
);
if (existsSync(gitopsBin)) {
  start('gitops', process.execPath, [gitopsBin, '--port', '7008']);
}

start('backstage', join(root, 'node_modules/.bin/backstage-cli'), [
  'repo',
  'start',
]);
