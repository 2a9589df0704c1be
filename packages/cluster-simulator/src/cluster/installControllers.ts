import { VirtualClock } from '../clock';
import { FlaggerController } from '../flagger/FlaggerController';
import { TrafficModel } from '../flagger/TrafficModel';
import { FluxController } from '../flux/FluxController';
import { ScenarioResult } from '../scenarios/types';
import { WorkloadController } from '../workloads/WorkloadController';
import { EventRecorder } from '../util/EventRecorder';
import { SimulatedCluster } from './SimulatedCluster';

/**
 * Wires the controllers of one cluster, in start order: workloads settle
 * first, then Flux and Flagger, then the scenario's story.
 */
export function installControllers(
  cluster: SimulatedCluster,
  clock: VirtualClock,
  scenario: ScenarioResult,
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
  cluster.addMetrics(() => traffic.render());
  cluster.addMetrics(() => flagger.renderMetrics());
  if (stories && scenario.story) cluster.addComponent(scenario.story);
}
