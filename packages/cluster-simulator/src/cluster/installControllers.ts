import { VirtualClock } from '../clock';
import { FlaggerController } from '../flagger/FlaggerController';
import { TrafficModel } from '../flagger/TrafficModel';
import { FluxController } from '../flux/FluxController';
import { GatewayStatusController } from '../istio/GatewayStatusController';
import { WorkloadController } from '../workloads/WorkloadController';
import { EventRecorder } from '../util/EventRecorder';
import { SourceHub } from '../flux/GitRemote';
import { ClusterComponent } from '../types';
import { SimulatedCluster } from './SimulatedCluster';

/** What a scenario's setup hands over besides the objects it created. */
export interface ClusterSetup {
  /** The Git/OCI remotes the cluster's Flux sources fetch from. */
  hub?: SourceHub;
  /** Drives the story (new revisions arriving); only started when stories are on. */
  story?: ClusterComponent;
}

/**
 * Wires the controllers of one cluster, in start order: workloads settle
 * first, then Flux and Flagger, Istio's Gateway API status, then the
 * scenario's story.
 */
export function installControllers(
  cluster: SimulatedCluster,
  clock: VirtualClock,
  scenario: ClusterSetup,
  stories: boolean,
): void {
  const events = new EventRecorder(cluster.store, clock);
  const traffic = new TrafficModel(cluster.store, clock);
  if (scenario.hub) cluster.sources = scenario.hub;
  const workloads = new WorkloadController({ store: cluster.store, clock });
  const flux = new FluxController({
    store: cluster.store,
    clock,
    hub: cluster.sources,
    events,
  });
  const flagger = new FlaggerController({ cluster, events, traffic });
  cluster.controllers.workloads = workloads;
  cluster.controllers.flux = flux;
  cluster.controllers.flagger = flagger;
  cluster.addComponent(workloads);
  cluster.addComponent(flux);
  cluster.addComponent(flagger);
  cluster.addComponent(new GatewayStatusController(cluster.store, clock));
  cluster.addMetrics(() => traffic.render());
  cluster.addMetrics(() => flagger.renderMetrics());
  if (stories && scenario.story) cluster.addComponent(scenario.story);
}
