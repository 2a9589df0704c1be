import https from 'node:https';
import { ClusterInfo, Simulator, startSimulator } from '../Simulator';
import {
  FlaggerIstioCheck,
  renderFlaggerIstioQuery,
} from '../flagger/telemetry/__fixtures__/flaggerIstioQueries';
import { PrometheusServer } from './PrometheusServer';
import { startSimulatorPrometheus } from './clusterPrometheus';
import { prometheusBinaryForTests } from './testSupport';

/**
 * Flagger's built-in Istio query (verbatim from fluxcd/flagger, see the
 * fixture) with the template variables filled in as Flagger fills them:
 * namespace, target (the workload: `podinfo` for the canary,
 * `podinfo-primary` for the primary) and the check's interval.
 */
const flaggerIstioQuery = renderFlaggerIstioQuery;

/** A request to the cluster's API server over HTTPS, with its CA and token, as the backend sends it. */
function apiRequest(
  cluster: ClusterInfo,
  path: string,
  init: { method?: string; body?: string; contentType?: string } = {},
): Promise<{ status: number; contentType?: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      `${cluster.url}${path}`,
      {
        method: init.method ?? 'GET',
        ca: Buffer.from(cluster.caData!, 'base64').toString('utf8'),
        headers: {
          Authorization: `Bearer ${cluster.token}`,
          Accept: 'application/json',
          ...(init.contentType ? { 'Content-Type': init.contentType } : {}),
        },
      },
      res => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            contentType: res.headers['content-type'],
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}

const PROMETHEUS_PROXY =
  '/api/v1/namespaces/istio-system/services/prometheus:9090/proxy';

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
      servers = await startSimulatorPrometheus(sim, {
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
      const query = (check: FlaggerIstioCheck) => (target: string) =>
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

    it("answers through each cluster's service proxy (HTTPS, the cluster's token) what it answers directly", async () => {
      const sumQuery = `sum(istio_requests_total{reporter="destination",destination_workload_namespace="tenant-a",destination_workload=~"podinfo"})`;
      const prod = sim.clusters.find(c => c.name === 'prod-eu-1')!;
      // A fixed evaluation time, so both answers come from the same samples.
      const time = String(Math.floor(Date.now() / 1000) - 5);
      const params = new URLSearchParams({ query: sumQuery, time });
      const direct = await fetch(
        `${servers.get('prod-eu-1')!.url}/api/v1/query?${params}`,
      );
      const viaProxy = await apiRequest(
        prod,
        `${PROMETHEUS_PROXY}/api/v1/query?${params}`,
      );
      expect(viaProxy.status).toBe(200);
      expect(viaProxy.contentType).toBe('application/json');
      const directJson = await direct.json();
      const proxyJson = JSON.parse(viaProxy.body);
      expect(proxyJson.status).toBe('success');
      expect(proxyJson.data.result).toHaveLength(1);
      expect(Number(proxyJson.data.result[0].value[1])).toBeGreaterThan(0);
      expect(proxyJson.data).toEqual(directJson.data);

      // Flagger's success-rate query POSTed as a form, on the other cluster (its own Prometheus).
      const dev = sim.clusters.find(c => c.name === 'dev-eu-1')!;
      const form = new URLSearchParams({
        query: flaggerIstioQuery('request-success-rate', {
          namespace: 'tenant-b',
          target: 'payments-primary',
          interval: '1m',
        }),
        time,
      }).toString();
      const posted = await apiRequest(dev, `${PROMETHEUS_PROXY}/api/v1/query`, {
        method: 'POST',
        body: form,
        contentType: 'application/x-www-form-urlencoded',
      });
      expect(posted.status).toBe(200);
      const rate = JSON.parse(posted.body).data.result;
      expect(rate).toHaveLength(1);
      const directRate = await fetch(
        `${servers.get('dev-eu-1')!.url}/api/v1/query`,
        {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body: form,
        },
      );
      expect(rate).toEqual((await directRate.json()).data.result);
      expect(Number(rate[0].value[1])).toBeGreaterThan(98);

      // A bad query is Prometheus' own 400, passed through.
      const bad = await apiRequest(
        prod,
        `${PROMETHEUS_PROXY}/api/v1/query?query=${encodeURIComponent('sum(')}`,
      );
      expect(bad.status).toBe(400);
      expect(JSON.parse(bad.body)).toMatchObject({
        status: 'error',
        errorType: 'bad_data',
      });
    });
  },
);
