import { Simulator, startSimulator } from '../Simulator';
import { PrometheusServer } from './PrometheusServer';
import { startClusterPrometheus } from './clusterPrometheus';
import { prometheusBinaryForTests } from './testSupport';

/**
 * The PromQL Flagger's Istio observer sends for its built-in checks
 * (pkg/metrics/observers/istio.go), with the template variables filled in
 * as Flagger fills them: namespace, target (the workload: `podinfo` for the
 * canary, `podinfo-primary` for the primary) and the check's interval.
 */
function flaggerIstioQuery(
  check: 'request-success-rate' | 'request-duration',
  v: { namespace: string; target: string; interval: string },
): string {
  const selector = `reporter="destination",destination_workload_namespace="${v.namespace}",destination_workload=~"${v.target}"`;
  if (check === 'request-duration') {
    return `histogram_quantile(0.99, sum(rate(istio_request_duration_milliseconds_bucket{${selector}}[${v.interval}])) by (le))`;
  }
  return `sum(rate(istio_requests_total{${selector},response_code!~"5.*"}[${v.interval}])) / sum(rate(istio_requests_total{${selector}}[${v.interval}])) * 100`;
}

const binary = prometheusBinaryForTests();
const describeWithPrometheus = binary ? describe : describe.skip;

describeWithPrometheus(
  'a real Prometheus scraping the simulated clusters',
  () => {
    let sim: Simulator;
    let servers: Map<string, PrometheusServer>;

    beforeAll(async () => {
      // The demo as the CLI runs it (real clock, 150 simulated seconds in):
      // prod-eu-1's podinfo canary and dev-eu-1's bad payments release both
      // have 10 % of their traffic for the next minute.
      sim = await startSimulator({
        scenario: 'demo',
        clock: 'real',
        warmupMs: 150_000,
      });
      servers = await startClusterPrometheus(sim.clusters, {
        binary,
        scrapeInterval: '2s',
      });
      await Promise.all([...servers.values()].map(s => s.waitForScrapes(6)));
    }, 90_000);

    afterAll(async () => {
      await Promise.all([...(servers?.values() ?? [])].map(s => s.stop()));
      await sim?.stop();
    });

    const value = async (cluster: string, promql: string) => {
      const samples = await servers.get(cluster)!.query(promql);
      expect(samples).toHaveLength(1);
      return samples[0].value;
    };

    it("answers Flagger's request-success-rate query for podinfo's canary and primary", async () => {
      const rates = [];
      for (const target of ['podinfo', 'podinfo-primary']) {
        const rate = await value(
          'prod-eu-1',
          flaggerIstioQuery('request-success-rate', {
            namespace: 'tenant-a',
            target,
            interval: '1m',
          }),
        );
        rates.push(rate);
        expect(rate).toBeGreaterThanOrEqual(99);
        expect(rate).toBeLessThanOrEqual(100);
      }
      process.stdout.write(
        `prod-eu-1 tenant-a success rate: podinfo ${rates[0]}, podinfo-primary ${rates[1]}\n`,
      );
    });

    it("shows payments' bad release visibly worse than its primary", async () => {
      const query =
        (check: 'request-success-rate' | 'request-duration') =>
        (target: string) =>
          value(
            'dev-eu-1',
            flaggerIstioQuery(check, {
              namespace: 'tenant-b',
              target,
              interval: '1m',
            }),
          );
      const success = query('request-success-rate');
      const latency = query('request-duration');
      const canary = await success('payments');
      const primary = await success('payments-primary');
      const canaryP99 = await latency('payments');
      const primaryP99 = await latency('payments-primary');
      process.stdout.write(
        `dev-eu-1 tenant-b: payments ${canary} % / p99 ${canaryP99} ms, payments-primary ${primary} % / p99 ${primaryP99} ms\n`,
      );
      expect(primary).toBeGreaterThan(98);
      expect(canary).toBeGreaterThan(70);
      expect(canary).toBeLessThan(97);
      expect(canary).toBeLessThan(primary - 3);
      expect(canaryP99).toBeGreaterThan(primaryP99);
    });

    it("scrapes Flagger's own metrics, each cluster only its own", async () => {
      expect(
        await value(
          'prod-eu-1',
          'flagger_canary_weight{namespace="tenant-a",workload="podinfo"}',
        ),
      ).toBeGreaterThan(0);
      // What the simulated Flagger measured for payments' bad release.
      expect(
        await value(
          'dev-eu-1',
          'flagger_canary_metric_analysis{namespace="tenant-b",name="payments",metric="request-success-rate"}',
        ),
      ).toBeLessThan(95);
      const clusters = await servers
        .get('dev-eu-1')!
        .query('count by (cluster) (istio_requests_total)');
      expect(clusters.map(s => s.metric.cluster)).toEqual(['dev-eu-1']);
      const series = await servers
        .get('dev-eu-1')!
        .queryRange('sum(rate(istio_requests_total[10s]))', {
          start: Date.now() / 1000 - 10,
          end: Date.now() / 1000,
          step: 2,
        });
      expect(series).toHaveLength(1);
      expect(series[0].values.length).toBeGreaterThan(2);
    });
  },
);
