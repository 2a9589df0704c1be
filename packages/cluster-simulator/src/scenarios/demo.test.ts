import { startSimulator } from '../Simulator';
import { KUBERNETES_ID_LABEL } from './builders';

const CANARY = 'flagger.app/v1beta1';

describe('demo scenario', () => {
  it('tells its story: podinfo waits at the gate, payments rolls back, checkout succeeds', async () => {
    const sim = await startSimulator({
      scenario: 'demo',
      http: true,
      story: true,
    });
    try {
      const prod = sim.cluster('prod-eu-1');
      const dev = sim.cluster('dev-eu-1');
      const phase = (c: typeof prod, ns: string, name: string) =>
        (c.objects.get(CANARY, 'Canary', ns, name)!.status as { phase: string })
          .phase;
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
    } finally {
      await sim.stop();
    }
  });

  it('labels canaries, deployments, services and pods with the catalog ids', async () => {
    const sim = await startSimulator({ scenario: 'demo', http: true });
    try {
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
    } finally {
      await sim.stop();
    }
  });
});
