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
      }
    });
  });
});
