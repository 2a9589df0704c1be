import {
  BackendFeature,
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { AuthenticationStrategy } from '@backstage/plugin-kubernetes-node';
import { KubeObject, Simulator } from '@internal/cluster-simulator';
import { progressiveDeliveryClusterAuthExtensionPoint } from '../clusters/extensionPoint';
import { SimulatorBackend } from './simulatorBackend';
import { waitFor } from './waitFor';

/** A module that sets cluster auth strategies, as a user's module would. */
export function clusterAuthModule(
  strategies: (logger: any) => Record<string, AuthenticationStrategy>,
): BackendFeature {
  return createBackendModule({
    pluginId: 'progressive-delivery',
    moduleId: 'test-cluster-auth',
    register(env) {
      env.registerInit({
        deps: {
          auth: progressiveDeliveryClusterAuthExtensionPoint,
          logger: coreServices.logger,
        },
        async init({ auth, logger }) {
          for (const [name, strategy] of Object.entries(strategies(logger))) {
            auth.addAuthStrategy(name, strategy);
          }
        },
      });
    },
  });
}

/**
 * A stand-in for `@azure/identity`'s credential (a `TokenCredential`): hands out `azure-<n>`
 * tokens that the simulator accepts for `lifetimeMs` and that `AzureIdentityStrategy` keeps
 * until 15 minutes before `expiresOnTimestamp`, so with `strategyLifetimeMs` the strategy asks
 * again after that long.
 */
export class FakeTokenCredential {
  issued: string[] = [];

  constructor(
    private readonly sim: Simulator,
    private readonly options: {
      lifetimeMs: number;
      strategyLifetimeMs?: number;
      /** Issue tokens the simulator never accepts. */
      refused?: boolean;
    },
  ) {}

  async getToken(scope: string | string[]) {
    if (scope !== '6dae42f8-4368-4678-94ff-3960e28e3630/.default') {
      throw new Error(`unexpected scope ${scope}`);
    }
    const token = `azure-${this.issued.length + 1}`;
    this.issued.push(token);
    if (!this.options.refused) {
      this.sim.auth.addToken({
        token,
        user: 'azure:backstage-identity',
        expiresAt: Date.now() + this.options.lifetimeMs,
      });
    }
    return {
      token,
      expiresOnTimestamp:
        Date.now() +
        15 * 60_000 +
        (this.options.strategyLifetimeMs ?? this.options.lifetimeMs),
    };
  }
}

export const clusterStatus = async (backend: SimulatorBackend, name: string) =>
  ((await backend.get('/v1/clusters')).body.items as any[]).find(
    c => c.name === name,
  );

/** A Flagger event on a canary: a watched object a test can add to see the watch working. */
export function canaryEvent(name: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name, namespace: 'tenant-a' },
    involvedObject: { kind: 'Canary', name: 'podinfo', namespace: 'tenant-a' },
    reason: 'Synced',
    message: `test event ${name}`,
    type: 'Normal',
  } as KubeObject;
}

/** Waits until the backend's watch of the cluster has seen `count` more Events than `from`. */
export async function waitForEvents(
  backend: SimulatorBackend,
  cluster: string,
  atLeast: number,
  what: string,
): Promise<void> {
  await waitFor(
    () => clusterStatus(backend, cluster),
    c =>
      (c?.kinds as any[] | undefined)?.find(k => k.kind === 'Event')?.objects >=
      atLeast,
    { what, timeoutMs: 15_000 },
  );
}

export const eventCount = async (backend: SimulatorBackend, cluster: string) =>
  ((await clusterStatus(backend, cluster))?.kinds as any[]).find(
    k => k.kind === 'Event',
  ).objects as number;
