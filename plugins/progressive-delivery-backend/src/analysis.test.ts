import {
  AnalysisCheckEvidence,
  CanaryState,
  EntityDeliveryState,
} from '@progressive-delivery/plugin-progressive-delivery-common';
import {
  PrometheusServer,
  prometheusBinaryForTests,
  Simulator,
  startSimulator,
  startSimulatorPrometheus,
} from '@internal/cluster-simulator';
import {
  DEV,
  PROD,
  SimulatorBackend,
  startSimulatorBackend,
} from './__testUtils__/simulatorBackend';
import { specViolations } from './__testUtils__/specConformance';
import { waitFor } from './__testUtils__/waitFor';

/*
 * The analysis evaluator against a real Prometheus (Debian's `prometheus`) per simulated
 * cluster: the values it shows are what Prometheus answers for Flagger's queries, for the
 * canary and the primary. As in the demo, prod-eu-1's Prometheus is reached through the API
 * server's service proxy (the simulator forwards istio-system/prometheus:9090 to it, where
 * Flagger's addresses point), dev-eu-1's through the URL configured for the cluster. The demo runs on the real clock, 150 simulated seconds in
 * (as the simulator's Prometheus test): prod-eu-1's podinfo has 10 % of its traffic (60 s
 * interval, success rate at least 99.5 %), dev-eu-1's bad payments release 10 % (30 s interval,
 * at least 95 %) for about the next 100 s. Skipped without a Prometheus binary unless
 * PD_REQUIRE_PROMETHEUS=true.
 */

jest.setTimeout(90_000);

const binary = prometheusBinaryForTests();
const describeWithPrometheus = binary ? describe : describe.skip;

const GRAFANA =
  'https://grafana.example.com/d/flagger-istio/istio-canary?var-namespace={{namespace}}&var-primary={{primary}}&var-canary={{target}}';

describeWithPrometheus('analysis evidence from a real Prometheus', () => {
  let sim: Simulator;
  let servers: Map<string, PrometheusServer>;
  let backend: SimulatorBackend;

  beforeAll(async () => {
    sim = await startSimulator({
      scenario: 'demo',
      port: 0,
      http: true,
      clock: 'real',
      warmupMs: 150_000,
    });
    servers = await startSimulatorPrometheus(sim, {
      binary,
      scrapeInterval: '2s',
    });
    // rate(...[1m]) needs two samples; six make the canaries' shares steady.
    await Promise.all([...servers.values()].map(s => s.waitForScrapes(6)));
    backend = await startSimulatorBackend(sim, {
      analysis: {
        clusters: {
          // Flagger's defaults: built-in checks go to http://prometheus:9090 in its namespace.
          [PROD]: { links: { grafana: GRAFANA } },
          [DEV]: { prometheus: { url: servers.get(DEV)!.url } },
        },
      },
    });
  }, 90_000);

  afterAll(async () => {
    await backend?.stop();
    await Promise.all([...(servers?.values() ?? [])].map(s => s.stop()));
    await sim?.stop();
  });

  async function canaryWithPoints(
    entity: string,
    cluster: string,
    name: string,
  ): Promise<{ state: EntityDeliveryState; canary: CanaryState }> {
    const state = await waitFor(
      async () =>
        (
          await backend.get(`/v1/entities/component/default/${entity}`)
        ).body as EntityDeliveryState,
      s =>
        !!s.clusters
          .find(c => c.cluster === cluster)
          ?.canaries.find(c => c.ref.name === name)
          ?.analysis?.checks.every(
            check =>
              check.latest?.canary !== undefined &&
              check.latest.primary !== undefined,
          ),
      {
        what: `measured values of ${cluster} ${name}`,
        timeoutMs: 30_000,
        describe: s =>
          JSON.stringify(
            s.clusters
              ?.find(c => c.cluster === cluster)
              ?.canaries.find(c => c.ref.name === name)
              ?.analysis?.checks.map(c => [c.metric, c.latest, c.fault]),
          ),
      },
    );
    const canary = state.clusters
      .find(c => c.cluster === cluster)!
      .canaries.find(c => c.ref.name === name)!;
    return { state, canary };
  }

  /** What Prometheus answers for the check's query at the point's time, as Flagger reads it. */
  async function prometheusSays(
    cluster: string,
    check: AnalysisCheckEvidence,
    variant: 'canary' | 'primary',
  ): Promise<number> {
    const samples = await servers
      .get(cluster)!
      .query(check.query![variant], Date.parse(check.latest!.at) / 1000);
    expect(samples).toHaveLength(1);
    const value = samples[0].value;
    // request-duration: whole milliseconds (Flagger's time.Duration).
    return check.unit === 'milliseconds' ? Math.trunc(value) : value;
  }

  it("shows podinfo's values as Prometheus answers Flagger's queries, canary and primary", async () => {
    const { state, canary } = await canaryWithPoints(
      'podinfo',
      PROD,
      'podinfo',
    );
    expect(specViolations(state, 'EntityDeliveryState')).toEqual([]);
    const analysis = canary.analysis!;
    expect(analysis).toMatchObject({
      evaluating: true,
      intervalMs: 60_000,
      revision: expect.any(String),
    });
    // Two built-in checks and the error-rate MetricTemplate (istio-system).
    expect(analysis.checks.map(c => c.metric)).toEqual([
      'request-success-rate',
      'request-duration',
      'error-rate',
    ]);
    const [success, duration, errorRate] = analysis.checks;
    expect(success).toMatchObject({
      unit: 'percent',
      range: { min: 99.5 },
      source: 'service proxy http://prometheus:9090',
      query: {
        canary: expect.stringContaining('destination_workload=~"podinfo"'),
        primary: expect.stringContaining(
          'destination_workload=~"podinfo-primary"',
        ),
      },
    });
    expect(errorRate).toMatchObject({
      range: { max: 0.5 },
      source: 'service proxy http://prometheus.istio-system:9090',
    });
    for (const check of [success, duration, errorRate]) {
      expect(check.latest!.canary).toBe(
        await prometheusSays(PROD, check, 'canary'),
      );
      expect(check.latest!.primary).toBe(
        await prometheusSays(PROD, check, 'primary'),
      );
    }
    // The split the VirtualService routes.
    expect(success.latest).toMatchObject({ canaryWeight: 10, verdict: 'pass' });
    expect(success.latest!.canary).toBeGreaterThanOrEqual(99.5);
    process.stdout.write(
      `prod-eu-1 podinfo: success ${success.latest!.canary} / ${
        success.latest!.primary
      } %, p99 ${duration.latest!.canary} / ${duration.latest!.primary} ms\n`,
    );
    expect(canary.links).toEqual([
      {
        kind: 'grafana',
        title: 'Grafana dashboard',
        url: 'https://grafana.example.com/d/flagger-istio/istio-canary?var-namespace=tenant-a&var-primary=podinfo-primary&var-canary=podinfo',
      },
    ]);
  });

  it("shows payments' bad release below its threshold, its primary above", async () => {
    const { state, canary } = await canaryWithPoints(
      'payments',
      DEV,
      'payments',
    );
    expect(specViolations(state, 'EntityDeliveryState')).toEqual([]);
    const success = canary.analysis!.checks.find(
      c => c.metric === 'request-success-rate',
    )!;
    expect(success.range).toEqual({ min: 95 });
    expect(success.source).toBe(`configured ${servers.get(DEV)!.url}`);
    expect(success.latest).toMatchObject({ verdict: 'fail', canaryWeight: 10 });
    expect(success.latest!.canary).toBeLessThan(95);
    expect(success.latest!.primary).toBeGreaterThan(95);
    expect(success.latest!.canary).toBe(
      await prometheusSays(DEV, success, 'canary'),
    );
    expect(success.latest!.primary).toBe(
      await prometheusSays(DEV, success, 'primary'),
    );
    process.stdout.write(
      `dev-eu-1 payments: success ${success.latest!.canary} / ${
        success.latest!.primary
      } %\n`,
    );
    // Links only where configured.
    expect(canary.links).toBeUndefined();
  });
});
