import {
  ClusterComponent,
  SimulatedCluster,
} from '../cluster/SimulatedCluster';
import { SourceHub } from '../flux/GitRemote';

/** What a scenario leaves on a cluster besides its objects. */
export interface ScenarioResult {
  /** The Git/OCI remotes the cluster's Flux sources fetch from. */
  hub?: SourceHub;
  /** Drives the story (new revisions arriving); only started when stories are on. */
  story?: ClusterComponent;
}

/** The clusters of a scenario and how each is populated. */
export interface Scenario {
  clusters: Array<{
    name: string;
    setup(cluster: SimulatedCluster): ScenarioResult | void;
  }>;
}
