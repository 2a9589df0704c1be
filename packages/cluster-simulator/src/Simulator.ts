import { AuditLog } from './api/audit';
import {
  AuthControl,
  AuthSettings,
  TokenConfig,
  TokenFileConfig,
} from './api/auth';
import { AwsAccessKey } from './api/awsIam';
import { OidcConfig } from './api/oidc';
import { FaultInjector, RequestCounters } from './api/faults';
import { ResourceRegistry } from './api/resources';
import { RealTimeDriver, VirtualClock } from './clock';
import { ObjectAccess, SimulatedCluster } from './cluster/SimulatedCluster';
import { writeKubeconfig } from './kubeconfig';
import { Scenario, scenarioByName } from './scenarios';
import { generateServerCertificate } from './tls';
import { KubeObject } from './types';
import { installControllers } from './cluster/installControllers';

export interface SimulatorOptions {
  scenario: 'demo' | 'scale' | 'empty';
  /** scale: number of clusters (also honoured by `empty`). */
  clusters?: number;
  /** scale: canaries per cluster. */
  canaries?: number;
  /** First port; clusters use consecutive ports. 0 (default): random free ports. */
  port?: number;
  /** Plain HTTP instead of HTTPS. */
  http?: boolean;
  /**
   * Serve requests without credentials with full access. kubectl sends no
   * bearer token over plain HTTP, so the CLI turns this on with --http.
   */
  anonymous?: boolean;
  /** `virtual` (default for tests): time moves only through clock.advance(). */
  clock?: 'real' | 'virtual';
  /** Real clock only: simulated seconds per wall-clock second. */
  speed?: number;
  /** Full-access bearer token, default `simulator-token`. */
  token?: string;
  /** Further tokens: optionally restricted (403 on purpose), with a user, groups, expiry. */
  tokens?: TokenConfig[];
  /** Files whose current content is a valid token (rotated projected service-account tokens). */
  tokenFiles?: TokenFileConfig[];
  /** OIDC ID tokens verified as kube-apiserver's `--oidc-*` authenticator does. */
  oidc?: OidcConfig;
  /** EKS-style AWS IAM sign-in: access keys the STS double knows (token for the cluster's name). */
  awsAccessKeys?: AwsAccessKey[];
  /** Where to write a kubeconfig (and ca.crt beside it). */
  kubeconfigPath?: string;
  host?: string;
  /** Simulated time at start (virtual clock); default 2026-01-01T00:00:00Z. */
  startTime?: number;
  /** Simulated time to run before serving (real clock), so the demo starts mid-story. */
  warmupMs?: number;
  /**
   * Run the scenario's story (new revisions keep arriving). Default: on with
   * the real clock, off with the virtual clock so tests control every change.
   */
  story?: boolean;
  log?: (message: string) => void;
}

export interface ClusterInfo {
  name: string;
  url: string;
  token: string;
  /** Base64 PEM of the CA (HTTPS only). */
  caData?: string;
  /** Path of the written CA file (HTTPS with kubeconfigPath only). */
  caFile?: string;
}

/** What tests and benchmarks use to drive one cluster. */
export interface ClusterHandle {
  name: string;
  url: string;
  objects: ObjectAccess;
  faults: FaultInjector;
  counters: RequestCounters;
  /** A new Deployment revision (image, simulated health); see SimulatedCluster.releaseRevision. */
  releaseRevision: SimulatedCluster['releaseRevision'];
  /**
   * Forwards the service proxy for `<namespace>/<service>:<port>` to a real
   * server (see SimulatedCluster.registerUpstream); returns the undo.
   */
  registerUpstream: SimulatedCluster['registerUpstream'];
  /** This cluster's sign-in methods, changeable while running. */
  auth: AuthControl;
  /** Who made each write request to this cluster (`writes()`, `clear()`). */
  audit: Pick<AuditLog, 'writes' | 'clear'>;
  /** The underlying cluster, for advanced use (store, controllers, Git remotes, loadtesters). */
  cluster: SimulatedCluster;
}

export interface SimulatorClock {
  now(): number;
  /** Virtual clock: runs every controller tick due within `ms`, in order. */
  advance(ms: number): Promise<void>;
}

export interface Simulator {
  clusters: ClusterInfo[];
  kubeconfigPath?: string;
  caFile?: string;
  cluster(name: string): ClusterHandle;
  /** Sign-in methods of every cluster at once (see ClusterHandle.auth for one). */
  auth: AuthControl;
  clock: SimulatorClock;
  stop(): Promise<void>;
}

export const DEFAULT_TOKEN = 'simulator-token';
const DEFAULT_START = Date.UTC(2026, 0, 1, 0, 0, 0);

/** Starts the simulated clusters of a scenario and their API servers. */
export async function startSimulator(
  options: SimulatorOptions,
): Promise<Simulator> {
  const log = options.log ?? (() => {});
  const realTime = options.clock === 'real';
  const speed = options.speed && options.speed > 0 ? options.speed : 1;
  const warmupMs = realTime ? options.warmupMs ?? 0 : 0;
  const start =
    options.startTime ?? (realTime ? Date.now() - warmupMs : DEFAULT_START);
  const clock = new VirtualClock(start);
  let driver: RealTimeDriver | undefined;
  const token = options.token ?? DEFAULT_TOKEN;
  const clusters = createClusters(options, clock, token, () =>
    driver?.catchUp(),
  );
  if (warmupMs > 0) clock.advanceSync(warmupMs);
  const served = await serveClusters(clusters, options, token);
  if (realTime) {
    driver = new RealTimeDriver(clock, speed, e =>
      log(`controller error: ${String(e)}`),
    );
    driver.start();
  }
  return simulatorHandle(clusters, {
    ...served,
    token,
    kubeconfigPath: options.kubeconfigPath,
    clock,
    realTime,
    stopDriver: () => driver?.stop(),
  });
}

/** The scenario's clusters with their objects and controllers, settled at "now". */
function createClusters(
  options: SimulatorOptions,
  clock: VirtualClock,
  token: string,
  syncClock: () => void,
): SimulatedCluster[] {
  const log = options.log ?? (() => {});
  const auth: AuthSettings = {
    tokens: [
      { token, user: 'system:serviceaccount:kube-system:simulator-admin' },
      ...(options.tokens ?? []),
    ],
    tokenFiles: options.tokenFiles,
    oidc: options.oidc,
    awsAccessKeys: options.awsAccessKeys,
    anonymous: options.anonymous,
  };
  const registry = ResourceRegistry.create();
  const scenario: Scenario = scenarioByName(options.scenario, {
    clusters: options.clusters,
    canaries: options.canaries,
  });

  const clusters = scenario.clusters.map(
    (def, i) =>
      new SimulatedCluster({
        name: def.name,
        registry,
        clock,
        auth,
        seed: 1000 + i,
        syncClock,
      }),
  );
  const started = Date.now();
  const stories = options.story ?? options.clock === 'real';
  scenario.clusters.forEach((def, i) => {
    // The CRDs are installed, so clients can look them up as in a real cluster.
    for (const r of registry.all) {
      if (r.crd) clusters[i].store.create(r.crd as unknown as KubeObject);
    }
    const result = def.setup(clusters[i]) ?? {};
    installControllers(clusters[i], clock, result, stories);
  });
  for (const c of clusters) c.startComponents();
  // Let what the controllers scheduled for "now" run before serving.
  clock.advanceSync(0);
  log(
    `scenario ${options.scenario}: ${clusters.length} cluster(s), ${clusters
      .map(c => c.store.size())
      .reduce((a, b) => a + b, 0)} objects in ${Date.now() - started} ms`,
  );
  return clusters;
}

/** Listens on consecutive ports (HTTPS with a fresh CA unless `http`) and writes the kubeconfig. */
async function serveClusters(
  clusters: SimulatedCluster[],
  options: SimulatorOptions,
  token: string,
): Promise<{ caData?: string; caFile?: string }> {
  const host = options.host ?? '127.0.0.1';
  const certificate = options.http
    ? undefined
    : generateServerCertificate([host]);
  const basePort = options.port ?? 0;
  for (let i = 0; i < clusters.length; i++) {
    await clusters[i].listen({
      port: basePort === 0 ? 0 : basePort + i,
      host,
      tls: certificate
        ? { cert: certificate.certPem, key: certificate.keyPem }
        : undefined,
    });
  }

  let caFile: string | undefined;
  if (options.kubeconfigPath) {
    caFile = writeKubeconfig(
      options.kubeconfigPath,
      clusters.map(c => ({ name: c.name, url: c.url, token })),
      certificate?.caPem,
    );
  }
  const caData = certificate
    ? Buffer.from(certificate.caPem).toString('base64')
    : undefined;
  return { caData, caFile };
}

function simulatorHandle(
  clusters: SimulatedCluster[],
  h: {
    token: string;
    caData?: string;
    caFile?: string;
    kubeconfigPath?: string;
    clock: VirtualClock;
    realTime: boolean;
    stopDriver: () => void;
  },
): Simulator {
  const byName = new Map(clusters.map(c => [c.name, c]));
  return {
    clusters: clusters.map(c => ({
      name: c.name,
      url: c.url,
      token: h.token,
      ...(h.caData ? { caData: h.caData } : {}),
      ...(h.caFile ? { caFile: h.caFile } : {}),
    })),
    kubeconfigPath: h.kubeconfigPath,
    caFile: h.caFile,
    cluster(name: string): ClusterHandle {
      const c = byName.get(name);
      if (!c) throw new Error(`no simulated cluster named ${name}`);
      return {
        name: c.name,
        url: c.url,
        objects: c.objects,
        faults: c.faults,
        counters: c.counters,
        releaseRevision: c.releaseRevision.bind(c),
        registerUpstream: c.registerUpstream.bind(c),
        auth: c.auth,
        audit: c.audit,
        cluster: c,
      };
    },
    auth: allClustersAuth(clusters),
    clock: {
      now: () => h.clock.now(),
      advance: async (ms: number) => {
        if (h.realTime)
          throw new Error('clock.advance() needs the virtual clock');
        await h.clock.advance(ms);
      },
    },
    async stop() {
      h.stopDriver();
      await Promise.all(clusters.map(c => c.stop()));
    },
  };
}

/** An AuthControl that applies each change to every cluster. */
function allClustersAuth(clusters: SimulatedCluster[]): AuthControl {
  const each = (f: (c: AuthControl) => boolean | void) =>
    clusters.map(c => f(c.auth)).some(Boolean);
  return {
    addToken: t => each(c => c.addToken(t)),
    revokeToken: t => each(c => c.revokeToken(t)),
    addTokenFile: f => each(c => c.addTokenFile(f)),
    removeTokenFile: p => each(c => c.removeTokenFile(p)),
    setOidc: o => each(c => c.setOidc(o)),
    setJwks: j => each(c => c.setJwks(j)),
    addAwsAccessKey: k => each(c => c.addAwsAccessKey(k)),
  };
}
