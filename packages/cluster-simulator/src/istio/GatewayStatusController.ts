import { Clock } from '../clock';
import { ObjectStore } from '../api/ObjectStore';
import {
  ClusterComponent,
  KubeObject,
  ParentReference,
  StoreEvent,
} from '../types';
import { isoTime } from '../util/time';

/**
 * Plays the status side of Istio's Gateway API controller
 * (`istio.io/gateway-controller`, pilot/pkg/config/kube/gateway; messages as
 * in its testdata `http.status.yaml.golden`): Gateways of class `istio` are
 * Accepted and Programmed with each listener's attached route count, and
 * each HTTPRoute gets, per parentRef, Accepted and ResolvedRefs conditions
 * at its current generation (what Flagger's GetRoutes checks before reading
 * the weights). Routing itself is played by the TrafficModel.
 */

const GROUP = 'gateway.networking.k8s.io';
const VERSION = `${GROUP}/v1`;
const CONTROLLER_NAME = 'istio.io/gateway-controller';
const ISTIO_CLASS = 'istio';

interface Condition {
  type: string;
  status: 'True' | 'False';
  reason: string;
  message: string;
  observedGeneration?: number;
  lastTransitionTime?: string;
}

interface Listener {
  name: string;
  hostname?: string;
}

function isGatewayEvent(e: StoreEvent): boolean {
  return (
    e.resourceKey === `${GROUP}/gateways` ||
    e.resourceKey === `${GROUP}/httproutes`
  );
}

/** Keeps each condition's lastTransitionTime while its status stays the same. */
function withTransitions(
  next: Condition[],
  previous: Condition[] | undefined,
  now: string,
): Condition[] {
  return next.map(c => {
    const prev = previous?.find(p => p.type === c.type);
    return {
      ...c,
      lastTransitionTime:
        prev && prev.status === c.status ? prev.lastTransitionTime ?? now : now,
    };
  });
}

export class GatewayStatusController implements ClusterComponent {
  private unsubscribe: (() => void) | undefined;
  private scheduled = false;

  constructor(
    private readonly store: ObjectStore,
    private readonly clock: Clock,
  ) {}

  start(): void {
    this.sync();
    this.unsubscribe = this.store.subscribe(e => {
      if (!isGatewayEvent(e) || this.scheduled) return;
      // Our own status writes leave generation and spec alone: nothing to do.
      const prev = e.previous;
      if (
        prev &&
        prev.metadata.generation === e.object.metadata.generation &&
        JSON.stringify(prev.spec) === JSON.stringify(e.object.spec)
      ) {
        return;
      }
      this.scheduled = true;
      this.clock.schedule(0, () => {
        this.scheduled = false;
        this.sync();
      });
    });
  }

  stop(): void {
    this.unsubscribe?.();
  }

  /** Writes every istio Gateway's and every attached HTTPRoute's status. */
  sync(): void {
    const gateways = this.store
      .listObjects(VERSION, 'Gateway')
      .filter(
        g =>
          (g.spec as { gatewayClassName?: string }).gatewayClassName ===
          ISTIO_CLASS,
      );
    const routes = this.store.listObjects(VERSION, 'HTTPRoute');
    for (const route of routes) this.writeRouteStatus(route, gateways);
    for (const gateway of gateways) this.writeGatewayStatus(gateway, routes);
  }

  private writeRouteStatus(route: KubeObject, gateways: KubeObject[]): void {
    const now = isoTime(this.clock.now());
    const generation = route.metadata.generation ?? 1;
    const previous =
      (
        route.status as {
          parents?: Array<{
            parentRef: ParentReference;
            conditions: Condition[];
          }>;
        }
      )?.parents ?? [];
    const parents = parentRefs(route)
      .filter(ref => findGateway(gateways, route, ref))
      .map(parentRef => ({
        conditions: withTransitions(
          [
            {
              type: 'Accepted',
              status: 'True' as const,
              reason: 'Accepted',
              message: 'Route was valid',
              observedGeneration: generation,
            },
            {
              type: 'ResolvedRefs',
              status: 'True' as const,
              reason: 'ResolvedRefs',
              message: 'All references resolved',
              observedGeneration: generation,
            },
          ],
          previous.find(
            p => JSON.stringify(p.parentRef) === JSON.stringify(parentRef),
          )?.conditions,
          now,
        ),
        controllerName: CONTROLLER_NAME,
        parentRef,
      }));
    if (parents.length === 0) return;
    this.writeStatus(route, { parents });
  }

  private writeGatewayStatus(gateway: KubeObject, routes: KubeObject[]): void {
    const now = isoTime(this.clock.now());
    const generation = gateway.metadata.generation ?? 1;
    const { namespace, name } = gateway.metadata;
    const previous = gateway.status as
      | {
          conditions?: Condition[];
          listeners?: Array<{ name: string; conditions: Condition[] }>;
        }
      | undefined;
    const condition = (type: string, reason: string, message: string) => ({
      type,
      status: 'True' as const,
      reason,
      message,
      observedGeneration: generation,
    });
    const listeners = (
      (gateway.spec as { listeners?: Listener[] }).listeners ?? []
    ).map(listener => {
      const attachedRoutes = routes.filter(route =>
        parentRefs(route).some(
          ref =>
            findGateway([gateway], route, ref) &&
            (!ref.sectionName || ref.sectionName === listener.name),
        ),
      ).length;
      const ok = (type: string, reason: string) => ({
        ...condition(type, reason, 'No errors found'),
        ...(type === 'Conflicted' ? { status: 'False' as const } : {}),
      });
      return {
        attachedRoutes,
        conditions: withTransitions(
          [
            ok('Accepted', 'Accepted'),
            ok('Conflicted', 'NoConflicts'),
            ok('Programmed', 'Programmed'),
            ok('ResolvedRefs', 'ResolvedRefs'),
          ],
          previous?.listeners?.find(l => l.name === listener.name)?.conditions,
          now,
        ),
        name: listener.name,
        supportedKinds: [
          { group: GROUP, kind: 'HTTPRoute' },
          { group: GROUP, kind: 'GRPCRoute' },
        ],
      };
    });
    const service = `${name}-istio.${namespace}.svc.cluster.local`;
    this.writeStatus(gateway, {
      addresses: [{ type: 'Hostname', value: service }],
      conditions: withTransitions(
        [
          condition('Accepted', 'Accepted', 'Resource accepted'),
          condition(
            'Programmed',
            'Programmed',
            `Resource programmed, assigned to service(s) ${service}:443`,
          ),
          condition('ResolvedRefs', 'ResolvedRefs', 'All references resolved'),
        ],
        previous?.conditions,
        now,
      ),
      listeners,
    });
  }

  private writeStatus(obj: KubeObject, status: Record<string, unknown>): void {
    if (JSON.stringify(obj.status) === JSON.stringify(status)) return;
    this.store.mutate(
      obj.apiVersion,
      obj.kind,
      obj.metadata.namespace,
      obj.metadata.name,
      o => {
        o.status = status;
      },
    );
  }
}

function parentRefs(route: KubeObject): ParentReference[] {
  return (route.spec as { parentRefs?: ParentReference[] }).parentRefs ?? [];
}

/** The Gateway a parentRef names (namespace defaults to the route's). */
function findGateway(
  gateways: KubeObject[],
  route: KubeObject,
  ref: ParentReference,
): KubeObject | undefined {
  if ((ref.kind ?? 'Gateway') !== 'Gateway') return undefined;
  const ns = ref.namespace ?? route.metadata.namespace;
  return gateways.find(
    g => g.metadata.name === ref.name && g.metadata.namespace === ns,
  );
}
