import { ClusterHandle, Simulator, startSimulator } from '../../Simulator';
import { KubeObject } from '../../types';

export const CANARY_API = 'flagger.app/v1beta1';
export const MINUTE = 60_000;

/** The Canary status fields the Flagger tests read. */
export interface CanaryView {
  phase?: string;
  canaryWeight?: number;
  failedChecks?: number;
  lastAppliedSpec?: string;
  lastPromotedSpec?: string;
  trackedConfigs?: Record<string, string>;
  conditions?: Array<{
    type: string;
    status: string;
    reason: string;
    message: string;
  }>;
}

/**
 * The demo's prod-eu-1 cluster (namespace tenant-a), started afresh for each
 * test and run for one minute so each canary's job has had its first (idle)
 * tick.
 */
export class DemoCluster {
  sim!: Simulator;
  prod!: ClusterHandle;

  async start(): Promise<void> {
    this.sim = await startSimulator({ scenario: 'demo', http: true });
    this.prod = this.sim.cluster('prod-eu-1');
    await this.sim.clock.advance(MINUTE);
  }

  advance(ms: number): Promise<void> {
    return this.sim.clock.advance(ms);
  }

  canary(name: string): KubeObject {
    return this.prod.objects.get(CANARY_API, 'Canary', 'tenant-a', name)!;
  }

  canaryStatus(name: string): CanaryView {
    return this.canary(name).status as CanaryView;
  }

  deployment(name: string): KubeObject {
    return this.prod.objects.get('apps/v1', 'Deployment', 'tenant-a', name)!;
  }

  replicas(deployment: string): number {
    return (this.deployment(deployment).spec as { replicas: number }).replicas;
  }

  /** The weights of the VirtualService's first route, primary first. */
  vsWeights(name: string): number[] {
    const vs = this.prod.objects.get(
      'networking.istio.io/v1beta1',
      'VirtualService',
      'tenant-a',
      name,
    )!;
    const http = (
      vs.spec as {
        http: Array<{
          route: Array<{ destination: { host: string }; weight: number }>;
        }>;
      }
    ).http;
    return http[0].route.map(r => r.weight);
  }

  /**
   * Distinct messages of the canary's events since resourceVersion `since`,
   * in the order they first occurred (repeats only raise an event's count).
   */
  eventMessages(name: string, since: number): string[] {
    return this.prod.objects
      .list('v1', 'Event', 'tenant-a')
      .filter(e => {
        const io = e.involvedObject as { kind: string; name: string };
        return io.kind === 'Canary' && io.name === name;
      })
      .filter(e => Number(e.metadata.resourceVersion) > since)
      .sort((a, b) => (firstSeen(a) < firstSeen(b) ? -1 : 1))
      .map(e => {
        // Flagger records every canary event with reason Synced as component flagger.
        const source = e.source as { component?: string } | undefined;
        if (e.reason !== 'Synced' || source?.component !== 'flagger') {
          throw new Error(`unexpected event source: ${JSON.stringify(e)}`);
        }
        return `${e.type} ${e.message}`;
      });
  }

  /** POSTs `{name, namespace}` to the tenant's loadtester through the service proxy. */
  async loadtester(path: string, canary: string) {
    const info = this.sim.clusters.find(c => c.name === 'prod-eu-1')!;
    const res = await fetch(
      `${info.url}/api/v1/namespaces/tenant-a/services/flagger-loadtester:80/proxy${path}`,
      {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${info.token}`,
          'Content-Type': 'application/json',
        },
        body: JSON.stringify({ name: canary, namespace: 'tenant-a' }),
      },
    );
    return { status: res.status, text: await res.text() };
  }

  /** The cluster's /metrics text. */
  async metrics(): Promise<string> {
    return (await fetch(`${this.sim.clusters[0].url}/metrics`)).text();
  }
}

/** When an event first occurred: its name ends in the hex nanoseconds of that moment. */
function firstSeen(e: KubeObject): bigint {
  return BigInt(`0x${e.metadata.name.split('.').pop()}`);
}

/** A DemoCluster started before and stopped after each test of the file. */
export function useDemoCluster(): DemoCluster {
  const demo = new DemoCluster();
  beforeEach(() => demo.start());
  afterEach(() => demo.sim.stop());
  return demo;
}
