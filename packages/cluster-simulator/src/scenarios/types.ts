import { ClusterSetup } from '../cluster/installControllers';
import { SimulatedCluster } from '../cluster/SimulatedCluster';

/** What a scenario leaves on a cluster besides its objects. */
export type ScenarioResult = ClusterSetup;

/** The clusters of a scenario and how each is populated. */
export interface Scenario {
  clusters: Array<{
    name: string;
    setup(cluster: SimulatedCluster): ScenarioResult | void;
  }>;
}
