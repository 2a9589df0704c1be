import { SimulatedCluster } from '../cluster/SimulatedCluster';

/** The clusters of a scenario and how each is populated and driven. */
export interface Scenario {
  clusters: Array<{
    name: string;
    /** Creates the initial objects and registers controllers/services. */
    setup(cluster: SimulatedCluster): void;
  }>;
}
