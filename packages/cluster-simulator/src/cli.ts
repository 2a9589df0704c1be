/* eslint-disable no-console */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { AwsAccessKey } from './api/awsIam';
import { OidcConfig } from './api/oidc';
import { Simulator, SimulatorOptions, startSimulator } from './Simulator';
import {
  findPrometheus,
  PrometheusServer,
} from './prometheus/PrometheusServer';
import { startSimulatorPrometheus } from './prometheus/clusterPrometheus';

const USAGE = `Usage: cluster-simulator --scenario demo|scale|empty [options]

  --scenario NAME     demo (two clusters), scale (--clusters N --canaries M) or empty
  --port N            port of the first cluster; the next clusters use N+1, N+2, ... (default 6443)
  --host H            address to listen on (default 127.0.0.1)
  --http              plain HTTP instead of HTTPS (kubectl sends no token over HTTP, so
                      requests without a token are then served with full access)
  --speed X           simulated seconds per real second (default 1)
  --kubeconfig FILE   where to write the kubeconfig; ca.crt is written beside it
                      (default <repo root>/.cluster-simulator/kubeconfig)
  --token T           bearer token (default simulator-token)
  --token-file FILE   also accept the current content of FILE as a token, re-read on every
                      request (a rotated service-account token); repeatable
  --aws-access-key ID:SECRET:ARN  accept EKS-style AWS IAM tokens (k8s-aws-v1., presigned STS
                      GetCallerIdentity for the cluster's name) signed with this key; the user
                      is ARN (repeatable)
  --oidc-issuer-url URL  accept OIDC ID tokens from this issuer (as kube-apiserver's flag),
                      with --oidc-client-id ID (the audience) and the keys from
                      --oidc-jwks-file FILE (re-read when it changes) or --oidc-jwks-uri URL;
                      --oidc-username-claim (default sub), --oidc-username-prefix
                      (default issuer#, none for email, '-' for none), --oidc-groups-claim,
                      --oidc-groups-prefix, --oidc-signing-algs (default RS256)
  --clusters N        scale: number of clusters (default 1)
  --canaries M        scale: canaries per cluster (default 100)
  --warmup SECONDS    simulated time to run before serving (demo default 150)
  --prometheus-port N start a real Prometheus per cluster (Debian's prometheus, or
                      $PROMETHEUS_PATH) scraping that cluster's /metrics, the first on
                      port N, the next on N+1, ...; skipped with a message when not installed;
                      each is also the endpoint of its cluster's istio-system/prometheus:9090
                      Service (reachable through the API server's service proxy)
  --prometheus-dir D  their configs and data, one folder per cluster
                      (default: prometheus/ beside the kubeconfig)
  --scrape-interval I how often they scrape (default 15s)
`;

/** Where and how the CLI runs a Prometheus per cluster (`--prometheus-port`). */
export interface CliPrometheusOptions {
  firstPort: number;
  dir: string;
  scrapeInterval: string;
}

/** <repo root>: packages/cluster-simulator/src -> three levels up. */
// eslint-disable-next-line no-restricted-syntax
const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

const CLI_OPTIONS = {
  scenario: { type: 'string', default: 'demo' },
  port: { type: 'string', default: '6443' },
  host: { type: 'string', default: '127.0.0.1' },
  http: { type: 'boolean', default: false },
  speed: { type: 'string', default: '1' },
  kubeconfig: { type: 'string' },
  token: { type: 'string' },
  'token-file': { type: 'string', multiple: true },
  'aws-access-key': { type: 'string', multiple: true },
  'oidc-issuer-url': { type: 'string' },
  'oidc-client-id': { type: 'string' },
  'oidc-jwks-file': { type: 'string' },
  'oidc-jwks-uri': { type: 'string' },
  'oidc-username-claim': { type: 'string' },
  'oidc-username-prefix': { type: 'string' },
  'oidc-groups-claim': { type: 'string' },
  'oidc-groups-prefix': { type: 'string' },
  'oidc-signing-algs': { type: 'string' },
  clusters: { type: 'string' },
  canaries: { type: 'string' },
  warmup: { type: 'string' },
  'prometheus-port': { type: 'string' },
  'prometheus-dir': { type: 'string' },
  'scrape-interval': { type: 'string', default: '15s' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

type CliValues = ReturnType<
  typeof parseArgs<{ options: typeof CLI_OPTIONS }>
>['values'];

/** `ID:SECRET:ARN` (the ARN has colons of its own) as an access key of the STS double. */
export function parseAwsAccessKey(value: string): AwsAccessKey {
  const m = /^([^:]+):([^:]+):(arn:.+)$/.exec(value);
  if (!m) {
    throw new Error(
      `--aws-access-key must be ACCESS_KEY_ID:SECRET:ARN, got "${value}"`,
    );
  }
  return { accessKeyId: m[1], secretAccessKey: m[2], arn: m[3] };
}

/** The sign-in options: token files, AWS keys and OIDC (kube-apiserver's `--oidc-*` flags). */
function authOptions(values: CliValues): Pick<
  SimulatorOptions,
  'tokenFiles' | 'oidc' | 'awsAccessKeys'
> & {
  oidcJwksFile?: string;
} {
  const aws = (values['aws-access-key'] ?? []).map(parseAwsAccessKey);
  return {
    ...(aws.length ? { awsAccessKeys: aws } : {}),
    ...tokenAndOidcOptions(values),
  };
}

function tokenAndOidcOptions(
  values: CliValues,
): Pick<SimulatorOptions, 'tokenFiles' | 'oidc'> & { oidcJwksFile?: string } {
  const tokenFiles = (values['token-file'] ?? []).map(f => ({
    path: path.resolve(f),
  }));
  const issuerUrl = values['oidc-issuer-url'];
  if (!issuerUrl) return tokenFiles.length ? { tokenFiles } : {};
  const clientId = values['oidc-client-id'];
  const jwksFile = values['oidc-jwks-file'];
  const jwksUri = values['oidc-jwks-uri'];
  if (!clientId || (!jwksFile && !jwksUri)) {
    throw new Error(
      '--oidc-issuer-url needs --oidc-client-id and --oidc-jwks-file or --oidc-jwks-uri',
    );
  }
  const oidc: OidcConfig = {
    issuerUrl,
    clientId,
    ...(jwksFile ? { jwks: readJwksFile(jwksFile) } : { jwksUri }),
    usernameClaim: values['oidc-username-claim'],
    usernamePrefix: values['oidc-username-prefix'],
    groupsClaim: values['oidc-groups-claim'],
    groupsPrefix: values['oidc-groups-prefix'],
    signingAlgs: values['oidc-signing-algs']?.split(','),
  };
  return {
    ...(tokenFiles.length ? { tokenFiles } : {}),
    oidc,
    ...(jwksFile ? { oidcJwksFile: path.resolve(jwksFile) } : {}),
  };
}

/** A JWK set (`{"keys": [...]}`) from a JSON file. */
export function readJwksFile(file: string): NonNullable<OidcConfig['jwks']> {
  const parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (!parsed || !Array.isArray(parsed.keys)) {
    throw new Error(`${file} is not a JWK set ({"keys": [...]})`);
  }
  return parsed;
}

export function parseCli(argv: string[]): SimulatorOptions & {
  help?: boolean;
  prometheus?: CliPrometheusOptions;
  oidcJwksFile?: string;
} {
  const { values } = parseArgs({
    args: argv,
    options: CLI_OPTIONS,
    strict: true,
  });
  const scenario = values.scenario as SimulatorOptions['scenario'];
  if (!['demo', 'scale', 'empty'].includes(scenario)) {
    throw new Error(`unknown scenario "${scenario}"`);
  }
  const num = (v: string | undefined, name: string) => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0)
      throw new Error(`--${name} must be a number`);
    return n;
  };
  const kubeconfigPath = path.resolve(
    values.kubeconfig ??
      path.join(REPO_ROOT, '.cluster-simulator', 'kubeconfig'),
  );
  const prometheusPort = num(values['prometheus-port'], 'prometheus-port');
  const warmupSeconds =
    num(values.warmup, 'warmup') ?? (scenario === 'demo' ? 150 : 0);
  return {
    help: values.help,
    scenario,
    port: num(values.port, 'port'),
    host: values.host,
    http: values.http,
    anonymous: values.http,
    speed: num(values.speed, 'speed'),
    kubeconfigPath,
    token: values.token,
    ...authOptions(values),
    clusters: num(values.clusters, 'clusters'),
    canaries: num(values.canaries, 'canaries'),
    clock: 'real',
    warmupMs: warmupSeconds * 1000,
    ...(prometheusPort
      ? {
          prometheus: {
            firstPort: prometheusPort,
            dir: path.resolve(
              values['prometheus-dir'] ??
                path.join(path.dirname(kubeconfigPath), 'prometheus'),
            ),
            scrapeInterval: values['scrape-interval'] ?? '15s',
          },
        }
      : {}),
  };
}

/**
 * Starts a Prometheus per cluster and says where; a missing binary or a
 * failed start is reported, never fatal (the simulator serves on).
 */
async function startPrometheus(
  sim: Simulator,
  options: CliPrometheusOptions,
): Promise<PrometheusServer[]> {
  const binary = findPrometheus();
  if (!binary) {
    console.log(
      `prometheus: not installed, so nothing scrapes the clusters' telemetry (install Debian's "prometheus" package: apt-get install -y prometheus, or set PROMETHEUS_PATH)`,
    );
    return [];
  }
  try {
    const servers = await startSimulatorPrometheus(sim, {
      ...options,
      binary,
    });
    for (const [cluster, server] of servers) {
      console.log(
        `prometheus for ${cluster} on ${server.url} (config ${
          server.configFile
        }), also through its service proxy: ${
          sim.clusters.find(c => c.name === cluster)?.url
        }/api/v1/namespaces/istio-system/services/prometheus:9090/proxy/`,
      );
    }
    return [...servers.values()];
  } catch (e) {
    console.log(`prometheus: could not start (${(e as Error).message})`);
    return [];
  }
}

/** Key rotation for the demo: a changed JWKS file replaces the keys of every cluster. */
function watchJwksFile(sim: Simulator, file: string): void {
  fs.watchFile(file, { interval: 1000, persistent: false }, () => {
    try {
      sim.auth.setJwks(readJwksFile(file));
      console.log(`oidc: keys reloaded from ${file}`);
    } catch (e) {
      console.log(`oidc: keeping the previous keys (${(e as Error).message})`);
    }
  });
}

/** Runs the command line; the bin script calls this. */
export async function main(): Promise<void> {
  let options;
  try {
    options = parseCli(process.argv.slice(2));
  } catch (e) {
    console.error(`${(e as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (options.help) {
    console.log(USAGE);
    return;
  }
  const {
    prometheus: prometheusOptions,
    oidcJwksFile,
    ...simulatorOptions
  } = options;
  const sim = await startSimulator({
    ...simulatorOptions,
    log: m => console.log(m),
  });
  if (oidcJwksFile) watchJwksFile(sim, oidcJwksFile);
  for (const c of sim.clusters) {
    console.log(`cluster ${c.name} listening on ${c.url}`);
  }
  console.log(`kubeconfig: ${sim.kubeconfigPath}`);
  if (sim.caFile) console.log(`CA certificate: ${sim.caFile}`);
  console.log(
    `try: kubectl --kubeconfig ${sim.kubeconfigPath} --context ${sim.clusters[0].name} get canaries -A`,
  );
  const prometheus = prometheusOptions
    ? startPrometheus(sim, prometheusOptions)
    : Promise.resolve([]);
  const shutdown = () => {
    prometheus
      .then(servers => Promise.all(servers.map(s => s.stop())))
      .then(() => {
        if (oidcJwksFile) fs.unwatchFile(oidcJwksFile);
        return sim.stop();
      })
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

if (require.main === module) {
  main().catch(e => {
    console.error(e);
    process.exit(1);
  });
}
