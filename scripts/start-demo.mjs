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
import {
  existsSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// `--catalog-clusters`: the second demo configuration (app-config.catalog-clusters.yaml), where
// dev-eu-1 is declared in the catalog and signs in with AWS IAM. Other arguments go to the
// simulator (e.g. `--speed 4`).
const catalogClusters = process.argv.includes('--catalog-clusters');
const extraArgs = process.argv
  .slice(2)
  .filter(arg => arg !== '--catalog-clusters');
// The demo's AWS credentials (AWS's documented example key), known to the simulator's STS double.
const DEMO_AWS = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  arn: 'arn:aws:iam::111122223333:role/backstage-demo',
};
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
    ...(catalogClusters
      ? [
          '--aws-access-key',
          `${DEMO_AWS.accessKeyId}:${DEMO_AWS.secretAccessKey}:${DEMO_AWS.arn}`,
        ]
      : []),
    ...extraArgs,
  ]);
}

/**
 * Writes dev-eu-1 as a catalog Resource (kubernetes-cluster) once the simulator has written its
 * CA, which the entity must carry (the catalog locator requires the CA annotation).
 */
async function writeCatalogClusters() {
  const caFile = join(root, '.cluster-simulator/ca.crt');
  const target = join(root, '.cluster-simulator/catalog-clusters.yaml');
  rmSync(target, { force: true });
  const startedAt = Date.now();
  while (!existsSync(caFile) || statSync(caFile).mtimeMs < startedAt - 1000) {
    if (Date.now() - startedAt > 120_000) {
      process.stdout.write(
        '[demo] the simulator wrote no CA within 2 minutes\n',
      );
      return;
    }
    await new Promise(resolve => setTimeout(resolve, 250));
  }
  const caData = readFileSync(caFile).toString('base64');
  writeFileSync(
    target,
    [
      '# Written by scripts/start-demo.mjs --catalog-clusters: the simulator makes a new CA per run.',
      'apiVersion: backstage.io/v1alpha1',
      'kind: Resource',
      'metadata:',
      '  name: dev-eu-1',
      '  title: dev-eu-1 (EKS-style, AWS IAM)',
      '  annotations:',
      '    kubernetes.io/api-server: https://127.0.0.1:6444',
      `    kubernetes.io/api-server-certificate-authority: ${caData}`,
      '    kubernetes.io/auth-provider: aws',
      '    kubernetes.io/x-k8s-aws-id: dev-eu-1',
      'spec:',
      '  type: kubernetes-cluster',
      '  owner: group:default/platform',
      '',
    ].join('\n'),
  );
  process.stdout.write(`[demo] dev-eu-1 declared in the catalog: ${target}\n`);
}
if (catalogClusters) {
  // The catalog keeps entities across restarts (.demo-data); the cluster entity of the last run
  // carries that run's CA. Its database is rebuilt from the files at once, so dev-eu-1 is not
  // read with a stale CA until the next refresh; the other plugins' data (rollout history) stays.
  rmSync(join(root, '.demo-data/catalog.sqlite'), {
    force: true,
  });
  writeCatalogClusters();
}

const gitopsBin = join(
  root,
  'plugins/scaffolder-backend-module-progressive-delivery/bin/gitops-test-double',
);
if (existsSync(gitopsBin)) {
  start('gitops', process.execPath, [gitopsBin, '--port', '7008']);
}

start(
  'backstage',
  join(root, 'node_modules/.bin/backstage-cli'),
  [
    'repo',
    'start',
    ...(catalogClusters
      ? [
          '--config',
          join(root, 'app-config.yaml'),
          '--config',
          join(root, 'app-config.catalog-clusters.yaml'),
        ]
      : []),
  ],
  catalogClusters
    ? {
        env: {
          ...process.env,
          AWS_ACCESS_KEY_ID: DEMO_AWS.accessKeyId,
          AWS_SECRET_ACCESS_KEY: DEMO_AWS.secretAccessKey,
          AWS_REGION: 'eu-west-1',
        },
      }
    : {},
);
