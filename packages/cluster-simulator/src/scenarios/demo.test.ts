import { withSimulator } from '../testUtils/withSimulator';
import { KUBERNETES_ID_LABEL } from './builders';

const CANARY = 'flagger.app/v1beta1';

describe('demo scenario', () => {
  it('tells its story: podinfo waits at the gate, payments rolls back, checkout succeeds', async () => {
    await withSimulator({ scenario: 'demo', story: true }, async sim => {
      const prod = sim.cluster('prod-eu-1');
      const dev = sim.cluster('dev-eu-1');
      const phase = (c: typeof prod, ns: string, name: string) =>
        (
          c.objects.get(CANARY, 'Canary', ns, name)!.status as {
            phase: string;
          }
        ).phase;
      const phases = new Set<string>();
      for (let minute = 1; minute <= 8; minute++) {
        await sim.clock.advance(60_000);
        phases.add(`payments ${phase(dev, 'tenant-b', 'payments')}`);
        phases.add(`checkout ${phase(dev, 'tenant-b', 'checkout')}`);
      }
      expect(phase(prod, 'tenant-a', 'podinfo')).toBe('WaitingPromotion');
      expect(phases).toContain('payments Failed');
      expect(phases).toContain('checkout Succeeded');
      expect(phases).toContain('checkout Progressing');
    });
  });

  it('moves the Gateway API, A/B and blue/green canaries as their strategies do', async () => {
    await withSimulator({ scenario: 'demo', story: true }, async sim => {
      const prod = sim.cluster('prod-eu-1');
      const dev = sim.cluster('dev-eu-1');
      const line = (c: typeof prod, ns: string, name: string) => {
        const s = c.objects.get(CANARY, 'Canary', ns, name)!.status as {
          phase: string;
          iterations: number;
        };
        return `${s.phase} ${s.iterations}`;
      };
      const routeWeights = () =>
        (
          prod.objects.get(
            'gateway.networking.k8s.io/v1',
            'HTTPRoute',
            'tenant-c',
            'catalog-api',
          )!.spec as {
            rules: Array<{ backendRefs: Array<{ weight: number }> }>;
          }
        ).rules[0].backendRefs
          .map(b => b.weight)
          .join('/');
      const vsWeights = (name: string) =>
        (
          dev.objects.get(
            'networking.istio.io/v1beta1',
            'VirtualService',
            'tenant-d',
            name,
          )!.spec as {
            http: Array<{ route: Array<{ weight: number }> }>;
          }
        ).http
          .map(h => h.route.map(r => r.weight).join('/'))
          .join(' | ');
      const seen = {
        catalog: new Set<string>(),
        search: new Set<string>(),
        reports: new Set<string>(),
      };
      for (let t = 0; t < 10 * 60; t += 10) {
        await sim.clock.advance(10_000);
        seen.catalog.add(
          `${line(prod, 'tenant-c', 'catalog-api')} ${routeWeights()}`,
        );
        seen.search.add(
          `${line(dev, 'tenant-d', 'search')} ${vsWeights('search')}`,
        );
        seen.reports.add(
          `${line(dev, 'tenant-d', 'reports')} ${vsWeights('reports')}`,
        );
      }
      // catalog-api steps like podinfo and waits at its gate with the split in the HTTPRoute.
      expect(seen.catalog).toContain('Progressing 0 95/5');
      expect(seen.catalog).toContain('Progressing 0 85/15');
      expect(seen.catalog).toContain('WaitingPromotion -1 80/20');
      // search: A/B, matching requests on the canary, the rest on the primary route.
      expect(seen.search).toContain('Progressing 4 0/100 | 0');
      expect(seen.search).toContain('Succeeded 0 100/0 | 100');
      // reports: blue/green, no traffic during the iterations, then all of it for one interval.
      expect(seen.reports).toContain('Progressing 2 100/0');
      expect(seen.reports).toContain('Progressing 5 0/100');
      expect(seen.reports).toContain('Succeeded 0 100/0');
    });
  });

  it('labels canaries, deployments, services and pods with the catalog ids', async () => {
    await withSimulator({ scenario: 'demo' }, async sim => {
      const ids = (
        cluster: string,
        apiVersion: string,
        kind: string,
        ns: string,
      ) =>
        [
          ...new Set(
            sim
              .cluster(cluster)
              .objects.list(apiVersion, kind, ns)
              .map(o => o.metadata.labels?.[KUBERNETES_ID_LABEL])
              .filter(Boolean),
          ),
        ].sort();
      for (const [kind, apiVersion] of [
        ['Canary', CANARY],
        ['Deployment', 'apps/v1'],
        ['Service', 'v1'],
        ['Pod', 'v1'],
      ]) {
        expect([kind, ids('prod-eu-1', apiVersion, kind, 'tenant-a')]).toEqual([
          kind,
          ['frontend', 'podinfo'],
        ]);
        expect([kind, ids('dev-eu-1', apiVersion, kind, 'tenant-b')]).toEqual([
          kind,
          ['checkout', 'payments', 'podinfo'],
        ]);
        expect([kind, ids('prod-eu-1', apiVersion, kind, 'tenant-c')]).toEqual([
          kind,
          ['catalog-api'],
        ]);
        expect([kind, ids('dev-eu-1', apiVersion, kind, 'tenant-d')]).toEqual([
          kind,
          ['reports', 'search'],
        ]);
      }
    });
  });
});
